package io.jenkins.plugins.codepipeline.core.artifacts;

/**
 * GetJobDetails failed, or gave no artifact credentials for a job with artifacts. The message says why and what to
 * check, and never holds a secret (the caller's access key id at most).
 */
public final class JobDetailsException extends Exception {
    private static final long serialVersionUID = 1L;

    public JobDetailsException(String message) {
        super(message);
    }
}
