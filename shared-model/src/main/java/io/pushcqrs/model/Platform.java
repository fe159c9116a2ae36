package io.pushcqrs.model;

/** The push platform a notification was sent through. */
public enum Platform {
    IOS, ANDROID, WEBPUSH
}
