package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.IOException;

/**
 * A download or upload of an artifact failed. The message names the artifact, its bucket and key, what happened and
 * what to check; it never holds a credential.
 *
 * <p>When S3 answered ExpiredToken and the {@link ArtifactCredentials} could not be renewed,
 * {@link #credentialsExpired()} is true: the caller may get fresh credentials (GetJobDetails) and go on, a download
 * with the artifact that was cut off, an upload from {@link #resumePoint()} when there is one (else from the start).
 */
public final class ArtifactTransferException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean credentialsExpired;
    private final UploadResumePoint resumePoint;

    /** The cause's own message may be worded by S3 or the file system; ours says what to do. */
    public ArtifactTransferException(String message, Throwable cause) {
        this(message, cause, false, null);
    }

    public ArtifactTransferException(String message) {
        this(message, null, false, null);
    }

    /**
     * @param credentialsExpired S3 answered ExpiredToken and no renewed credentials could be had
     * @param resumePoint        where an interrupted multipart upload goes on; null when there is none
     */
    public ArtifactTransferException(String message, Throwable cause, boolean credentialsExpired,
            UploadResumePoint resumePoint) {
        super(message, cause);
        this.credentialsExpired = credentialsExpired;
        this.resumePoint = resumePoint;
    }

    /** True when S3 answered ExpiredToken and the artifact credentials had no renewal (or it gave none). */
    public boolean credentialsExpired() {
        return credentialsExpired;
    }

    /**
     * Where the interrupted multipart upload goes on, with fresh credentials; null for a download, a single PutObject
     * (it starts again), and any failure after which the multipart upload was aborted.
     */
    public UploadResumePoint resumePoint() {
        return resumePoint;
    }
}
