package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionList;
import hudson.ExtensionPoint;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hears about the results the job worker sends by itself (when a build ends, when a job cannot be built, after a
 * restart), for example to add them to a job's polling log. Implement it and mark it {@code @Extension}. Called on the
 * thread that sent the result; must be quick and must not throw.
 */
public abstract class CodePipelineJobResultListener implements ExtensionPoint {
    private static final Logger LOGGER = Logger.getLogger(CodePipelineJobResultListener.class.getName());

    /**
     * A result was delivered.
     *
     * @param jenkinsJob the Jenkins job's full name, or null when it is not known (it was deleted)
     * @param result     {@code success} or {@code failure}
     * @param detail     the summary or failure message sent
     */
    public void onReported(@CheckForNull String jenkinsJob, @NonNull String jobId, @NonNull String result,
            @CheckForNull String detail) {
    }

    /**
     * A result could not be delivered (for example, the job had timed out in CodePipeline meanwhile).
     *
     * @param jenkinsJob the Jenkins job's full name, or null when it is not known
     * @param problem    what went wrong and what to do
     */
    public void onUndelivered(@CheckForNull String jenkinsJob, @NonNull String jobId, @NonNull String problem) {
    }

    static void fireReported(@CheckForNull String jenkinsJob, String jobId, String result, @CheckForNull String detail) {
        for (CodePipelineJobResultListener l : ExtensionList.lookup(CodePipelineJobResultListener.class)) {
            try {
                l.onReported(jenkinsJob, jobId, result, detail);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Listener " + l + " failed", e);
            }
        }
    }

    static void fireUndelivered(@CheckForNull String jenkinsJob, String jobId, String problem) {
        for (CodePipelineJobResultListener l : ExtensionList.lookup(CodePipelineJobResultListener.class)) {
            try {
                l.onUndelivered(jenkinsJob, jobId, problem);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Listener " + l + " failed", e);
            }
        }
    }
}
