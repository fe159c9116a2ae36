package io.pushcqrs.model.mapping;

/** An item (or stream image) that cannot be turned into the model; names the offending field. */
public class MappingException extends RuntimeException {
    private final String field;

    public MappingException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
