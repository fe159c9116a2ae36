package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {"heap":H,"direct":D} MB (heap arrays and direct buffers, every page touched) in 8 MB steps, each within what
 * the JVM's own flags allow, then waits a minute: together they pass the function's memory, so the sandbox's limit
 * must stop it before it answers.
 */
public class MemoryHogHandler implements RequestStreamHandler {
    private static final List<Object> KEPT = new ArrayList<>();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        String event = new String(input.readAllBytes());
        int heap = number(event, "heap");
        int direct = number(event, "direct");
        try {
            fill(heap, direct);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.write("{\"survived\":true}".getBytes());
    }

    private static void fill(int heap, int direct) throws InterruptedException {
        System.out.println("filling " + heap + " MB of heap and " + direct + " MB outside it");
        for (int done = 0; done < heap; done += 8) {
            byte[] b = new byte[8 * 1024 * 1024];
            for (int i = 0; i < b.length; i += 4096) {
                b[i] = 1;
            }
            KEPT.add(b);
            Thread.sleep(5);
        }
        for (int done = 0; done < direct; done += 8) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 * 1024 * 1024);
            for (int i = 0; i < b.capacity(); i += 4096) {
                b.put(i, (byte) 1);
            }
            KEPT.add(b);
            Thread.sleep(5);
        }
        System.out.println("filled");
        Thread.sleep(60_000);
    }

    private static int number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
