package io.pushcqrs.local.cloudformation;

/**
 * An error answer of the CloudFormation API: its code (ValidationError, ChangeSetNotFound, AlreadyExistsException...),
 * HTTP status and message, as AWS sends them (the SDKs map the code to their exception classes).
 */
final class CfnException extends RuntimeException {
    private final String code;
    private final int status;

    CfnException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    static CfnException validation(String message) {
        return new CfnException("ValidationError", 400, message);
    }

    static CfnException stackNotFound(String nameOrId) {
        return validation("Stack with id " + nameOrId + " does not exist");
    }

    static CfnException changeSetNotFound(String name) {
        return new CfnException("ChangeSetNotFound", 404, "ChangeSet [" + name + "] does not exist");
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
