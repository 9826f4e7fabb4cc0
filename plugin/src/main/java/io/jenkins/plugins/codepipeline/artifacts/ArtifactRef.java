package io.jenkins.plugins.codepipeline.artifacts;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.Serializable;

/**
 * An artifact's name and S3 location as it crosses the remoting channel: JDK types only (Jenkins' class filter
 * rejects classes of bundled libraries, such as core's {@link JobArtifact}, on the controller). No credentials.
 */
final class ArtifactRef implements Serializable {
    private static final long serialVersionUID = 1L;

    final String name;
    final String revision;
    final String bucket;
    final String key;

    ArtifactRef(JobArtifact artifact) {
        this.name = artifact.name();
        this.revision = artifact.revision();
        this.bucket = artifact.bucket();
        this.key = artifact.objectKey();
    }

    /** On the agent. */
    JobArtifact toCore() {
        return new JobArtifact(name, revision, bucket, key);
    }

    /** {@code s3://bucket/key}. */
    String location() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return name + " (" + location() + ")";
    }
}
