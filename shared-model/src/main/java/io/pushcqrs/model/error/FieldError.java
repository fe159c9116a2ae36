package io.pushcqrs.model.error;

/** One problem with one input field, e.g. {@code {"field":"platform","message":"must be one of ..."}}. */
public record FieldError(String field, String message) {
}
