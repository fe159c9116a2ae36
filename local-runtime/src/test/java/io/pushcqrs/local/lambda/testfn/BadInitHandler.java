package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.InputStream;
import java.io.OutputStream;

/** Its constructor throws: the init error. */
public class BadInitHandler implements RequestStreamHandler {

    public BadInitHandler() {
        throw new IllegalStateException("cannot initialise: TABLE_NAME is not set");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new AssertionError("never reached");
    }
}
