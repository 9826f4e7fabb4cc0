package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults;
import io.jenkins.plugins.codepipeline.impl.JobResultSender;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.security.ImpersonatingExecutorService;

/**
 * The result the job worker sends by itself: when a build ends and nothing reported its job, when a job's build
 * cannot run (not schedulable, cancelled in the queue, its Jenkins job deleted), and after a restart. Core's
 * {@link AutomaticResults} decides the result; {@link JobResultSender#deliver} sends it with the job's own
 * connection. A result that cannot be delivered is written to the build log, the build page and the log of this
 * class ({@code io.jenkins.plugins.codepipeline.worker.build.AutomaticReport}).
 */
final class AutomaticReport {
    /** Who reported, on the build page. */
    static final String REPORTER = "automatic report";
    static final String PREFIX = "[CodePipeline] ";
    private static final Logger LOGGER = Logger.getLogger(AutomaticReport.class.getName());

    private AutomaticReport() {
    }

    /** Reports sent off the thread that decided them (queue listeners hold the queue's lock); run as the system. */
    private static final class Background {
        static final ExecutorService EXECUTOR = new ImpersonatingExecutorService(Executors.newFixedThreadPool(4,
                new NamingThreadFactory(new DaemonThreadFactory(), "CodePipeline job results")), ACL.SYSTEM2);
    }

    static void submit(Runnable task) {
        Background.EXECUTOR.submit(() -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                LOGGER.log(Level.WARNING, "A CodePipeline job result task failed", e);
            }
        });
    }

    /** The result of a build that reported nothing for its job. */
    static JobResult forBuild(@NonNull Run<?, ?> run, @NonNull CodePipelineJobAction action) {
        String executionId = action.getExternalExecutionId();
        String stepFailure = action.getStepFailure();
        if (stepFailure != null) {
            return AutomaticResults.failure(action.getJobId(), FailureType.JOB_FAILED,
                    Messages.AutomaticReport_StepFailed(run.getFullDisplayName(), stepFailure), executionId);
        }
        return AutomaticResults.forBuild(action.getJobId(), outcome(run.getResult()), run.getFullDisplayName(),
                url(run), executionId, action.isUnstableAsSuccess());
    }

    /** A build that a Jenkins restart ended, or that was lost. */
    static JobResult killed(@NonNull Run<?, ?> run, @NonNull CodePipelineJobAction action) {
        Result result = run.getResult();
        return AutomaticResults.failure(action.getJobId(), FailureType.JOB_FAILED,
                Messages.AutomaticReport_Killed(run.getFullDisplayName(), result == null ? "none" : result.toString(),
                        url(run)), action.getExternalExecutionId());
    }

    static AutomaticResults.Outcome outcome(@CheckForNull Result result) {
        if (result == Result.SUCCESS) {
            return AutomaticResults.Outcome.SUCCESS;
        }
        if (result == Result.UNSTABLE) {
            return AutomaticResults.Outcome.UNSTABLE;
        }
        if (result == Result.ABORTED) {
            return AutomaticResults.Outcome.ABORTED;
        }
        if (result == Result.NOT_BUILT) {
            return AutomaticResults.Outcome.NOT_BUILT;
        }
        return AutomaticResults.Outcome.FAILURE;
    }

    /** The build's absolute URL, or its path when Jenkins' URL is not configured. */
    static String url(Run<?, ?> run) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        String root = jenkins == null ? null : jenkins.getRootUrl();
        return root == null ? run.getUrl() : root + run.getUrl();
    }

    /**
     * Sends {@code result} for the build's job and records what happened on the build's action.
     *
     * @param log  the build log, or null (after a restart)
     * @param save whether to save the build here (false when Jenkins saves it right after, as after
     *             {@code RunListener.onCompleted})
     * @return whether the job is settled: delivered, or refused for good; false when Jenkins stopped meanwhile
     */
    static boolean sendForBuild(@NonNull Run<?, ?> run, @NonNull CodePipelineJobAction action,
            @NonNull JobResult result, @CheckForNull PrintStream log, boolean save) throws InterruptedException {
        boolean settled = true;
        String problem = null;
        try {
            ReportOutcome outcome = JobResultSender.deliver(run, null, log, action.getConnection(), result);
            if (outcome.delivered()) {
                action.markReported(REPORTER, JobResultSender.kind(result), JobResultSender.detail(result),
                        outcome.requestId());
                if (log != null) {
                    log.println(PREFIX + "Reported " + JobResultSender.kind(result) + " for job " + action.getJobId()
                            + " (AWS request id " + outcome.requestId() + ")"
                            + (outcome.status() == ReportOutcome.Status.DELIVERED ? "" : ": " + outcome.message()));
                }
                LOGGER.fine(() -> "Reported " + JobResultSender.kind(result) + " for CodePipeline job "
                        + action.getJobId() + " of " + run);
                CodePipelineJobResultListener.fireReported(run.getParent().getFullName(), action.getJobId(),
                        JobResultSender.kind(result), JobResultSender.detail(result));
            } else {
                problem = outcome.message();
                settled = !stopping();
            }
        } catch (AbortException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            if (settled) {
                // Not while Jenkins stops: then the record keeps the job, and the restart tries again.
                action.recordUndelivered(problem);
            }
            if (log != null) {
                log.println(PREFIX + Messages.AutomaticReport_Undelivered(action.getJobId(), problem));
            }
            LOGGER.warning(Messages.AutomaticReport_UndeliveredFor(action.getJobId(), run.getFullDisplayName(),
                    problem));
            CodePipelineJobResultListener.fireUndelivered(run.getParent().getFullName(), action.getJobId(), problem);
        }
        if (save) {
            try {
                run.save();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Could not save " + run, e);
            }
        }
        return settled;
    }

    /**
     * Fails a job that has no build, in the background; the job leaves the record once the result is sent (or
     * refused). The caller has {@linkplain InFlightJobs#claim claimed} the job.
     *
     * @param context where the credentials are looked up: the Jenkins job, a folder, or null for global ones
     */
    static void failInBackground(InFlightJobs inFlight, String jobId, JobConnection connection,
            @CheckForNull Item context, FailureType type, String message) {
        submit(() -> failClaimed(inFlight, jobId, connection, context, type, message));
    }

    /** Fails a claimed job on this thread; the job leaves the record once the result is sent (or refused). */
    static void failClaimed(InFlightJobs inFlight, String jobId, JobConnection connection, @CheckForNull Item context,
            FailureType type, String message) {
        boolean settled = true;
        try {
            settled = failNow(jobId, connection, context, type, message);
        } catch (InterruptedException e) {
            settled = false;
            Thread.currentThread().interrupt();
        } finally {
            if (settled) {
                inFlight.finished(jobId);
            } else {
                inFlight.released(jobId);
            }
        }
    }

    /** Sends the failure now, on this thread; whether the job is settled. */
    static boolean failNow(String jobId, JobConnection connection, @CheckForNull Item context, FailureType type,
            String message) throws InterruptedException {
        JobResult result = AutomaticResults.failure(jobId, type, message, null);
        try {
            ReportOutcome outcome = JobResultSender.deliver(null, context, null, connection, result);
            String owner = context == null ? null : context.getFullName();
            if (outcome.delivered()) {
                LOGGER.info(() -> "Reported " + type.awsName() + " for CodePipeline job " + jobId + ": " + message);
                CodePipelineJobResultListener.fireReported(owner, jobId, "failure", type.awsName() + ": " + message);
                return true;
            }
            LOGGER.warning(Messages.AutomaticReport_UndeliveredFor(jobId, owner == null ? "?" : owner,
                    outcome.message()));
            boolean settled = !stopping();
            if (settled) {
                CodePipelineJobResultListener.fireUndelivered(owner, jobId, outcome.message());
            }
            return settled;
        } catch (AbortException e) {
            String owner = context == null ? null : context.getFullName();
            LOGGER.warning(Messages.AutomaticReport_UndeliveredFor(jobId, owner == null ? "?" : owner, e.getMessage()));
            CodePipelineJobResultListener.fireUndelivered(owner, jobId, String.valueOf(e.getMessage()));
            return true;
        }
    }

    /** Whether Jenkins is stopping: then an undelivered result is tried again after the restart. */
    static boolean stopping() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return jenkins == null || jenkins.isTerminating();
    }
}
