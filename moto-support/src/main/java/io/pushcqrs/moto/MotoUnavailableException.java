package io.pushcqrs.moto;

/** moto's server cannot be started; the message says why and how to install it. */
public class MotoUnavailableException extends RuntimeException {
    public MotoUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
