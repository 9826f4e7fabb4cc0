package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import io.jenkins.plugins.codepipeline.core.worker.PollCycle;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The follow-up jobs of the live link, as the trigger's poller meets them: one whose token this instance issued is
 * attached to the build its record names (never a new build); one whose token another instance issued is left alone
 * (never acknowledged: failing it would fail that controller's action); a job without a token, or with a user's own
 * token, is a new job as before. A follow-up job of this instance whose record or build is gone is acknowledged and
 * failed ({@code ConfigurationError}), saying so.
 */
public final class FollowUpJobs {
    private static final Logger LOGGER = Logger.getLogger(FollowUpJobs.class.getName());
    /** How long a build waits for its follow-up job at most, from the early report (CodePipeline times the job out
     *  well before). */
    static long maxWaitMillis = Long.getLong(FollowUpJobs.class.getName() + ".maxWaitMinutes", 24 * 60L) * 60_000L;

    private FollowUpJobs() {
    }

    /** What a received job is: ATTACH for a token of this instance, LEAVE for another's, NEW_JOB otherwise. Never
     *  throws. */
    public static PollCycle.Subscriber.FollowUp classify(@NonNull ReceivedJob received) {
        try {
            Optional<ContinuationTokens.Issued> issued = ContinuationTokens.parse(received.continuationToken());
            if (issued.isEmpty()) {
                // A user's own token starts a new build; a reserved one this instance cannot read is not ours (no
                // build of this instance issued it, and a jcp1: token never starts a build).
                return ContinuationTokens.isReserved(received.continuationToken())
                        ? PollCycle.Subscriber.FollowUp.LEAVE : PollCycle.Subscriber.FollowUp.NEW_JOB;
            }
            return InstanceFingerprint.isOurs(issued.get().fingerprint())
                    ? PollCycle.Subscriber.FollowUp.ATTACH : PollCycle.Subscriber.FollowUp.LEAVE;
        } catch (RuntimeException e) {
            // Cannot tell whose it is: never acknowledged, so that no other controller's action is failed.
            LOGGER.log(Level.WARNING, "Could not tell whose follow-up job " + received.jobId() + " is; left alone", e);
            return PollCycle.Subscriber.FollowUp.LEAVE;
        }
    }

    /**
     * An acknowledged follow-up job of this instance: attached to its chain's build (which then reports to it), or
     * failed when the record or the build is gone. Never throws.
     *
     * @param job        the Jenkins job whose trigger received it (where credentials are looked up for a failure)
     * @param connection where it was polled, and its result goes
     */
    public static void attach(@NonNull Job<?, ?> job, @NonNull ReceivedJob received, @NonNull JobConnection connection) {
        InFlightJobs inFlight = InFlightJobs.get();
        try {
            String recordId = ContinuationTokens.parse(received.continuationToken()).map(ContinuationTokens.Issued::recordId)
                    .orElse("?");
            JobJournal.Entry entry = inFlight.byRecordId(recordId).orElse(null);
            Run<?, ?> run = entry == null ? null : buildOf(entry);
            CodePipelineJobAction action = run == null ? null : run.getAction(CodePipelineJobAction.class);
            String gone = whyGone(entry, run, action, recordId);
            if (gone != null) {
                if (entry != null && entry.state() == JobJournal.State.AWAITING_FOLLOW_UP) {
                    inFlight.dropChain(entry.jobId());
                }
                fail(inFlight, job, received, connection, gone);
                return;
            }
            JobJournal.Entry now = inFlight.attach(entry, action, received);
            LOGGER.info(() -> "CodePipeline follow-up job " + received.jobId() + " continues " + run.getFullDisplayName()
                    + " (chain " + String.join(" > ", action.getChain()) + ")");
            save(run);
            if (now.buildEnded()) {
                reportNow(inFlight, run, action, false);
            } else if (!run.isLogUpdated()) {
                reportNow(inFlight, run, action, true); // ended by a restart while it waited
            }
        } catch (RuntimeException | LinkageError e) {
            LOGGER.log(Level.WARNING, "Could not attach CodePipeline follow-up job " + received.jobId(), e);
        }
    }

    @CheckForNull
    private static String whyGone(@CheckForNull JobJournal.Entry entry, @CheckForNull Run<?, ?> run,
            @CheckForNull CodePipelineJobAction action, String recordId) {
        if (entry == null) {
            return Messages.FollowUp_NoRecord(recordId);
        }
        if (run == null || action == null || !recordId.equals(action.getFirstJobId())
                || action.getDuplicateOf() != null) {
            return Messages.FollowUp_NoBuild(entry.owner() == null ? "?" : entry.owner(),
                    String.valueOf(entry.buildNumber()));
        }
        if (action.isReported() || entry.state() == JobJournal.State.REPORTING) {
            return Messages.FollowUp_Reported(run.getFullDisplayName());
        }
        return null;
    }

    /** The build the chain's entry names, or null. */
    @CheckForNull
    static Run<?, ?> buildOf(JobJournal.Entry entry) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || entry.owner() == null || entry.buildNumber() <= 0) {
            return null;
        }
        Job<?, ?> owner = jenkins.getItemByFullName(entry.owner(), Job.class);
        return owner == null ? null : owner.getBuildByNumber(entry.buildNumber());
    }

    private static void fail(InFlightJobs inFlight, Job<?, ?> job, ReceivedJob received, JobConnection connection,
            String why) {
        LOGGER.warning(() -> "CodePipeline follow-up job " + received.jobId() + " is failed: " + why);
        if (inFlight.claim(received.jobId(), false)) {
            AutomaticReport.failInBackground(inFlight, received.jobId(), connection, job,
                    FailureType.CONFIGURATION_ERROR, why);
        }
    }

    /** The build ended while it waited: its automatic report goes to the follow-up job now. */
    private static void reportNow(InFlightJobs inFlight, Run<?, ?> run, CodePipelineJobAction action, boolean killed) {
        if (action.isReported() || !inFlight.claim(action, run)) {
            return;
        }
        JobResult result;
        try {
            result = killed ? AutomaticReport.killed(run, action) : AutomaticReport.forBuild(run, action);
        } catch (RuntimeException e) {
            inFlight.released(action.getJobId());
            throw e;
        }
        AutomaticReport.deliverLater(inFlight, AutomaticReport.Delivery.forBuild(run, action, result, false));
    }

    /**
     * The startup recovery and the sweep, for an entry whose build waits for its follow-up job: the build's action
     * agrees with the record (after a restart); a build that is gone, or a wait longer than
     * {@link #maxWaitMillis}, ends the chain (a follow-up job that still comes is then failed as gone).
     */
    static void recover(InFlightJobs inFlight, JobJournal.Entry entry, boolean startup) {
        Run<?, ?> run = buildOf(entry);
        CodePipelineJobAction action = run == null ? null : run.getAction(CodePipelineJobAction.class);
        if (action == null || !action.isInChain(entry.jobId())) {
            LOGGER.info(() -> "The build of " + entry.owner() + " #" + entry.buildNumber() + " that waited for the "
                    + "follow-up job of CodePipeline job " + entry.jobId() + " is gone");
            inFlight.dropChain(entry.jobId());
            return;
        }
        Instant at = entry.acknowledgedAt();
        if (!startup && at != null && System.currentTimeMillis() - at.toEpochMilli() > maxWaitMillis) {
            String why = Messages.FollowUp_Lost(entry.jobId(), String.valueOf(maxWaitMillis / 60_000));
            if (inFlight.giveUpChain(entry, action, why)) {
                LOGGER.warning(() -> run.getFullDisplayName() + ": " + why);
                save(run);
            }
            return;
        }
        if (startup && !action.isAwaitingFollowUp() && action.getJobId().equals(entry.jobId())
                && action.getFollowUpLost() == null) {
            // The build record was saved before it knew. Only at startup: later, the action in memory is what is
            // true (an early report that was not delivered clears its wait just before its entry stops waiting).
            action.markAwaitingFollowUp();
            save(run);
        }
    }

    /**
     * After a restart: a follow-up job the record attached to the build's chain while the build was not saved with it
     * yet (Jenkins stopped in between) becomes the build's current job, so that the build reports to it. Its output
     * artifacts are looked up with GetJobDetails as for any job; only its continuation token is not known.
     */
    static void adoptRecorded(JobJournal.Entry entry, Run<?, ?> run, CodePipelineJobAction action) {
        if (entry.recordId() == null || entry.state() == JobJournal.State.AWAITING_FOLLOW_UP
                || action.getDuplicateOf() != null || !entry.recordId().equals(action.getFirstJobId())
                || action.isInChain(entry.jobId())) {
            return;
        }
        LOGGER.info(() -> "CodePipeline follow-up job " + entry.jobId() + " continues " + run.getFullDisplayName()
                + " (recorded before Jenkins stopped)");
        action.attachFollowUp(entry.jobId(), null);
        save(run);
    }

    private static void save(Run<?, ?> run) {
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + run, e);
        }
    }
}
