package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import java.io.PrintStream;

/**
 * The waits of the live link: a build that reported progress reports its result, and uploads its output artifacts,
 * only once CodePipeline's follow-up job is attached, and to that job. Asked with a job id of the build's chain (the
 * steps' default, or {@code CODEPIPELINE_JOB_ID} as a process saw it), it waits while the build waits, polling the
 * build's action every second, and answers the chain's current job. Any other job id is answered as it is, at once;
 * with the live link off nothing waits. Off the CPS VM thread only; an abort (interrupt) ends the wait.
 */
public final class FollowUpWait {
    static long pollMillis = 1000;

    private FollowUpWait() {
    }

    /**
     * The job to report or upload for: {@code jobId}, or, when it is one of the build's chain, the chain's current
     * job once the follow-up is attached.
     *
     * @throws AbortException       when the wait was given up (the follow-up job never came)
     * @throws InterruptedException when the build is aborted while it waits
     */
    @CheckForNull
    public static String currentJob(Run<?, ?> run, @CheckForNull String jobId, @CheckForNull PrintStream log)
            throws AbortException, InterruptedException {
        CodePipelineJobAction action = run == null ? null : run.getAction(CodePipelineJobAction.class);
        if (action == null || !action.isInChain(jobId)) {
            return jobId;
        }
        boolean waited = false;
        while (action.isAwaitingFollowUp()) {
            if (!waited && log != null) {
                log.println(AutomaticReport.PREFIX + Messages.FollowUpWait_Waiting(action.getJobId()));
            }
            waited = true;
            Thread.sleep(pollMillis);
        }
        String lost = action.getFollowUpLost();
        String current = action.getJobId();
        if (lost != null && current.equals(jobId)) {
            throw new AbortException(lost);
        }
        if ((waited || !current.equals(jobId)) && log != null) {
            log.println(AutomaticReport.PREFIX + Messages.FollowUpWait_Current(current));
        }
        return current;
    }

    /** The chain's current job for {@code jobId} (one of the build's chain), without waiting; else {@code jobId}. */
    @CheckForNull
    public static String currentJobNow(Run<?, ?> run, @CheckForNull String jobId) {
        CodePipelineJobAction action = run == null ? null : run.getAction(CodePipelineJobAction.class);
        return action != null && action.isInChain(jobId) ? action.getJobId() : jobId;
    }
}
