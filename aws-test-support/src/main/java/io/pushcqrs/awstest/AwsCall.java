package io.pushcqrs.awstest;

import java.util.Comparator;

/**
 * One permission a call needs, in IAM's terms: the action ({@code dynamodb:PutItem}) and the resource it
 * addresses, as the last part of its ARN ({@code table/<name>}, {@code table/<name>/index/<index>},
 * {@code function/<name>}, {@code secret/<name>}, {@code queue/<name>}, or {@code *}).
 */
public record AwsCall(String action, String resource) implements Comparable<AwsCall> {
    private static final Comparator<AwsCall> ORDER =
            Comparator.comparing(AwsCall::resource).thenComparing(AwsCall::action);

    /** The resource's type: the part before the first '/' ("table", "function", "secret"), or "*". */
    public String resourceType() {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }

    /** The resource's name: the part after the type, up to the next '/'. */
    public String resourceName() {
        int slash = resource.indexOf('/');
        if (slash < 0) {
            return resource;
        }
        int next = resource.indexOf('/', slash + 1);
        return next < 0 ? resource.substring(slash + 1) : resource.substring(slash + 1, next);
    }

    /** What follows the name ("/index/marketing-index"), or "". */
    public String resourceSuffix() {
        int slash = resource.indexOf('/');
        int next = slash < 0 ? -1 : resource.indexOf('/', slash + 1);
        return next < 0 ? "" : resource.substring(next);
    }

    /** The same call on a renamed resource. */
    public AwsCall withName(String name) {
        return resource.indexOf('/') < 0 ? this : new AwsCall(action, resourceType() + "/" + name + resourceSuffix());
    }

    @Override
    public int compareTo(AwsCall o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return action + " on " + resource;
    }
}
