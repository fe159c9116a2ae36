package io.pushcqrs.infra;

/**
 * The four Lambda modules of the repository: where each one's shaded jar is built, its handler,
 * its deployed function name (after the stage prefix) and the name of the stack output that
 * carries that function name. Other modules (local-runtime, scripts) rely on these names.
 */
public enum LambdaModule {
    COMMAND("command-lambda", "io.pushcqrs.command.CommandApiHandler::handleRequest",
            "CommandFunction", "CommandLambda"),
    STREAM_PROCESSOR("stream-processor", "io.pushcqrs.projection.StreamHandler::handleRequest",
            "StreamProcessorFunction", "StreamProcessor"),
    QUERY_RESULT("query-result-lambda", "io.pushcqrs.queryresult.QueryResultHandler::handleRequest",
            "QueryResultFunction", "QueryResultLambda"),
    QUERY("query-lambda", "io.pushcqrs.query.QueryApiHandler::handleRequest",
            "QueryFunction", "QueryLambda");

    private final String moduleName;
    private final String handler;
    private final String outputName;
    private final String constructId;

    LambdaModule(String moduleName, String handler, String outputName, String constructId) {
        this.moduleName = moduleName;
        this.handler = handler;
        this.outputName = outputName;
        this.constructId = constructId;
    }

    /** The Maven module directory, also the suffix of the function name. */
    public String moduleName() {
        return moduleName;
    }

    /** The shaded jar's file name, as the lambda-jar profile of the root pom builds it. */
    public String jarFileName() {
        return moduleName + ".jar";
    }

    public String handler() {
        return handler;
    }

    /** The CfnOutput carrying the deployed function name. */
    public String outputName() {
        return outputName;
    }

    /** The construct id in the stack (the logical ids derive from it). */
    public String constructId() {
        return constructId;
    }

    /** The deployed function name: {@code ${stage}-<module>}. */
    public String functionName(String stage) {
        return stage + "-" + moduleName;
    }
}
