package io.pushcqrs.local.moto;

import io.pushcqrs.local.resources.ResourceSpecs;
import io.pushcqrs.local.template.TemplateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Buckets and objects in moto's S3. */
final class MotoS3 {
    private final S3Client s3;

    MotoS3(S3Client s3) {
        this.s3 = s3;
    }

    void ensureBucket(ResourceSpecs.Bucket spec) {
        String name = spec.name();
        try {
            if (!exists(name)) {
                s3.createBucket(b -> b.bucket(name));
            }
            if (spec.versioning()) {
                s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            }
            if (spec.sseAlgorithm() != null) {
                s3.putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.fromValue(spec.sseAlgorithm()))
                                .kmsMasterKeyID(spec.kmsKeyId())))));
            }
            if (spec.blockPublicAccess() != null) {
                Map<String, Boolean> p = spec.blockPublicAccess();
                s3.putPublicAccessBlock(b -> b.bucket(name).publicAccessBlockConfiguration(c -> c
                        .blockPublicAcls(p.get("BlockPublicAcls")).blockPublicPolicy(p.get("BlockPublicPolicy"))
                        .ignorePublicAcls(p.get("IgnorePublicAcls")).restrictPublicBuckets(p.get("RestrictPublicBuckets"))));
            }
            if (!spec.tags().isEmpty()) {
                List<Tag> tags = new ArrayList<>();
                spec.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
                s3.putBucketTagging(b -> b.bucket(name).tagging(t -> t.tagSet(tags)));
            }
        } catch (SdkException e) {
            throw new TemplateException("cannot create the bucket " + name + " in moto: " + e.getMessage(), e);
        }
    }

    /** Deletes the bucket; as on AWS, a bucket that still holds objects (or object versions) is not deleted. */
    void deleteBucket(String bucket) {
        if (!exists(bucket)) {
            return;
        }
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(1));
        if (!versions.versions().isEmpty() || !versions.deleteMarkers().isEmpty()) {
            throw new TemplateException("The bucket you tried to delete is not empty (" + bucket + "). You must delete"
                    + " all versions in the bucket.");
        }
        s3.deleteBucket(b -> b.bucket(bucket));
    }

    private boolean exists(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** An object's bytes; fails with a message naming the object when it is missing. */
    byte[] read(String bucket, String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new TemplateException("s3://" + bucket + "/" + key + " does not exist", e);
        } catch (SdkException e) {
            throw new TemplateException("cannot read s3://" + bucket + "/" + key + " from moto: " + e.getMessage(), e);
        }
    }

    /**
     * The object as a local file under {@code dir}, named by bucket, key and ETag, so that a changed object is a new
     * file (the JVMs of the old code keep their jar) and an unchanged one is not fetched again.
     */
    Path download(String bucket, String key, Path dir) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            String name = sha256(bucket + "/" + key + "/" + head.eTag()).substring(0, 24) + "-" + Path.of(key).getFileName();
            Path target = dir.resolve(name);
            if (Files.isRegularFile(target) && Files.size(target) == head.contentLength()) {
                return target;
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve(name + ".part");
            Files.deleteIfExists(tmp);
            s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(tmp.toFile()));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new TemplateException("s3://" + bucket + "/" + key + " does not exist (was the asset published?)", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new TemplateException("s3://" + bucket + "/" + key + " does not exist (was the asset published?)", e);
            }
            throw new TemplateException("cannot read s3://" + bucket + "/" + key + " from moto: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new TemplateException("cannot read s3://" + bucket + "/" + key + " from moto: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the code of s3://" + bucket + "/" + key + " to " + dir, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
