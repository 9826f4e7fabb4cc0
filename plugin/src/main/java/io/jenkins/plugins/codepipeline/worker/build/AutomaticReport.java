package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.artifacts.CodePipelineArtifactsAction;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.ReportAbortedException;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactSelection;
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults;
import io.jenkins.plugins.codepipeline.impl.JobResultSender;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The result the job worker sends by itself: when a build ends and nothing reported its job, when a job's build
 * cannot run (not schedulable, cancelled in the queue, its Jenkins job deleted), and after a restart. Core's
 * {@link AutomaticResults} decides the result; {@link JobResultSender#deliver} sends it with the job's own
 * connection.
 *
 * <p>A result that CodePipeline refuses for good (the job is closed or unknown, the request is invalid) is not sent
 * again. One that was not delivered for a reason that may pass (throttling, 5xx, a broken connection, an error such
 * as AccessDenied that an administrator may fix) is kept in the record and tried again in the background, with waits
 * that double from {@link #retryInitialMillis} up to five minutes, for at most {@link #retryWindowMillis}; while
 * Jenkins stops it is left to the restart. A result that cannot be delivered in the end is written to the build
 * log (when it is still open), the build page and the log of this class
 * ({@code io.jenkins.plugins.codepipeline.worker.build.AutomaticReport}), and {@link CodePipelineJobResultListener}s
 * hear of it.
 *
 * <p>The pool that sends in the background belongs to the running Jenkins: it is shut down as soon as Jenkins begins
 * to stop ({@link #shutDownPool}, from {@code ItemListener.onBeforeShutdown}, which runs before the terminators close
 * the SDK clients and before {@code Jenkins.isTerminating()} turns true), and the next Jenkins makes a new one (tests
 * run several Jenkins in one JVM). Not a {@code @Terminator}: Jenkins invokes those by reflection, which cannot call
 * a method of this package-private class.
 */
final class AutomaticReport {
    /** Who reported, on the build page. */
    static final String REPORTER = "automatic report";
    static final String PREFIX = "[CodePipeline] ";
    private static final Logger LOGGER = Logger.getLogger(AutomaticReport.class.getName());

    private AutomaticReport() {
    }

    /** Error codes with which CodePipeline refuses a result for good: sending it again cannot help. */
    static final Set<String> FINAL_REFUSALS = Set.of("InvalidJobStateException", "JobNotFoundException",
            "ValidationException", "InvalidJobException", "InvalidNonceException",
            "OutputVariablesSizeExceededException");

    /** The first wait before a result that was not delivered is tried again; it doubles up to 5 minutes. */
    static long retryInitialMillis = Long.getLong(AutomaticReport.class.getName() + ".retryInitialMillis", 15_000L);
    static long retryMaxDelayMillis = Long.getLong(AutomaticReport.class.getName() + ".retryMaxDelayMillis",
            300_000L);
    /** How long a result that was not delivered is tried again before it is given up. */
    static long retryWindowMillis = Long.getLong(AutomaticReport.class.getName() + ".retryWindowMillis",
            1_800_000L);

    /** Reports sent off the thread that decided them (queue listeners hold the queue's lock, Pipeline builds end on
     *  their CPS VM thread), and the retries; run as the system. Guarded by the class. */
    private static ScheduledThreadPoolExecutor pool;
    /** The Jenkins that began to stop ({@link #shutDownPool}); weak, so that a stopped Jenkins is not kept. */
    private static volatile WeakReference<Jenkins> stopped = new WeakReference<>(null);

    private static synchronized ScheduledExecutorService pool() {
        if (pool == null) {
            if (stopping()) {
                throw new RejectedExecutionException("Jenkins is stopping"); // no pool is made for a stopping Jenkins
            }
            AtomicInteger count = new AtomicInteger();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(4, r -> {
                Thread thread = new Thread(() -> {
                    try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                        r.run();
                    }
                }, "CodePipeline job results #" + count.incrementAndGet());
                thread.setDaemon(true);
                thread.setContextClassLoader(AutomaticReport.class.getClassLoader());
                return thread;
            });
            executor.setKeepAliveTime(60, TimeUnit.SECONDS);
            executor.allowCoreThreadTimeOut(true); // no thread stays while nothing is sent
            executor.setRemoveOnCancelPolicy(true);
            pool = executor;
        }
        return pool;
    }

    /**
     * Jenkins begins to stop: nothing more is sent or tried again ({@link #stopping} is true from now on), and the pool
     * stops; a result being sent (interrupted) or waiting for a retry is left in the record and sent after the restart.
     */
    static void shutDownPool() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins != null) {
            stopped = new WeakReference<>(jenkins);
        }
        ScheduledThreadPoolExecutor executor;
        synchronized (AutomaticReport.class) {
            executor = pool;
            pool = null;
        }
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOGGER.warning("CodePipeline job result threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code task} in the background (as the system); false when Jenkins is stopping and it cannot. */
    static boolean submit(Runnable task) {
        return schedule(task, 0);
    }

    private static boolean schedule(Runnable task, long delayMillis) {
        if (stopping()) {
            return false; // no pool is made for a Jenkins that stops: the restart does the work
        }
        try {
            pool().schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException | LinkageError e) {
                    LOGGER.log(Level.WARNING, "A CodePipeline job result task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            LOGGER.log(Level.FINE, "not run: the pool is shut down", e);
            return false;
        }
    }

    /**
     * The result of a build that reported nothing for its job: a step failure's reason; else from the build's result,
     * except that a build that would be a success but did not upload every output artifact the job declares is a
     * ConfigurationError naming them.
     */
    static JobResult forBuild(@NonNull Run<?, ?> run, @NonNull CodePipelineJobAction action) {
        String executionId = action.getExternalExecutionId();
        String stepFailure = action.getStepFailure();
        if (stepFailure != null) {
            return AutomaticResults.failure(action.getJobId(), FailureType.JOB_FAILED,
                    Messages.AutomaticReport_StepFailed(run.getFullDisplayName(), stepFailure), executionId);
        }
        JobResult result = AutomaticResults.forBuild(action.getJobId(), outcome(run.getResult()),
                run.getFullDisplayName(), url(run), executionId, action.isUnstableAsSuccess());
        if (result instanceof SuccessResult) {
            // A success would send the next stage looking for outputs that are not there.
            List<String> declared = action.getOutputArtifacts().stream().map(CodePipelineJobAction.Artifact::getName)
                    .toList();
            List<String> missing = ArtifactSelection.missingOutputs(declared,
                    CodePipelineArtifactsAction.uploadedOutputs(run, action.getJobId()));
            if (!missing.isEmpty()) {
                return AutomaticResults.missingOutputArtifacts(action.getJobId(), missing, run.getFullDisplayName(),
                        executionId);
            }
        }
        return result;
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

    /** What happened to one attempt. */
    enum Next {
        /** Delivered, or refused or given up for good: the job leaves the record. */
        SETTLED,
        /** Not delivered for a reason that may pass: try again later. */
        RETRY,
        /** Jenkins is stopping: the record keeps the job, and the restart sends it. */
        RELEASE
    }

    /**
     * A claimed job's result on its way, with what is known of the earlier attempts.
     */
    static final class Delivery {
        final String jobId;
        final JobConnection connection;
        final JobResult result;
        /** The build, or null when the job never got one. */
        @CheckForNull
        final Run<?, ?> run;
        @CheckForNull
        final CodePipelineJobAction action;
        /** Where the credentials are looked up when there is no build. */
        @CheckForNull
        final Item context;
        /** Sent again after a restart, or after an attempt that may have arrived: a closed job was most likely closed
         *  by this result. */
        boolean mayHaveArrived;
        /** A failure for a job that may never have been acknowledged: CodePipeline refusing it is fine. */
        final boolean maybeNotOurs;
        final long firstTry = System.currentTimeMillis();
        int attempts;
        String lastProblem;

        private Delivery(String jobId, JobConnection connection, JobResult result, @CheckForNull Run<?, ?> run,
                @CheckForNull CodePipelineJobAction action, @CheckForNull Item context, boolean mayHaveArrived,
                boolean maybeNotOurs) {
            this.jobId = jobId;
            this.connection = connection;
            this.result = result;
            this.run = run;
            this.action = action;
            this.context = context;
            this.mayHaveArrived = mayHaveArrived;
            this.maybeNotOurs = maybeNotOurs;
        }

        static Delivery forBuild(Run<?, ?> run, CodePipelineJobAction action, JobResult result, boolean resent) {
            return new Delivery(action.getJobId(), action.getConnection(), result, run, action, run.getParent(),
                    resent, false);
        }

        static Delivery withoutBuild(String jobId, JobConnection connection, JobResult result,
                @CheckForNull Item context, boolean resent, boolean maybeNotOurs) {
            return new Delivery(jobId, connection, result, null, null, context, resent, maybeNotOurs);
        }

        @CheckForNull
        String owner() {
            if (run != null) {
                return run.getParent().getFullName();
            }
            return context == null ? null : context.getFullName();
        }

        String describe() {
            return run != null ? run.getFullDisplayName() : owner() == null ? "?" : owner();
        }
    }

    /**
     * Sends a claimed job's result now, on this thread; when it is not delivered for a reason that may pass, tries
     * again in the background. The job leaves the record once it is settled.
     *
     * @param log  the build log, or null
     * @param save whether to save the build here (false when Jenkins saves it right after, as after a freestyle
     *             build's {@code RunListener.onCompleted})
     */
    static void deliverNow(InFlightJobs inFlight, Delivery d, @CheckForNull PrintStream log, boolean save) {
        Next next;
        try {
            next = attempt(d, log, save);
        } catch (InterruptedException e) {
            next = interrupted(d, e, log);
            Thread.currentThread().interrupt();
        }
        after(inFlight, d, next, log);
    }

    /** Sends a claimed job's result in the background (and tries again there when needed). */
    static void deliverLater(InFlightJobs inFlight, Delivery d) {
        if (!submit(() -> attemptInBackground(inFlight, d))) {
            inFlight.released(d.jobId); // Jenkins stopping: the restart sends it
        }
    }

    private static void attemptInBackground(InFlightJobs inFlight, Delivery d) {
        Next next;
        try {
            next = attempt(d, null, true);
        } catch (InterruptedException e) {
            next = interrupted(d, e, null);
        }
        after(inFlight, d, next, null);
    }

    private static Next interrupted(Delivery d, InterruptedException e, @CheckForNull PrintStream log) {
        if (stopping()) {
            return Next.RELEASE;
        }
        // An abort of the build while its result was sent: the result is still owed, send it in the background.
        d.mayHaveArrived |= !(e instanceof ReportAbortedException aborted) || aborted.mayHaveBeenDelivered();
        d.lastProblem = String.valueOf(e.getMessage());
        if (log != null) {
            log.println(PREFIX + Messages.AutomaticReport_Retrying(d.jobId, d.lastProblem));
        }
        return Next.RETRY;
    }

    private static void after(InFlightJobs inFlight, Delivery d, Next next, @CheckForNull PrintStream log) {
        switch (next) {
            case SETTLED -> inFlight.finished(d.jobId);
            case RELEASE -> inFlight.released(d.jobId);
            case RETRY -> {
                long delay = retryDelay(d.attempts);
                if (!schedule(() -> attemptInBackground(inFlight, d), delay)) {
                    inFlight.released(d.jobId);
                }
            }
            default -> throw new IllegalStateException(String.valueOf(next));
        }
    }

    /** 1, 2, 4, ... times the first wait, at most {@link #retryMaxDelayMillis}. */
    static long retryDelay(int attempts) {
        long delay = retryInitialMillis;
        for (int i = 1; i < attempts && delay < retryMaxDelayMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, retryMaxDelayMillis);
    }

    /** One attempt: sends, records what happened (on the build's action, in the logs, to the listeners). */
    static Next attempt(Delivery d, @CheckForNull PrintStream log, boolean save) throws InterruptedException {
        d.attempts++;
        ReportOutcome outcome;
        try {
            outcome = JobResultSender.deliver(d.run, d.context, log, d.connection, d.result);
        } catch (AbortException e) {
            if (stopping()) {
                return Next.RELEASE; // the clients close with Jenkins: the restart sends it
            }
            // Could not even start (settings, credentials): sending it again would not help.
            return undelivered(d, String.valueOf(e.getMessage()), log, save);
        } catch (RuntimeException e) {
            if (stopping()) {
                return Next.RELEASE;
            }
            LOGGER.log(Level.WARNING, "Could not send the result of CodePipeline job " + d.jobId, e);
            return undelivered(d, "the result could not be sent: " + e, log, save);
        }
        if (outcome.delivered()) {
            delivered(d, outcome, null, log, save);
            return Next.SETTLED;
        }
        if (outcome.attempts().stream().anyMatch(a -> !a.answered())) {
            d.mayHaveArrived = true; // an earlier request of this result may have reached CodePipeline
        }
        if (outcome.status() == ReportOutcome.Status.REFUSED && FINAL_REFUSALS.contains(outcome.errorCode())) {
            boolean closed = "InvalidJobStateException".equals(outcome.errorCode());
            if (d.maybeNotOurs && (closed || "JobNotFoundException".equals(outcome.errorCode()))) {
                // A job that was maybe never acknowledged: CodePipeline did not have it as ours. Nothing is owed.
                LOGGER.info(() -> "CodePipeline job " + d.jobId + " of " + d.describe() + " was not this "
                        + "controller's (" + outcome.errorCode() + "): nothing to report");
                return Next.SETTLED;
            }
            if (closed && d.mayHaveArrived) {
                delivered(d, outcome, Messages.AutomaticReport_ProbablyDelivered(), log, save);
                return Next.SETTLED;
            }
            return undelivered(d, outcome.message(), log, save);
        }
        // Not delivered, for a reason that may pass.
        d.lastProblem = outcome.message();
        if (stopping()) {
            if (log != null) {
                log.println(PREFIX + Messages.RunListener_Deferred(d.jobId));
            }
            return Next.RELEASE;
        }
        long elapsed = System.currentTimeMillis() - d.firstTry;
        if (elapsed + retryDelay(d.attempts) > retryWindowMillis) {
            return undelivered(d, Messages.AutomaticReport_GaveUp(outcome.message(), d.attempts,
                    Math.max(1, elapsed / 60_000)), log, save);
        }
        if (d.attempts == 1) {
            if (log != null) {
                log.println(PREFIX + Messages.AutomaticReport_Retrying(d.jobId, outcome.message()));
            }
            LOGGER.warning(Messages.AutomaticReport_RetryingFor(d.jobId, d.describe(), outcome.message()));
        }
        if (d.action != null) {
            d.action.recordRetrying(outcome.message()); // shown on the build page; not worth a save
        }
        return Next.RETRY;
    }

    private static void delivered(Delivery d, ReportOutcome outcome, @CheckForNull String note,
            @CheckForNull PrintStream log, boolean save) {
        String kind = JobResultSender.kind(d.result);
        String detail = JobResultSender.detail(d.result);
        if (note != null) {
            detail = detail == null ? note : detail + " (" + note + ")";
        }
        if (d.action != null && d.run != null) {
            d.action.markReported(REPORTER, kind, detail, outcome.requestId());
            saveQuietly(d.run, save);
        }
        if (log != null) {
            log.println(PREFIX + "Reported " + kind + " for job " + d.jobId + " (AWS request id "
                    + outcome.requestId() + ")" + (outcome.status() == ReportOutcome.Status.DELIVERED && note == null
                            ? "" : ": " + (note != null ? note : outcome.message())));
        }
        String finalDetail = detail;
        if (note == null) {
            LOGGER.fine(() -> "Reported " + kind + " for CodePipeline job " + d.jobId + " of " + d.describe());
        } else {
            LOGGER.info(() -> "CodePipeline job " + d.jobId + " of " + d.describe() + ": " + note);
        }
        CodePipelineJobResultListener.fireReported(d.owner(), d.jobId, kind, finalDetail);
    }

    private static Next undelivered(Delivery d, String problem, @CheckForNull PrintStream log, boolean save) {
        if (d.action != null && d.run != null) {
            d.action.recordUndelivered(problem);
            saveQuietly(d.run, save);
        }
        if (log != null) {
            log.println(PREFIX + Messages.AutomaticReport_Undelivered(d.jobId, problem));
        }
        LOGGER.warning(Messages.AutomaticReport_UndeliveredFor(d.jobId, d.describe(), problem));
        CodePipelineJobResultListener.fireUndelivered(d.owner(), d.jobId, problem);
        return Next.SETTLED;
    }

    private static void saveQuietly(Run<?, ?> run, boolean save) {
        if (!save) {
            return;
        }
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + run, e);
        }
    }

    /**
     * Fails a job that has no build, in the background; the job leaves the record once the result is sent (or
     * refused). The caller has {@linkplain InFlightJobs#claim claimed} the job.
     *
     * @param context where the credentials are looked up: the Jenkins job, a folder, or null for global ones
     */
    static void failInBackground(InFlightJobs inFlight, String jobId, JobConnection connection,
            @CheckForNull Item context, FailureType type, String message) {
        deliverLater(inFlight, Delivery.withoutBuild(jobId, connection,
                AutomaticResults.failure(jobId, type, message, null), context, false, false));
    }

    /** Fails a claimed job that has no build, on this thread (retries in the background). */
    static void failClaimed(InFlightJobs inFlight, String jobId, JobConnection connection, @CheckForNull Item context,
            FailureType type, String message, boolean resent, boolean maybeNotOurs) {
        deliverNow(inFlight, Delivery.withoutBuild(jobId, connection,
                AutomaticResults.failure(jobId, type, message, null), context, resent, maybeNotOurs), null, true);
    }

    /**
     * Whether Jenkins is stopping (from {@code ItemListener.onBeforeShutdown} on, when the SDK clients may be closed
     * already: {@code isTerminating()} turns true only after the terminators ran): then an undelivered result is tried
     * again after the restart.
     */
    static boolean stopping() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return jenkins == null || jenkins.isTerminating() || stopped.get() == jenkins;
    }
}
