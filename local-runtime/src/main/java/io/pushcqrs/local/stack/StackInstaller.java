package io.pushcqrs.local.stack;

import io.pushcqrs.local.resources.Backend;
import io.pushcqrs.local.resources.ResourceSpecs;
import io.pushcqrs.local.resources.SecretSpec;
import io.pushcqrs.local.resources.StackLoader;
import io.pushcqrs.local.resources.StackModel;
import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.local.template.Template;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Installs templates into the running stack, and updates or removes them, with no restart: the one apply step of
 * every deployment (the stack started from cdk.out, and each change set the CloudFormation API executes).
 * <ol>
 *   <li>the template is checked (every resource type supported) before anything changes;</li>
 *   <li>resources that must be replaced under the same physical name are deleted first;</li>
 *   <li>{@link StackLoader} creates or updates the template's resources in the {@link Backend} and builds the model;</li>
 *   <li>each {@link StackPart}, in order, brings its part of the running stack in line (functions, pollers, APIs...);</li>
 *   <li>what the stack had and no longer has is deleted from the backend, in reverse order of creation.</li>
 * </ol>
 * When a step fails, {@link Failed} says what this attempt created in the backend, so that the deployment can roll
 * back (install the previous template again and delete those).
 */
public final class StackInstaller {
    private final Backend backend;
    private final String publicEndpoint;
    private final String apiKeyOverride;
    private final List<StackPart> parts;
    private final Map<String, StackModel> installed = new LinkedHashMap<>();
    /** The template and intrinsics each installed model comes from (a rollback gives them back to the parts). */
    private final Map<String, Installed> sources = new LinkedHashMap<>();

    /**
     * A step of an install failed. {@link #created} lists what it had created in the backend; {@link #failedResource}
     * the backend call that failed (type and physical name), when one did; {@link #attempt} the model the parts were
     * given, when the failure came after the load. {@link #rollback} undoes it.
     */
    public static final class Failed extends RuntimeException {
        private final String stackName;
        private final List<StackModel.Provisioned> created;
        private final StackModel.Provisioned failedResource;
        private final StackModel attempt;

        Failed(String stackName, RuntimeException cause, List<StackModel.Provisioned> created,
               StackModel.Provisioned failedResource, StackModel attempt) {
            super(cause.getMessage(), cause);
            this.stackName = stackName;
            this.created = List.copyOf(created);
            this.failedResource = failedResource;
            this.attempt = attempt;
        }

        public List<StackModel.Provisioned> created() {
            return created;
        }

        /** The resource whose creation or update failed in the backend (its logical id is "-"), or null. */
        public StackModel.Provisioned failedResource() {
            return failedResource;
        }

        public StackModel attempt() {
            return attempt;
        }
    }

    /**
     * An install that succeeded.
     *
     * @param model           the stack's model now
     * @param intrinsics      the template's intrinsics as the load resolved them (physical ids: Ref of any resource)
     * @param cleanupFailures resources the stack no longer has that could not be deleted (logical id: message)
     * @param template        the template installed
     */
    public record Installed(StackModel model, Intrinsics intrinsics, Map<String, String> cleanupFailures,
                            Template template) {
    }

    /**
     * @param backend        where resources are created
     * @param publicEndpoint the edge endpoint clients use
     * @param apiKeyOverride the value of every API key, or null
     * @param parts          the parts of the running stack, in the order a deployment updates them
     */
    public StackInstaller(Backend backend, String publicEndpoint, String apiKeyOverride, List<StackPart> parts) {
        this.backend = backend;
        this.publicEndpoint = publicEndpoint;
        this.apiKeyOverride = apiKeyOverride;
        this.parts = List.copyOf(parts);
    }

    public List<StackPart> parts() {
        return parts;
    }

    /** Checks a template as an install would (resource types), creating nothing. */
    public Map<String, Integer> check(Template template) {
        return new StackLoader(template, publicEndpoint, apiKeyOverride).check();
    }

    /**
     * Installs a new stack, or updates an installed one in place.
     *
     * @param replace resources of the installed stack to delete before the template's are created (a replacement that
     *                keeps the physical name)
     * @param retain  logical ids of resources the stack no longer has that are kept (DeletionPolicy Retain)
     * @param adopt   take over a table or queue that exists already under the template's name (ImportExistingResources);
     *                without it, such a resource fails the install as on AWS ("... already exists")
     * @throws TemplateException when the template uses something the local stack cannot run (nothing is changed)
     * @throws Failed            when a later step failed (see {@link Failed#created})
     */
    public synchronized Installed install(Template template, Collection<StackModel.Provisioned> replace,
                                          Set<String> retain, boolean adopt) {
        String name = template.stackName();
        StackLoader loader = new StackLoader(template, publicEndpoint, apiKeyOverride);
        loader.check();
        StackModel before = installed.get(name);
        Set<String> stackHad = new LinkedHashSet<>();
        if (before != null) {
            before.provisioned().forEach(p -> stackHad.add(key(p)));
        }
        replace.forEach(p -> stackHad.remove(key(p)));
        Recording recording = new Recording(backend, adopt ? null : stackHad);
        StackModel after = null;
        try {
            for (StackModel.Provisioned p : replace) {
                backend.delete(p);
            }
            after = loader.load(recording);
            Map<String, StackModel> next = new LinkedHashMap<>(installed);
            next.put(name, after);
            StackPart.Change change = new StackPart.Change(name, before, after, List.copyOf(next.values()), template,
                    loader.intrinsics());
            for (StackPart part : parts) {
                part.apply(change);
            }
            installed.put(name, after);
            sources.put(name, new Installed(after, loader.intrinsics(), Map.of(), template));
        } catch (RuntimeException e) {
            throw new Failed(name, e, newlyCreated(recording.created, before), recording.failing, after);
        }
        Map<String, String> failures = new LinkedHashMap<>();
        if (before != null) {
            List<StackModel.Provisioned> had = new ArrayList<>();
            for (StackModel.Provisioned p : before.provisioned()) {
                if (!retain.contains(p.logicalId()) || after.provisioned().stream().anyMatch(a -> key(a).equals(key(p)))) {
                    had.add(p);
                }
            }
            deleteRemoved(had, after.provisioned(), failures);
        }
        return new Installed(after, loader.intrinsics(), failures, template);
    }

    /**
     * Undoes a failed install: the parts go back to what the stack ran before (nothing, for a new stack), and what the
     * attempt created in the backend is deleted. Resources it updated are the caller's to restore (by installing the
     * previous template again).
     */
    public synchronized void rollback(Failed failed) {
        StackModel current = installed.get(failed.stackName);
        if (failed.attempt() != null) {
            Installed source = sources.get(failed.stackName);
            StackPart.Change change = new StackPart.Change(failed.stackName, failed.attempt(), current,
                    List.copyOf(installed.values()), source == null ? null : source.template(),
                    source == null ? null : source.intrinsics());
            for (StackPart part : parts) {
                part.apply(change);
            }
        }
        Map<String, String> failures = new LinkedHashMap<>();
        deleteRemoved(failed.created(), List.of(), failures);
        if (!failures.isEmpty()) {
            throw new TemplateException("the rollback could not delete " + failures);
        }
    }

    /**
     * Removes an installed stack: its parts stop (functions, pollers, APIs), then its resources are deleted from the
     * backend in reverse order of creation, except the {@code retain}ed logical ids (DeletionPolicy Retain).
     *
     * @return the resources that could not be deleted: logical id -> why (the others are deleted)
     */
    public synchronized Map<String, String> uninstall(String stackName, Set<String> retain) {
        StackModel before = installed.get(stackName);
        if (before == null) {
            return Map.of();
        }
        Map<String, StackModel> next = new LinkedHashMap<>(installed);
        next.remove(stackName);
        StackPart.Change change = new StackPart.Change(stackName, before, null, List.copyOf(next.values()), null, null);
        for (StackPart part : parts) {
            part.apply(change);
        }
        installed.remove(stackName);
        sources.remove(stackName);
        List<StackModel.Provisioned> gone = new ArrayList<>();
        for (StackModel.Provisioned p : before.provisioned()) {
            if (!retain.contains(p.logicalId())) {
                gone.add(p);
            }
        }
        Map<String, String> failures = new LinkedHashMap<>();
        deleteRemoved(gone, List.of(), failures);
        return failures;
    }

    /** Deletes resources (a stack whose deletion failed, deleted again); returns what still failed. */
    public synchronized Map<String, String> delete(List<StackModel.Provisioned> resources) {
        Map<String, String> failures = new LinkedHashMap<>();
        deleteRemoved(resources, List.of(), failures);
        return failures;
    }

    /** The model of an installed stack, or null. */
    public synchronized StackModel model(String stackName) {
        return installed.get(stackName);
    }

    /** Every installed stack's model, in install order. */
    public synchronized Map<String, StackModel> installed() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(installed));
    }

    /** Stops every part (the stack stops). */
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).close();
        }
    }

    private void deleteRemoved(List<StackModel.Provisioned> before, List<StackModel.Provisioned> after,
                               Map<String, String> failures) {
        Set<String> keep = new LinkedHashSet<>();
        after.forEach(p -> keep.add(key(p)));
        for (int i = before.size() - 1; i >= 0; i--) {
            StackModel.Provisioned p = before.get(i);
            if (keep.contains(key(p))) {
                // the same resource: an IAM policy may have left some roles
                StackModel.Provisioned now = after.stream().filter(a -> key(a).equals(key(p))).findFirst().orElseThrow();
                List<String> left = new ArrayList<>(p.attachedTo());
                left.removeAll(now.attachedTo());
                if (!left.isEmpty() && (p.type().equals("AWS::IAM::Policy") || p.type().equals("AWS::IAM::ManagedPolicy"))) {
                    // detach from the roles it left, keep it
                    if (p.type().equals("AWS::IAM::Policy")) {
                        tryDelete(new StackModel.Provisioned(p.logicalId(), p.type(), p.physicalId(), left), failures);
                    }
                }
                continue;
            }
            tryDelete(p, failures);
        }
    }

    private void tryDelete(StackModel.Provisioned p, Map<String, String> failures) {
        try {
            backend.delete(p);
        } catch (RuntimeException e) {
            failures.put(p.logicalId(), e.getMessage());
        }
    }

    /** What an attempt created that the stack did not have before. */
    private static List<StackModel.Provisioned> newlyCreated(List<StackModel.Provisioned> created, StackModel before) {
        Set<String> had = new LinkedHashSet<>();
        if (before != null) {
            before.provisioned().forEach(p -> had.add(key(p)));
        }
        List<StackModel.Provisioned> out = new ArrayList<>();
        for (StackModel.Provisioned p : created) {
            if (!had.contains(key(p))) {
                out.add(p);
            }
        }
        return out;
    }

    /** Type and physical id; a queue by its name (its URL's host may differ). */
    static String key(StackModel.Provisioned p) {
        String id = p.type().equals("AWS::SQS::Queue") ? p.physicalId().substring(p.physicalId().lastIndexOf('/') + 1)
                : p.physicalId();
        return p.type() + " " + id;
    }

    /** Records what one load creates in the backend, so that a failed attempt can be undone. */
    private static final class Recording implements Backend {
        private final Backend backend;
        final List<StackModel.Provisioned> created = new ArrayList<>();
        /** The call in progress (set before, cleared after): when a load fails, the resource it failed on. */
        StackModel.Provisioned failing;
        /** What the stack had (type and name), or null when resources that exist already are taken over. */
        private final Set<String> stackHad;

        Recording(Backend backend, Set<String> stackHad) {
            this.backend = backend;
            this.stackHad = stackHad;
        }

        private void start(String type, String id) {
            failing = new StackModel.Provisioned("-", type, id, List.of());
            if (stackHad != null && !stackHad.contains(key(failing)) && backend.exists(type, id)) {
                throw new TemplateException("Resource of type '" + type + "' with identifier '" + id + "' already exists.");
            }
        }

        private void add(String type, String id, List<String> attached) {
            failing = null;
            created.add(new StackModel.Provisioned("-", type, id, attached));
        }

        @Override
        public String ensureTable(CreateTableRequest request, TimeToLiveSpecification ttl) {
            start("AWS::DynamoDB::Table", request.tableName());
            String arn = backend.ensureTable(request, ttl);
            add("AWS::DynamoDB::Table", request.tableName(), List.of());
            return arn;
        }

        @Override
        public String ensureQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
            start("AWS::SQS::Queue", name);
            String url = backend.ensureQueue(name, attributes, tags);
            add("AWS::SQS::Queue", url, List.of());
            return url;
        }

        @Override
        public String ensureSecret(SecretSpec spec) {
            start("AWS::SecretsManager::Secret", spec.name());
            String arn = backend.ensureSecret(spec);
            add("AWS::SecretsManager::Secret", arn, List.of());
            return arn;
        }

        @Override
        public void ensureBucket(ResourceSpecs.Bucket spec) {
            start("AWS::S3::Bucket", spec.name());
            backend.ensureBucket(spec);
            add("AWS::S3::Bucket", spec.name(), List.of());
        }

        @Override
        public void putBucketPolicy(ResourceSpecs.BucketPolicy spec) {
            start("AWS::S3::BucketPolicy", spec.bucket());
            backend.putBucketPolicy(spec);
            add("AWS::S3::BucketPolicy", spec.bucket(), List.of());
        }

        @Override
        public void ensureRepository(ResourceSpecs.Repository spec) {
            start("AWS::ECR::Repository", spec.name());
            backend.ensureRepository(spec);
            add("AWS::ECR::Repository", spec.name(), List.of());
        }

        @Override
        public void ensureParameter(ResourceSpecs.Parameter spec) {
            start("AWS::SSM::Parameter", spec.name());
            backend.ensureParameter(spec);
            add("AWS::SSM::Parameter", spec.name(), List.of());
        }

        @Override
        public void ensureRole(ResourceSpecs.Role spec) {
            start("AWS::IAM::Role", spec.name());
            backend.ensureRole(spec);
            add("AWS::IAM::Role", spec.name(), List.of());
        }

        @Override
        public void putRolePolicy(ResourceSpecs.RolePolicy spec) {
            start("AWS::IAM::Policy", spec.name());
            backend.putRolePolicy(spec);
            add("AWS::IAM::Policy", spec.name(), spec.roles());
        }

        @Override
        public String ensureManagedPolicy(ResourceSpecs.ManagedPolicy spec) {
            start("AWS::IAM::ManagedPolicy", spec.name());
            String arn = backend.ensureManagedPolicy(spec);
            add("AWS::IAM::ManagedPolicy", arn, spec.roles());
            return arn;
        }

        @Override
        public Path functionCode(String bucket, String key) {
            start("AWS::Lambda::Function", "s3://" + bucket + "/" + key);
            Path code = backend.functionCode(bucket, key);
            failing = null;
            return code;
        }

        @Override
        public String apiKeyValue(String keyId, Supplier<String> generate) {
            return backend.apiKeyValue(keyId, generate);
        }

        @Override
        public void delete(StackModel.Provisioned resource) {
            backend.delete(resource);
        }
    }
}
