package io.pushcqrs.local.moto;

import io.pushcqrs.local.resources.ResourceSpecs;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import java.util.ArrayList;
import java.util.List;

/** ECR repositories and SSM parameters in moto. */
final class MotoEcrSsm {
    private final EcrClient ecr;
    private final SsmClient ssm;

    MotoEcrSsm(EcrClient ecr, SsmClient ssm) {
        this.ecr = ecr;
        this.ssm = ssm;
    }

    void ensureRepository(ResourceSpecs.Repository spec) {
        String name = spec.name();
        String mutability = spec.imageTagMutability() == null ? "MUTABLE" : spec.imageTagMutability();
        try {
            boolean exists;
            try {
                ecr.describeRepositories(b -> b.repositoryNames(name));
                exists = true;
            } catch (RepositoryNotFoundException e) {
                exists = false;
            }
            if (!exists) {
                List<software.amazon.awssdk.services.ecr.model.Tag> tags = new ArrayList<>();
                spec.tags().forEach((k, v) -> tags.add(software.amazon.awssdk.services.ecr.model.Tag.builder().key(k).value(v).build()));
                ecr.createRepository(b -> b.repositoryName(name).imageTagMutability(mutability)
                        .imageScanningConfiguration(c -> c.scanOnPush(spec.scanOnPush())).tags(tags));
            } else {
                ecr.putImageTagMutability(b -> b.repositoryName(name).imageTagMutability(mutability));
                ecr.putImageScanningConfiguration(b -> b.repositoryName(name)
                        .imageScanningConfiguration(c -> c.scanOnPush(spec.scanOnPush())));
            }
            if (spec.lifecyclePolicy() != null) {
                ecr.putLifecyclePolicy(b -> b.repositoryName(name).lifecyclePolicyText(spec.lifecyclePolicy()));
            }
            if (spec.repositoryPolicy() != null) {
                ecr.setRepositoryPolicy(b -> b.repositoryName(name).policyText(spec.repositoryPolicy()));
            }
        } catch (SdkException e) {
            throw new TemplateException("cannot create the repository " + name + " in moto: " + e.getMessage(), e);
        }
    }

    /** Deletes the repository; as on AWS (without EmptyOnDelete), one that holds images is refused. */
    void deleteRepository(String name) {
        try {
            ecr.deleteRepository(b -> b.repositoryName(name));
        } catch (RepositoryNotFoundException e) {
            // gone already
        } catch (SdkException e) {
            throw new TemplateException("cannot delete the repository " + name + ": " + e.getMessage(), e);
        }
    }

    void ensureParameter(ResourceSpecs.Parameter spec) {
        try {
            boolean exists = value(spec.name()) != null;
            ssm.putParameter(b -> b.name(spec.name()).type(spec.type()).value(spec.value())
                    .description(spec.description()).overwrite(exists));
            if (!exists && !spec.tags().isEmpty()) {
                List<software.amazon.awssdk.services.ssm.model.Tag> tags = new ArrayList<>();
                spec.tags().forEach((k, v) -> tags.add(software.amazon.awssdk.services.ssm.model.Tag.builder().key(k).value(v).build()));
                ssm.addTagsToResource(b -> b.resourceType("Parameter").resourceId(spec.name()).tags(tags));
            }
        } catch (SdkException e) {
            throw new TemplateException("cannot create the parameter " + spec.name() + " in moto: " + e.getMessage(), e);
        }
    }

    /** A parameter's value, or null when it does not exist. */
    String value(String name) {
        try {
            return ssm.getParameter(b -> b.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    void deleteParameter(String name) {
        try {
            ssm.deleteParameter(b -> b.name(name));
        } catch (ParameterNotFoundException e) {
            // gone already
        }
    }
}
