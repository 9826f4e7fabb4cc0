package io.jenkins.plugins.codepipeline.core.worker;

import java.io.Serializable;
import software.amazon.awssdk.services.codepipeline.model.Artifact;

/**
 * An input or output artifact's name and place in S3. Never the credentials to read it: the job's artifact
 * credentials are not kept.
 *
 * @param name      the artifact's name in the pipeline
 * @param revision  the input's revision (a commit id, an S3 version); null for outputs and when unknown
 * @param bucket    the S3 bucket, or null
 * @param objectKey the S3 object key, or null
 */
public record JobArtifact(String name, String revision, String bucket, String objectKey)
        implements Serializable {

    static JobArtifact fromSdk(Artifact artifact, boolean input) {
        String bucket = null;
        String key = null;
        if (artifact.location() != null && artifact.location().s3Location() != null) {
            bucket = artifact.location().s3Location().bucketName();
            key = artifact.location().s3Location().objectKey();
        }
        return new JobArtifact(artifact.name(), input ? artifact.revision() : null, bucket, key);
    }
}
