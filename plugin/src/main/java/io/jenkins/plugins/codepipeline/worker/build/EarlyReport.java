package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import io.jenkins.plugins.codepipeline.impl.JobResultSender;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live link's early report: when a build starts for a job whose trigger reports progress, success on the job
 * with a continuation token of this instance ({@code jcp1:<fingerprint>:<first job id>}), the build's external
 * execution id, "Build #42 running" and a percentage from the estimated duration. CodePipeline then links the
 * execution to the build, closes the job and queues a follow-up job with the token, which the trigger attaches to the
 * build ({@link FollowUpJobs}).
 *
 * <p>Sent from the background pool of {@link AutomaticReport} (never on a CPS VM thread). The record says first that
 * the build waits for its follow-up job (so that a restart keeps the chain); the build's action says it at once
 * (so that a report step waits rather than race the early report). An early report that is not delivered leaves the
 * build with its job, reported as usual at the end.
 */
final class EarlyReport {
    private static final Logger LOGGER = Logger.getLogger(EarlyReport.class.getName());
    /** The early reports on their way, by the build's action (compared by identity). */
    private static final Map<CodePipelineJobAction, CompletableFuture<Void>> SENDING =
            Collections.synchronizedMap(new WeakHashMap<>());

    private EarlyReport() {
    }

    /** On the build's start ({@code RunListener.onStarted}): the early report, in the background. */
    static void start(Run<?, ?> run, CodePipelineJobAction action, @CheckForNull PrintStream log) {
        if (!action.isReportProgress() || action.getChain().size() > 1 || action.isReported()
                || action.isAwaitingFollowUp()) {
            return;
        }
        action.markAwaitingFollowUp();
        CompletableFuture<Void> done = new CompletableFuture<>();
        SENDING.put(action, done);
        if (!AutomaticReport.submit(() -> {
            try {
                send(run, action, log);
            } catch (RuntimeException | LinkageError e) {
                // Never left waiting for a follow-up job that no early report asked for.
                LOGGER.log(Level.WARNING, "Could not send the early report of " + run, e);
                notSent(run, action, InFlightJobs.get(), log, e.toString());
            } finally {
                SENDING.remove(action);
                done.complete(null);
            }
        })) {
            SENDING.remove(action);
            done.complete(null);
            action.clearAwaitingFollowUp(); // Jenkins is stopping: the build goes on with its job
        }
    }

    /**
     * Waits, at most {@code millis}, for the build's early report to be sent or given up, so that its outcome is in
     * the build log before the log closes (a freestyle build's end, on its executor's thread; never on a CPS VM
     * thread). At once when none is on its way.
     */
    static void awaitSent(CodePipelineJobAction action, long millis) {
        CompletableFuture<Void> done = SENDING.get(action);
        if (done == null) {
            return;
        }
        try {
            done.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.log(Level.FINE, "the early report is still on its way", e);
        }
    }

    static void send(Run<?, ?> run, CodePipelineJobAction action, @CheckForNull PrintStream log) {
        InFlightJobs inFlight = InFlightJobs.get();
        String jobId = action.getJobId();
        SuccessResult result;
        try {
            String token = ContinuationTokens.issue(InstanceFingerprint.get(), action.getFirstJobId());
            String summary = Messages.EarlyReport_Summary(run.getDisplayName());
            Integer percent = AutomaticResults.percentComplete(System.currentTimeMillis() - run.getStartTimeInMillis(),
                    run.getEstimatedDuration());
            result = AutomaticResults.earlyReport(jobId, token, action.getExternalExecutionId(), summary, percent);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not make the early report of " + run, e);
            notSent(run, action, inFlight, log, String.valueOf(e.getMessage()));
            return;
        }
        if (!inFlight.awaiting(action, run)) {
            notSent(run, action, inFlight, log, "the job is no longer in flight");
            return;
        }
        ReportOutcome outcome;
        try {
            outcome = JobResultSender.deliver(run, null, log, action.getConnection(), result);
        } catch (AbortException e) {
            notSent(run, action, inFlight, log, String.valueOf(e.getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notSent(run, action, inFlight, log, "interrupted (Jenkins is stopping)");
            return;
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not send the early report of " + run, e);
            notSent(run, action, inFlight, log, e.toString());
            return;
        }
        if (!outcome.delivered()) {
            notSent(run, action, inFlight, log, outcome.message());
            return;
        }
        String detail = result.executionDetails() == null ? "" : describe(result);
        if (log != null) {
            log.println(AutomaticReport.PREFIX + Messages.EarlyReport_Reported(detail, jobId));
        }
        LOGGER.fine(() -> "Reported progress for CodePipeline job " + jobId + " of " + run + "; waiting for its "
                + "follow-up job");
        save(run);
    }

    private static String describe(SuccessResult result) {
        Integer percent = result.executionDetails().percentComplete();
        String summary = result.executionDetails().summary();
        return (summary == null ? "" : summary) + (percent == null ? "" : " (" + percent + "%)");
    }

    /** Not delivered: the build goes on with its job; one that ended meanwhile is reported now. */
    private static void notSent(Run<?, ?> run, CodePipelineJobAction action, InFlightJobs inFlight,
            @CheckForNull PrintStream log, String reason) {
        boolean ended = inFlight.notAwaiting(action);
        if (log != null) {
            log.println(AutomaticReport.PREFIX + Messages.EarlyReport_NotSent(reason, action.getJobId()));
        }
        LOGGER.info(() -> "No live link for " + run + " (CodePipeline job " + action.getJobId() + "): " + reason);
        save(run);
        if (ended) {
            CodePipelineJobRunListener.reportEnded(run);
        }
    }

    private static void save(Run<?, ?> run) {
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + run, e);
        }
    }
}
