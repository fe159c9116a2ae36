package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.InputStream;
import java.io.OutputStream;

/** Its constructor takes a minute: the init phase never ends in time. */
public class SlowInitHandler implements RequestStreamHandler {

    public SlowInitHandler() throws InterruptedException {
        Thread.sleep(60_000);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new AssertionError("never reached in the tests");
    }
}
