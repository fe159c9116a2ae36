package io.pushcqrs.local.iam;

import java.util.Locale;

/** How the local stack treats IAM ({@code --iam}). */
public enum IamMode {
    /** Calls AWS would deny are denied, as AWS answers them (the default). */
    ENFORCE,
    /** Calls go through; what AWS would deny is logged and listed when the stack stops. */
    AUDIT,
    /** Nothing is checked (the stack before IAM: every call goes through). */
    OFF;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** enforce, audit or off (any case). */
    public static IamMode parse(String text) {
        for (IamMode m : values()) {
            if (m.label().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("--iam must be enforce, audit or off, not '" + text + "'");
    }
}
