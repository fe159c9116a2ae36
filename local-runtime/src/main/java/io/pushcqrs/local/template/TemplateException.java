package io.pushcqrs.local.template;

/**
 * The template cannot be run by the local stack: a missing cdk.out, a resource type or intrinsic function it
 * does not support, a reference to something the template does not declare. The message says what, where
 * (logical id and property) and what is supported instead; it is meant to be shown to the user as is.
 */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
