package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractBuild;
import hudson.model.Executor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import jenkins.model.queue.ItemDeletion;
import jenkins.util.Timer;

/**
 * Records when a CodePipeline job's build starts, and sends the job's result when the build completes, unless a
 * report step or the freestyle action already reported that job in this build.
 *
 * <p>A build that must not run its job (another live build runs it, or it was answered already: a queue item
 * restored from an older queue.xml, or one that raced the recovery) is stopped when it starts, with
 * {@code NOT_BUILT}, and reports nothing.
 *
 * <p>The job is claimed in {@code onCompleted}, after the result is final (one write of the record). A freestyle
 * build's result is then sent on its executor's thread, before Jenkins saves the build and closes its log: the
 * report is bounded by the global time limit, is written to the build log, and Jenkins' save keeps what it recorded
 * on the build. A Pipeline build ends on its CPS VM thread ({@code WorkflowRun.finish} is called from a graph
 * listener that workflow-cps runs there), which must not wait for the network: its result is sent from the
 * background pool, which records the outcome on the build and saves it once. {@code onFinalized} is a safety net
 * for a build that ends without {@code onCompleted}.
 *
 * <p>While Jenkins stops, nothing is sent: a build the shutdown aborted is reported as killed by the restart when
 * Jenkins starts again, one that ended by itself with its result ({@link StartupRecovery}).
 */
@Extension
public final class CodePipelineJobRunListener extends RunListener<Run<?, ?>> {
    private static final Logger LOGGER = Logger.getLogger(CodePipelineJobRunListener.class.getName());

    @Override
    public void onStarted(Run<?, ?> run, TaskListener listener) {
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        if (action == null || !isCurrent(run)) {
            return;
        }
        String notOurs = InFlightJobs.get().started(action, run);
        if (notOurs != null) {
            action.markDuplicate(notOurs);
            listener.getLogger().println(AutomaticReport.PREFIX + Messages.RunListener_Duplicate(action.getJobId(),
                    notOurs));
            LOGGER.warning(() -> run.getFullDisplayName() + " does not run CodePipeline job " + action.getJobId()
                    + ": " + notOurs + "; it is stopped");
            stop(run, new DuplicateJobInterruption(action.getJobId(), notOurs));
            return;
        }
        listener.getLogger().println(AutomaticReport.PREFIX + Messages.RunListener_Started(action.getJobId(),
                action.describe()));
        EarlyReport.start(run, action, listener.getLogger()); // the live link, when the trigger reports progress
    }

    /**
     * Stops a build that must not run its job: {@code NOT_BUILT} at once (the result only gets worse), then its
     * executor is interrupted with that result from another thread, once the build runs (a Pipeline build once its
     * flow started, so that the interrupt reaches the flow rather than the thread that starts it).
     */
    static void stop(Run<?, ?> run, DuplicateJobInterruption cause) {
        try {
            run.setResult(Result.NOT_BUILT);
        } catch (IllegalStateException e) {
            LOGGER.log(Level.FINE, "result not set; the interrupt sets it", e);
        }
        Timer.get().schedule(new Runnable() {
            private int tries;

            @Override
            public void run() {
                if (!run.isBuilding()) {
                    return;
                }
                Executor executor = run.getExecutor();
                boolean flowStarted = executor != null && (run instanceof AbstractBuild
                        || executor.getAsynchronousExecution() != null);
                if (flowStarted) {
                    executor.interrupt(Result.NOT_BUILT, cause);
                } else if (++tries < 60) {
                    Timer.get().schedule(this, 1, TimeUnit.SECONDS);
                }
            }
        }, 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onCompleted(Run<?, ?> run, @NonNull TaskListener listener) {
        complete(run, listener.getLogger(), false);
    }

    @Override
    public void onFinalized(Run<?, ?> run) {
        complete(run, null, true);
    }

    private static void complete(Run<?, ?> run, @CheckForNull PrintStream log, boolean finalized) {
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        if (action == null || action.getDuplicateOf() != null) {
            return;
        }
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || !isCurrent(run)) {
            return; // a build of a Jenkins that is gone (tests restart Jenkins in one JVM)
        }
        InFlightJobs inFlight = InFlightJobs.get();
        if (action.isReported() || action.getUndelivered() != null) {
            inFlight.finished(action.getJobId());
            return;
        }
        if (action.getFollowUpLost() != null) {
            // The live link's wait was given up: the early report closed the job, so nothing more is sent to it.
            inFlight.finished(action.getJobId());
            return;
        }
        if (action.isReportProgress() && run instanceof AbstractBuild && !finalized) {
            // A freestyle build that ends while its early report is on its way: its outcome goes into the log first.
            EarlyReport.awaitSent(action, CodePipelineJobWorkerConfiguration.get().getTimeoutSeconds() * 1000L);
        }
        // A build the shutdown aborted is reported as killed by the restart, as without the live link.
        boolean endedByItself = !(AutomaticReport.stopping() && run.getResult() == Result.ABORTED);
        if (inFlight.endedWhileAwaiting(action, endedByItself)) {
            // The live link: the early report closed the job; the result goes to the follow-up job when it comes.
            if (log != null && !finalized) {
                log.println(AutomaticReport.PREFIX + Messages.RunListener_EndedAwaiting(action.getJobId()));
            }
            return;
        }
        if (AutomaticReport.stopping()) { // from onBeforeShutdown on: the SDK clients may be closed already
            if (!finalized) {
                boolean ended = run.getResult() != Result.ABORTED;
                inFlight.deferred(action.getJobId(), ended);
                if (log != null) {
                    log.println(AutomaticReport.PREFIX + Messages.RunListener_Deferred(action.getJobId()));
                }
            }
            return;
        }
        if (!inFlight.claim(action, run)) {
            return;
        }
        JobResult result;
        try {
            Job<?, ?> job = run.getParent();
            if (ItemDeletion.contains(job)) {
                result = AutomaticResults.failure(action.getJobId(), FailureType.CONFIGURATION_ERROR,
                        Messages.Deleted(job.getFullName()), action.getExternalExecutionId());
            } else {
                result = AutomaticReport.forBuild(run, action);
            }
        } catch (RuntimeException e) {
            // Not silently dropped: the build page and the log say why nothing was sent.
            LOGGER.log(Level.WARNING, "Could not make the result of CodePipeline job " + action.getJobId() + " for "
                    + run, e);
            String problem = "the result could not be made: " + e;
            action.recordUndelivered(problem);
            if (log != null) {
                log.println(AutomaticReport.PREFIX + Messages.AutomaticReport_Undelivered(action.getJobId(), problem));
            }
            CodePipelineJobResultListener.fireUndelivered(run.getParent().getFullName(), action.getJobId(), problem);
            inFlight.finished(action.getJobId());
            return;
        }
        AutomaticReport.Delivery delivery = AutomaticReport.Delivery.forBuild(run, action, result, false);
        if (run instanceof AbstractBuild && !finalized) {
            // The executor's thread: sent here, written to the build log; Jenkins saves the build right after.
            AutomaticReport.deliverNow(inFlight, delivery, log, false);
        } else {
            // A Pipeline build ends on its CPS VM thread, which must not wait for the network.
            if (log != null) {
                log.println(AutomaticReport.PREFIX + Messages.AutomaticReport_InBackground(action.getJobId()));
            }
            AutomaticReport.deliverLater(inFlight, delivery);
        }
    }

    /** A build that ended while its early report was on its way, which was not delivered: reported now. */
    static void reportEnded(Run<?, ?> run) {
        complete(run, null, true);
    }

    /**
     * Whether the build belongs to the running Jenkins, not to a Jenkins that stopped (tests run several in one JVM).
     * The Jenkins instance is compared, not the job object: "Reload Configuration from Disk" replaces the job objects
     * while builds of the old ones still end.
     */
    static boolean isCurrent(Run<?, ?> run) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null) {
            return false;
        }
        ItemGroup<?> group = run.getParent().getParent();
        while (group instanceof Item item) {
            group = item.getParent();
        }
        return group == jenkins;
    }

    /** Why a build that must not run its job was stopped; shown on the build page and in its log. */
    static final class DuplicateJobInterruption extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;
        private final String jobId;
        private final String why;

        DuplicateJobInterruption(String jobId, String why) {
            this.jobId = jobId;
            this.why = why;
        }

        @Override
        public String getShortDescription() {
            return Messages.Duplicate_ShortDescription(jobId, why);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DuplicateJobInterruption d && jobId.equals(d.jobId) && why.equals(d.why);
        }

        @Override
        public int hashCode() {
            return jobId.hashCode();
        }
    }
}
