package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.WorkUnit;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Gives every job of the record its one result or its build: after Jenkins starts (jobs loaded, queue.xml restored,
 * Pipeline builds resuming), and every minute for the jobs that stayed in the record longer than a poll or two
 * should take ({@link InFlightSweep}: a queue item that left without a build and without being cancelled, a result
 * whose sending failed unexpectedly, an entry that could not be removed):
 * <ul>
 * <li>its Jenkins job is gone: {@code ConfigurationError};
 * <li>a queue item carries the job (one restored from queue.xml, or still waiting): nothing to do, the item runs it;
 * <li>an executor has started it (the item left the queue, but the build does not carry the job yet), or a build runs
 * it (a Pipeline resumed): nothing to do, its end reports it;
 * <li>recorded before its acknowledgement, with no build: a failure, "Jenkins stopped while taking the job", which
 * CodePipeline refuses harmlessly when the acknowledgement never went through;
 * <li>no build and no queue item (a crash lost the queue): queued again with the job's stored data (a request that
 * finds an item of the same job joins it, through {@link CodePipelineJobAction#shouldSchedule});
 * <li>the build reported the job already: the job leaves the record;
 * <li>the build ended by itself, but its result was not sent ({@code REPORTING}): its automatic result (a closed job
 * then most likely means it was delivered before the restart);
 * <li>the build was killed by the restart (a freestyle build, a Pipeline that could not resume) or lost: a failure
 * that says so.
 * </ul>
 * Where a job is, is looked up with the queue's lock held (queue items, items that left the queue for an executor,
 * the executors' work), so that an item that leaves the queue while it is looked at is not queued a second time:
 * {@code Executor.run} takes an item and creates its build with that lock held, and copies the item's actions (the
 * job) onto the build later. Each entry is read again just before it is looked at.
 */
final class StartupRecovery {
    private static final Logger LOGGER = Logger.getLogger(StartupRecovery.class.getName());
    /** How far back to look for a build that started just before the record was updated. */
    private static final int MAX_BUILDS_SCANNED = 50;
    /** How often the sweep queues a job again whose build never gets created, before it fails the job. */
    static final int MAX_REQUEUES = 3;

    private StartupRecovery() {
    }

    /** Where a job is, as seen with the queue's lock held. */
    enum Where { QUEUED, STARTED, NOWHERE }

    record Place(Where where, @CheckForNull Queue.Item item, @CheckForNull Run<?, ?> run) {
        static final Place NOWHERE = new Place(Where.NOWHERE, null, null);
    }

    /** After Jenkins loaded its jobs and queue: the recovery, in the background. */
    static void start() {
        InFlightJobs inFlight = InFlightJobs.get();
        if (inFlight.entries().isEmpty()) {
            inFlight.recoveryDone();
            return;
        }
        if (!AutomaticReport.submit(() -> {
            try {
                pass(inFlight, true);
            } finally {
                inFlight.recoveryDone();
            }
        })) {
            inFlight.recoveryDone();
        }
    }

    /** The sweep: the entries older than {@code minimumAgeMillis} that nobody is answering. */
    static void sweep(InFlightJobs inFlight, long minimumAgeMillis) {
        inFlight.retryRemovals();
        long newest = System.currentTimeMillis() - minimumAgeMillis;
        for (JobJournal.Entry entry : inFlight.entries()) {
            Instant at = entry.acknowledgedAt();
            if (at != null && at.toEpochMilli() > newest) {
                continue;
            }
            if (!recoverQuietly(inFlight, entry.jobId(), false)) {
                return;
            }
        }
    }

    static void pass(InFlightJobs inFlight, boolean startup) {
        for (JobJournal.Entry entry : inFlight.entries()) {
            if (!recoverQuietly(inFlight, entry.jobId(), startup)) {
                return;
            }
        }
    }

    /** False when interrupted (Jenkins stopping). */
    private static boolean recoverQuietly(InFlightJobs inFlight, String jobId, boolean startup) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            recover(inFlight, jobId, startup);
            return true;
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not resume CodePipeline job " + jobId, e);
            return !Thread.currentThread().isInterrupted();
        }
    }

    static void recover(InFlightJobs inFlight, String jobId, boolean startup) {
        // Read again: the snapshot the pass started from may be stale by now.
        JobJournal.Entry entry = inFlight.get(jobId).orElse(null);
        if (entry == null || inFlight.isClaimed(jobId)) {
            return; // answered meanwhile, or being answered
        }
        if (entry.state() == JobJournal.State.AWAITING_FOLLOW_UP) {
            // The live link: the build waits for its follow-up job, which the trigger attaches when it comes.
            FollowUpJobs.recover(inFlight, entry, startup);
            return;
        }
        JobConnection connection = InFlightJobs.connectionOf(entry);
        String owner = entry.owner();
        Job<?, ?> job = owner == null ? null : Jenkins.get().getItemByFullName(owner, Job.class);
        if (job == null) {
            fail(inFlight, entry, connection, nearestExisting(owner), FailureType.CONFIGURATION_ERROR,
                    Messages.Recovery_JobGone(owner == null ? "?" : owner), false);
            return;
        }
        boolean pending = inFlight.isPending(entry);
        Place place = locate(inFlight, job, jobId);
        if (place.where() == Where.QUEUED) {
            inFlight.queued(jobId, place.item().getId());
            LOGGER.fine(() -> "CodePipeline job " + jobId + " waits in the queue as item " + place.item().getId());
            return;
        }
        if (place.where() == Where.STARTED) {
            Run<?, ?> run = place.run();
            CodePipelineJobAction action = run == null ? null : run.getAction(CodePipelineJobAction.class);
            if (action != null && action.getJobId().equals(jobId)) {
                recoverBuild(inFlight, entry, connection, job, run, startup);
            }
            return; // otherwise its build is being created: it carries the job once it starts
        }
        Run<?, ?> run = entry.buildNumber() > 0 ? job.getBuildByNumber(entry.buildNumber())
                : findBuild(job, jobId, entry.acknowledgedAt(), null);
        if (run != null) {
            recoverBuild(inFlight, entry, connection, job, run, startup);
            return;
        }
        if (entry.buildNumber() > 0) {
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED,
                    Messages.Recovery_BuildLost(job.getFullName(), String.valueOf(entry.buildNumber())), false);
            return;
        }
        if (entry.state() == JobJournal.State.REPORTING) {
            // Its failure (it never got a build) was being sent when Jenkins stopped.
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED, Messages.Recovery_NoBuild(job.getFullName()),
                    false);
            return;
        }
        if (pending) {
            // Recorded before AcknowledgeJob, and nothing says that the acknowledgement went through.
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED, startup
                    ? Messages.Recovery_PendingStopped(job.getFullName()) : Messages.Recovery_NotTaken(job.getFullName()),
                    true);
            return;
        }
        CodePipelineJobAction stored = inFlight.storedAction(jobId);
        if (stored == null) {
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED, Messages.Recovery_DataLost(job.getFullName()),
                    false);
            return;
        }
        if (!startup) {
            int times = inFlight.requeued(jobId);
            if (times > MAX_REQUEUES) {
                fail(inFlight, entry, connection, job, FailureType.JOB_FAILED,
                        Messages.Recovery_NotCreated(job.getFullName(), String.valueOf(times - 1)), false);
                return;
            }
        }
        LOGGER.info(() -> "Queuing CodePipeline job " + jobId + " again for " + job.getFullName() + ": "
                + (startup ? "its queue item was lost when Jenkins stopped" : "it has neither a queue item nor a build"));
        JobBuildScheduler.enqueue(job, stored, inFlight);
    }

    private static void recoverBuild(InFlightJobs inFlight, JobJournal.Entry entry, JobConnection connection,
            Job<?, ?> job, Run<?, ?> run, boolean startup) {
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        if (action != null && startup) {
            FollowUpJobs.adoptRecorded(entry, run, action);
        }
        if (action == null || !action.getJobId().equals(entry.jobId()) || action.getDuplicateOf() != null) {
            fail(inFlight, entry, connection, job, FailureType.JOB_FAILED,
                    Messages.Recovery_BuildLost(job.getFullName(), String.valueOf(run.getNumber())), false);
            return;
        }
        if (action.isReported() || action.getUndelivered() != null) {
            inFlight.finished(entry.jobId());
            return;
        }
        if (startup && action.isAwaitingFollowUp()) {
            // Its early report was never sent (the record would wait): the build goes on with its job.
            action.clearAwaitingFollowUp();
            try {
                run.save();
            } catch (java.io.IOException e) {
                LOGGER.log(Level.WARNING, "Could not save " + run, e);
            }
        }
        if (run.isBuilding()) {
            // Started (a Pipeline build resumed by the restart, or one just taken from the queue): the run listener
            // reports it when it ends.
            if (startup && entry.buildNumber() != run.getNumber()) {
                inFlight.started(action, run);
            }
            return;
        }
        // Ending now (its log still open: a Pipeline resumed by this start that has just finished is no longer
        // building, but its run listener has yet to claim the job), or, for the sweep, ended a moment ago: the run
        // listener is on it. A build that ended before the restart has its log closed.
        if (run.isLogUpdated()
                || !startup && System.currentTimeMillis() - (run.getStartTimeInMillis() + run.getDuration()) < 60_000) {
            return;
        }
        if (!inFlight.claim(entry.jobId(), true)) {
            return;
        }
        // buildEnded: the live link's record of a build that ended by itself while it waited for its follow-up job.
        boolean ended = !startup || entry.state() == JobJournal.State.REPORTING || entry.buildEnded();
        JobResult result;
        try {
            result = ended ? AutomaticReport.forBuild(run, action) : AutomaticReport.killed(run, action);
        } catch (RuntimeException e) {
            inFlight.released(entry.jobId());
            throw e;
        }
        // A REPORTING entry's result may have been delivered before the restart: a closed job then says it was.
        AutomaticReport.deliverNow(inFlight, AutomaticReport.Delivery.forBuild(run, action, result,
                entry.state() == JobJournal.State.REPORTING), null, true);
    }

    private static void fail(InFlightJobs inFlight, JobJournal.Entry entry, JobConnection connection,
            @CheckForNull Item context, FailureType type, String message, boolean maybeNotOurs) {
        if (inFlight.claim(entry.jobId(), true)) {
            AutomaticReport.failClaimed(inFlight, entry.jobId(), connection, context, type, message,
                    entry.state() == JobJournal.State.REPORTING, maybeNotOurs);
        }
    }

    /**
     * Where the job is, looked up with the queue's lock held: in the queue; started (its item left the queue for an
     * executor, which creates the build and copies the job onto it, or an executor runs it); or nowhere (then any
     * build that ran it carries it already).
     */
    static Place locate(InFlightJobs inFlight, Job<?, ?> job, String jobId) {
        AtomicReference<Place> found = new AtomicReference<>(Place.NOWHERE);
        Queue.withLock(() -> found.set(locateLocked(inFlight, job, jobId)));
        return found.get();
    }

    private static Place locateLocked(InFlightJobs inFlight, Job<?, ?> job, String jobId) {
        Jenkins jenkins = Jenkins.get();
        Queue queue = jenkins.getQueue();
        if (job instanceof Queue.Task task) {
            for (Queue.Item item : queue.getItems(task)) {
                if (carries(item.getAction(CodePipelineJobAction.class), jobId)) {
                    return new Place(Where.QUEUED, item, null);
                }
            }
        }
        long queueId = inFlight.queueIdOf(jobId);
        if (queueId > 0 && queue.getItem(queueId) instanceof Queue.LeftItem left) {
            Place started = started(left, jobId);
            if (started != null) {
                return started;
            }
        }
        for (Queue.LeftItem left : queue.getLeftItems()) {
            Place started = started(left, jobId);
            if (started != null) {
                return started;
            }
        }
        for (Computer computer : jenkins.getComputers()) {
            for (Executor executor : computer.getAllExecutors()) {
                WorkUnit work = executor.getCurrentWorkUnit();
                if (work != null && carriesAny(work.context.actions, jobId)) {
                    Queue.Executable executable = executor.getCurrentExecutable();
                    return new Place(Where.STARTED, null, executable instanceof Run<?, ?> r ? r : null);
                }
            }
        }
        return Place.NOWHERE;
    }

    /** A queue item that left the queue for an executor (not cancelled) and has its build; null otherwise (an item
     *  whose build could not be created left without one). */
    @CheckForNull
    private static Place started(Queue.LeftItem left, String jobId) {
        if (left.isCancelled() || !carries(left.getAction(CodePipelineJobAction.class), jobId)) {
            return null;
        }
        Queue.Executable executable = left.getExecutable();
        if (executable == null) {
            return null;
        }
        return new Place(Where.STARTED, left, executable instanceof Run<?, ?> r ? r : null);
    }

    private static boolean carries(@CheckForNull CodePipelineJobAction action, String jobId) {
        return action != null && action.getJobId().equals(jobId);
    }

    private static boolean carriesAny(List<Action> actions, String jobId) {
        for (Action action : actions) {
            if (action instanceof CodePipelineJobAction a && a.getJobId().equals(jobId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A build of the job carrying this CodePipeline job (and not stopped as a duplicate), started since it was
     * acknowledged; null when none.
     *
     * @param since   when the job was acknowledged; null to look at the last builds whatever their age
     * @param exclude a build not to return (the one asking), or null
     */
    @CheckForNull
    static Run<?, ?> findBuild(Job<?, ?> job, String jobId, @CheckForNull Instant since,
            @CheckForNull Run<?, ?> exclude) {
        long earliest = since == null ? Long.MIN_VALUE : since.toEpochMilli() - 60_000;
        Run<?, ?> run = job.getLastBuild();
        for (int i = 0; run != null && i < MAX_BUILDS_SCANNED; i++, run = run.getPreviousBuild()) {
            if (run.getTimeInMillis() < earliest) {
                break;
            }
            if (exclude != null && run.getNumber() == exclude.getNumber()) {
                continue;
            }
            CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
            if (action != null && action.getJobId().equals(jobId) && action.getDuplicateOf() == null) {
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
            if (carries(item.getAction(CodePipelineJobAction.class), jobId)) {
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
