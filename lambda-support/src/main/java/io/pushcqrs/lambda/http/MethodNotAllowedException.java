package io.pushcqrs.lambda.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;

/** 405 METHOD_NOT_ALLOWED; the answer carries {@code Allow} with the methods of the route. */
public class MethodNotAllowedException extends ApiException {
    private final String allow;

    public MethodNotAllowedException(String method, String path, String allow) {
        super(ErrorCode.METHOD_NOT_ALLOWED, "method " + method + " is not allowed on " + path + " (allowed: " + allow + ")");
        this.allow = allow;
    }

    /** The value of the Allow header, e.g. {@code PATCH, DELETE}. */
    public String allow() {
        return allow;
    }
}
