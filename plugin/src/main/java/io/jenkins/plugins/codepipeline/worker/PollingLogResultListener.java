package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobResultListener;
import java.time.Instant;
import jenkins.model.Jenkins;

/**
 * Writes the results the worker sends by itself into the polling log of the job's page: the ones delivered, and
 * the ones that could not be (for example, the job had timed out in CodePipeline while the build ran), including
 * those of jobs that never got a build. Builds have their own log; this is where a job without a build shows.
 */
@Extension
public final class PollingLogResultListener extends CodePipelineJobResultListener {

    @Override
    public void onReported(@CheckForNull String jenkinsJob, @NonNull String jobId, @NonNull String result,
            @CheckForNull String detail) {
        JobPollingStatus status = statusOf(jenkinsJob);
        if (status != null) {
            status.reported(jobId, Instant.now(), result, detail);
        }
    }

    @Override
    public void onUndelivered(@CheckForNull String jenkinsJob, @NonNull String jobId, @NonNull String problem) {
        JobPollingStatus status = statusOf(jenkinsJob);
        if (status != null) {
            status.undelivered(jobId, Instant.now(), problem);
        }
    }

    /**
     * The polling status of the job: the one it has, else a new one while the job exists (a restart lost the
     * statuses, not the jobs in flight); null for a job unknown or gone, so that a deleted job leaves nothing behind.
     */
    @CheckForNull
    private static JobPollingStatus statusOf(@CheckForNull String jenkinsJob) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkinsJob == null || jenkins == null) {
            return null;
        }
        ControllerPoller poller = ControllerPoller.get();
        JobPollingStatus status = poller.statusOrNull(jenkinsJob);
        if (status != null) {
            return status;
        }
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return jenkins.getItemByFullName(jenkinsJob, Job.class) == null ? null : poller.status(jenkinsJob);
        }
    }
}
