package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.IOException;

/**
 * A download or upload of an artifact failed. The message names the artifact, its bucket and key, what happened and
 * what to check; it never holds a credential.
 */
public final class ArtifactTransferException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The cause's own message may be worded by S3 or the file system; ours says what to do. */
    public ArtifactTransferException(String message, Throwable cause) {
        super(message, cause);
    }

    public ArtifactTransferException(String message) {
        super(message);
    }
}
