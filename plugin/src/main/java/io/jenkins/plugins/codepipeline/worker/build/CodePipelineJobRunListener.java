package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults;
import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.queue.ItemDeletion;

/**
 * Records when a CodePipeline job's build starts, and sends the job's result when the build completes, unless a
 * report step or the freestyle action already reported that job in this build.
 *
 * <p>{@code onCompleted} runs on the build's own thread (the executor of a freestyle build, the thread that ends a
 * Pipeline, also after a restart resumed it), after the result is final and before Jenkins saves the build and closes
 * its log: the report is bounded by the global time limit, is written to the build log, and Jenkins' save keeps what
 * it recorded on the build. {@code onFinalized} is a safety net for a build that ends without {@code onCompleted}.
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
        InFlightJobs.get().started(action, run);
        listener.getLogger().println(AutomaticReport.PREFIX + Messages.RunListener_Started(action.getJobId(),
                action.describe()));
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
        if (action == null) {
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
        if (jenkins.isTerminating()) {
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
        boolean settled = true;
        try {
            JobResult result;
            Job<?, ?> job = run.getParent();
            if (ItemDeletion.contains(job)) {
                result = AutomaticResults.failure(action.getJobId(), FailureType.CONFIGURATION_ERROR,
                        Messages.Deleted(job.getFullName()), action.getExternalExecutionId());
            } else {
                result = AutomaticReport.forBuild(run, action);
            }
            // After onCompleted Jenkins saves the build; after onFinalized nothing does.
            settled = AutomaticReport.sendForBuild(run, action, result, log, finalized);
        } catch (InterruptedException e) {
            // Jenkins stopping: the restart tries again. Otherwise (an abort during the report) it is not retried.
            settled = !AutomaticReport.stopping();
            if (settled) {
                action.recordUndelivered(String.valueOf(e.getMessage()));
            }
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not send the result of CodePipeline job " + action.getJobId() + " for "
                    + run, e);
        } finally {
            if (settled) {
                inFlight.finished(action.getJobId());
            } else {
                inFlight.released(action.getJobId());
            }
        }
    }

    /** Whether the build belongs to the running Jenkins' job of that name, not to a Jenkins that stopped. */
    static boolean isCurrent(Run<?, ?> run) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null) {
            return false;
        }
        Job<?, ?> job = run.getParent();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return jenkins.getItemByFullName(job.getFullName(), Job.class) == job;
        }
    }
}
