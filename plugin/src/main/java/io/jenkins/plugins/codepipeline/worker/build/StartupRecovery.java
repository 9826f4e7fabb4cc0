package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * After Jenkins starts (jobs loaded, queue.xml restored, Pipeline builds resuming), gives every job of the record its
 * one result or its build:
 * <ul>
 * <li>its Jenkins job is gone: {@code ConfigurationError};
 * <li>no build yet, and a queue item restored from queue.xml carries the job: nothing to do (the item runs it);
 * <li>no build and no queue item (a crash lost the queue): queued again with the job's stored data (a request that
 * finds an item of the same job joins it, through {@link CodePipelineJobAction#shouldSchedule});
 * <li>the build is still running (a Pipeline resumed): nothing to do, its end reports it;
 * <li>the build reported the job already: the job leaves the record;
 * <li>the build ended by itself, but its result was not sent ({@code REPORTING}): its automatic result;
 * <li>the build was killed by the restart (a freestyle build, a Pipeline that could not resume) or lost: a failure
 * that says so.
 * </ul>
 * Runs once, in the background, after {@code ItemListener.onLoaded}.
 */
final class StartupRecovery {
    private static final Logger LOGGER = Logger.getLogger(StartupRecovery.class.getName());
    /** How far back to look for a build that started just before the record was updated. */
    private static final int MAX_BUILDS_SCANNED = 50;

    private StartupRecovery() {
    }

    static void start() {
        InFlightJobs inFlight = InFlightJobs.get();
        if (inFlight.entries().isEmpty()) {
            return;
        }
        AutomaticReport.submit(() -> run(inFlight));
    }

    static void run(InFlightJobs inFlight) {
        for (JobJournal.Entry entry : inFlight.entries()) {
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                recover(inFlight, entry);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not resume CodePipeline job " + entry.jobId(), e);
            }
        }
    }

    private static void recover(InFlightJobs inFlight, JobJournal.Entry entry) throws InterruptedException {
        String jobId = entry.jobId();
        if (inFlight.get(jobId).isEmpty()) {
            return; // answered meanwhile
        }
        JobConnection connection = InFlightJobs.connectionOf(entry);
        String owner = entry.owner();
        Job<?, ?> job = owner == null ? null : Jenkins.get().getItemByFullName(owner, Job.class);
        if (job == null) {
            fail(inFlight, entry, connection, nearestExisting(owner), FailureType.CONFIGURATION_ERROR,
                    Messages.Recovery_JobGone(owner == null ? "?" : owner));
            return;
        }
        Run<?, ?> run = entry.buildNumber() > 0 ? job.getBuildByNumber(entry.buildNumber()) : findBuild(job, entry);
        if (run != null) {
            recoverBuild(inFlight, entry, connection, job, run);
            return;
        }
        if (entry.buildNumber() > 0) {
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED,
                    Messages.Recovery_BuildLost(job.getFullName(), String.valueOf(entry.buildNumber())));
            return;
        }
        if (entry.state() == JobJournal.State.REPORTING) {
            // Its failure (it never got a build) was being sent when Jenkins stopped.
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED, Messages.Recovery_NoBuild(job.getFullName()));
            return;
        }
        Queue.Item item = findQueued(job, jobId);
        if (item != null) {
            inFlight.queued(jobId, item.getId());
            LOGGER.fine(() -> "CodePipeline job " + jobId + " waits in the queue as item " + item.getId());
            return;
        }
        CodePipelineJobAction stored = inFlight.storedAction(jobId);
        if (stored == null) {
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED, Messages.Recovery_DataLost(job.getFullName()));
            return;
        }
        LOGGER.info(() -> "Queuing CodePipeline job " + jobId + " again for " + job.getFullName()
                + ": its queue item was lost when Jenkins stopped");
        JobBuildScheduler.enqueue(job, stored, inFlight);
    }

    private static void recoverBuild(InFlightJobs inFlight, JobJournal.Entry entry, JobConnection connection,
            Job<?, ?> job, Run<?, ?> run) throws InterruptedException {
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        if (action == null || !action.getJobId().equals(entry.jobId())) {
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED,
                    Messages.Recovery_BuildLost(job.getFullName(), String.valueOf(run.getNumber())));
            return;
        }
        if (action.isReported() || action.getUndelivered() != null) {
            inFlight.finished(entry.jobId());
            return;
        }
        if (run.isBuilding()) {
            // A Pipeline build resumed by the restart: the run listener reports it when it ends.
            inFlight.started(action, run);
            return;
        }
        if (!inFlight.claim(entry.jobId(), true)) {
            return;
        }
        boolean settled = false;
        try {
            JobResult result = entry.state() == JobJournal.State.REPORTING
                    ? AutomaticReport.forBuild(run, action)
                    : AutomaticReport.killed(run, action);
            settled = AutomaticReport.sendForBuild(run, action, result, null, true);
        } finally {
            if (settled) {
                inFlight.finished(entry.jobId());
            } else {
                inFlight.released(entry.jobId());
            }
        }
    }

    private static void fail(InFlightJobs inFlight, JobJournal.Entry entry, JobConnection connection,
            @CheckForNull Item context, FailureType type, String message) {
        if (inFlight.claim(entry.jobId(), true)) {
            AutomaticReport.failClaimed(inFlight, entry.jobId(), connection, context, type, message);
        }
    }

    /** A build of the job carrying this CodePipeline job, started since it was acknowledged; null when none. */
    @CheckForNull
    static Run<?, ?> findBuild(Job<?, ?> job, JobJournal.Entry entry) {
        Instant since = entry.acknowledgedAt();
        long earliest = since == null ? Long.MIN_VALUE : since.toEpochMilli() - 60_000;
        Run<?, ?> run = job.getLastBuild();
        for (int i = 0; run != null && i < MAX_BUILDS_SCANNED; i++, run = run.getPreviousBuild()) {
            if (run.getTimeInMillis() < earliest) {
                break;
            }
            CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
            if (action != null && action.getJobId().equals(entry.jobId())) {
                return run;
            }
        }
        return null;
    }

    /** The queue item (restored from queue.xml, or still there) that carries this CodePipeline job. */
    @CheckForNull
    static Queue.Item findQueued(Job<?, ?> job, String jobId) {
        if (!(job instanceof Queue.Task task)) {
            return null;
        }
        for (Queue.Item item : Jenkins.get().getQueue().getItems(task)) {
            CodePipelineJobAction action = item.getAction(CodePipelineJobAction.class);
            if (action != null && action.getJobId().equals(jobId)) {
                return item;
            }
        }
        return null;
    }

    /** The nearest folder that still exists above a gone job, for its credentials; null for global ones. */
    @CheckForNull
    static Item nearestExisting(@CheckForNull String fullName) {
        String name = fullName;
        while (name != null && name.contains("/")) {
            name = name.substring(0, name.lastIndexOf('/'));
            Item item = Jenkins.get().getItemByFullName(name);
            if (item != null) {
                return item;
            }
        }
        return null;
    }
}
