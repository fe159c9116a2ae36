package io.pushcqrs.awstest;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;

/**
 * A global SDK execution interceptor (registered by this jar's
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so every client built in a test JVM
 * that has this module on its class path carries it): records the IAM permissions of every call that
 * production code issues. The issuer is the nearest {@code io.pushcqrs} frame on the calling thread's
 * stack; calls from test classes (loaded from {@code test-classes}) and from moto-support (test set-up:
 * creating tables, seeding items, reading results) are not the function's and are not recorded.
 * <p>
 * This module is a test-scope dependency only: it must never reach a shaded Lambda jar or the embedded stack.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<AwsCall>> CALLS = new ExecutionAttribute<>("pushcqrs.awsCalls");
    private static final ExecutionAttribute<String> CALLER = new ExecutionAttribute<>("pushcqrs.awsCaller");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Optional<Class<?>> caller = productionCaller();
        if (caller.isEmpty()) {
            return;
        }
        attributes.putAttribute(CALLER, caller.get().getName());
        attributes.putAttribute(CALLS, IamCalls.of(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request()));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        finish(attributes, null);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable e = context.exception();
        String code = e instanceof AwsServiceException s && s.awsErrorDetails() != null
                ? s.awsErrorDetails().errorCode() : null;
        finish(attributes, code);
    }

    private static void finish(ExecutionAttributes attributes, String errorCode) {
        List<AwsCall> calls = attributes.getAttribute(CALLS);
        if (calls == null) {
            return;
        }
        String caller = attributes.getAttribute(CALLER);
        calls.forEach(c -> AwsCalls.record(new AwsCalls.Recorded(c, errorCode, caller)));
    }

    /** The production class that issued the call, or empty when a test or moto-support did. */
    static Optional<Class<?>> productionCaller() {
        Optional<Class<?>> nearest = WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c.getName().startsWith("io.pushcqrs.") && !c.getName().startsWith("io.pushcqrs.awstest."))
                .findFirst());
        return nearest.filter(c -> !c.getName().startsWith("io.pushcqrs.moto.") && !isTestClass(c));
    }

    private static boolean isTestClass(Class<?> c) {
        CodeSource source = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null) {
            return false;
        }
        String path = location.getPath();
        return path.endsWith("/test-classes/") || path.endsWith("/test-classes") || path.endsWith("-tests.jar");
    }
}
