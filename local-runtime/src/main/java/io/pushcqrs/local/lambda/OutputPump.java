package io.pushcqrs.local.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies a JVM's output to the function log line by line. A partial line (LambdaLogger.log without a newline) is
 * written once no more output follows for a moment, so it is not held until the next newline.
 */
final class OutputPump implements Runnable {
    private final InputStream in;
    private final Consumer<String> sink;

    OutputPump(InputStream in, Consumer<String> sink) {
        this.in = in;
        this.sink = sink;
    }

    @Override
    public void run() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line);
                    } else {
                        line.write(b);
                    }
                }
                if (line.size() > 0 && waitForMore(in)) {
                    continue;
                }
                if (line.size() > 0) {
                    emit(line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        if (line.size() > 0) {
            emit(line);
        }
    }

    private static boolean waitForMore(InputStream in) throws IOException {
        for (int i = 0; i < 10; i++) {
            if (in.available() > 0) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return in.available() > 0;
    }

    private void emit(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        sink.accept(text);
    }
}
