package io.jenkins.plugins.codepipeline.core;

/**
 * The reporting thread was interrupted (a Jenkins abort). The message says whether the result may have been
 * delivered before that, and which job to check.
 */
public final class ReportAbortedException extends InterruptedException {
    private static final long serialVersionUID = 1L;

    private final boolean mayHaveBeenDelivered;

    public ReportAbortedException(String message, boolean mayHaveBeenDelivered) {
        super(message);
        this.mayHaveBeenDelivered = mayHaveBeenDelivered;
    }

    public boolean mayHaveBeenDelivered() {
        return mayHaveBeenDelivered;
    }
}
