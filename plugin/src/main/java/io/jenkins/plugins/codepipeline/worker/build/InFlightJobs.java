package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import io.jenkins.plugins.codepipeline.core.worker.PipelineContext;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;

/**
 * The CodePipeline jobs this controller acknowledged and has not answered yet: core's {@link JobJournal} at
 * {@code $JENKINS_HOME/codepipeline-job-worker/jobs-in-flight.json}, plus each job's non-secret data (the build's
 * {@link CodePipelineJobAction}) in {@code codepipeline-job-worker/jobs/<job id>.xml} until its result is sent, so
 * that a job whose queue item a crash lost can be queued again after a restart.
 *
 * <p>The journal is written before AcknowledgeJob is called (a pending entry: {@link #PENDING} as its queue id),
 * when the build starts (building) and before an automatic result is sent (reporting); the entry is removed once the
 * result is sent or refused. The job's data is written once AcknowledgeJob answered: a pending entry with data was
 * acknowledged, one without may not have been. The queue item's id is kept in memory only. Nothing in it is secret.
 *
 * <p>Readers ({@link #countFor} from the poll threads, the pages) read a copy of what the record holds, replaced
 * after each write, and never wait behind a write.
 *
 * <p>Who sends a job's one result is decided here: {@link #claim} lets exactly one of the run listener, the queue
 * listener, the item listener, the startup recovery and the sweep ({@link InFlightSweep}) send it.
 */
@Extension
public final class InFlightJobs {
    private static final Logger LOGGER = Logger.getLogger(InFlightJobs.class.getName());
    static final String DIRECTORY = "codepipeline-job-worker";
    static final String JOURNAL = "jobs-in-flight.json";
    static final String JOB_DATA = "jobs";
    /** The queue id of an entry written before AcknowledgeJob was called (state ACKNOWLEDGED). */
    static final long PENDING = -1;
    /** CodePipeline job ids are UUIDs; anything else is not used as a file name. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

    /** Opened on first use, then never replaced. */
    private volatile JobJournal journal;
    private volatile File root;
    private volatile List<String> warnings = List.of();
    private final Object openLock = new Object();
    /** Serializes the record's writes and the claims. Readers never take it. */
    private final Object writeLock = new Object();
    /** What the record holds, by job id in the order the jobs came: replaced after each write. */
    private volatile Map<String, JobJournal.Entry> view = Map.of();
    /** Jobs whose result one caller is sending now (or will retry). Guarded by writeLock. */
    private final Set<String> claimed = new HashSet<>();
    /** Jobs answered lately: a late second claim (a listener racing another) is refused. Bounded; writeLock. */
    private final Set<String> answered = Collections.newSetFromMap(new Bounded(10_000));
    /** Jobs whose entry could not be removed from the file (a failed write): the sweep tries again. */
    private final Set<String> unremoved = ConcurrentHashMap.newKeySet();
    /** Queue items of the jobs, as far as this Jenkins knows them (not written to the record). */
    private final Map<String, Long> queueIds = new ConcurrentHashMap<>();
    /** Times a job was queued again by the sweep, so that a job whose build cannot be created is failed. */
    private final Map<String, Integer> requeued = new ConcurrentHashMap<>();
    /** Completed once the startup recovery has looked at every entry. */
    private final CompletableFuture<Void> recovered = new CompletableFuture<>();

    /** Insertion-ordered, the oldest entry dropped beyond a size. */
    static final class Bounded extends LinkedHashMap<String, Boolean> {
        private static final long serialVersionUID = 1L;
        private final int max;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > max;
        }
    }

    /** The controller's record; its Jenkins must be running. */
    public static InFlightJobs get() {
        return ExtensionList.lookupSingleton(InFlightJobs.class);
    }

    /** The journal, opened once on first use (after JENKINS_HOME is known). */
    private JobJournal journal() {
        JobJournal opened = journal;
        if (opened != null) {
            return opened;
        }
        synchronized (openLock) {
            if (journal == null) {
                File dir = new File(Jenkins.get().getRootDir(), DIRECTORY);
                Path file = dir.toPath().resolve(JOURNAL);
                JobJournal loaded;
                try {
                    loaded = new JobJournal(file);
                } catch (IOException e) {
                    // Cannot even read it: go on with an empty record in memory; writes will say what is wrong.
                    LOGGER.log(Level.SEVERE, "Could not read the record of CodePipeline jobs in flight " + file
                            + "; jobs it lists are not resumed", e);
                    try {
                        loaded = new JobJournal(dir.toPath().resolve(JOURNAL + ".unreadable-"
                                + System.currentTimeMillis()));
                    } catch (IOException e2) {
                        throw new IllegalStateException(e2);
                    }
                }
                warnings = loaded.warnings();
                for (String warning : warnings) {
                    LOGGER.warning(warning);
                }
                root = dir;
                view = index(loaded.entries());
                journal = loaded; // last: whoever sees it sees the view and the root
            }
            return journal;
        }
    }

    private static Map<String, JobJournal.Entry> index(List<JobJournal.Entry> entries) {
        Map<String, JobJournal.Entry> byId = new LinkedHashMap<>();
        for (JobJournal.Entry entry : entries) {
            byId.put(entry.jobId(), entry);
        }
        return Collections.unmodifiableMap(byId);
    }

    /** What the record holds now; never waits for a write. */
    private Map<String, JobJournal.Entry> view() {
        journal();
        return view;
    }

    /** Acknowledged (or being acknowledged), unfinished jobs of that Jenkins job: the trigger's used room. */
    public int countFor(@NonNull Job<?, ?> job) {
        String name = job.getFullName();
        int count = 0;
        for (JobJournal.Entry entry : view().values()) {
            if (name.equals(entry.owner())) {
                count++;
            }
        }
        return count;
    }

    /** Builds of that Jenkins job waiting for CodePipeline's follow-up job: the trigger polls for them. */
    public int awaitingFor(@NonNull Job<?, ?> job) {
        String name = job.getFullName();
        int count = 0;
        for (JobJournal.Entry entry : view().values()) {
            if (name.equals(entry.owner()) && entry.state() == JobJournal.State.AWAITING_FOLLOW_UP) {
                count++;
            }
        }
        return count;
    }

    /** The entry of the chain whose first job is {@code recordId}, if it is in flight. */
    public Optional<JobJournal.Entry> byRecordId(String recordId) {
        for (JobJournal.Entry entry : view().values()) {
            if (recordId.equals(entry.recordIdOrJobId())) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * Before the early report: the build's entry waits for the follow-up job (one write), so that a restart keeps
     * the chain. False when the job is not in flight for this build (answered, claimed): no early report then.
     */
    boolean awaiting(CodePipelineJobAction action, Run<?, ?> run) {
        synchronized (writeLock) {
            String jobId = action.getJobId();
            JobJournal.Entry entry = view().get(jobId);
            if (entry == null || claimed.contains(jobId) || answered.contains(jobId)
                    || entry.state() == JobJournal.State.REPORTING) {
                return false;
            }
            try {
                putOrThrow(entry.withOwner(run.getParent().getFullName()).withBuild(run.getNumber())
                        .withRecordId(action.getFirstJobId()).withState(JobJournal.State.AWAITING_FOLLOW_UP));
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Could not record that " + run + " waits for the follow-up job of CodePipeline "
                        + "job " + jobId + "; it reports no progress", e);
                return false;
            }
            return true;
        }
    }

    /**
     * The early report was not delivered: the build goes on with its job, which is building again.
     *
     * @return whether the build ended meanwhile (its automatic report is then owed now)
     */
    boolean notAwaiting(CodePipelineJobAction action) {
        synchronized (writeLock) {
            action.clearAwaitingFollowUp();
            if (action.getChain().size() > 1) {
                // A follow-up job was attached meanwhile (an attempt that reached CodePipeline although its answer
                // said otherwise): the chain goes on, and its attachment sees to the build's result.
                return false;
            }
            JobJournal.Entry entry = view().get(action.getJobId());
            if (entry == null || claimed.contains(entry.jobId())) {
                return false;
            }
            if (entry.state() == JobJournal.State.AWAITING_FOLLOW_UP || entry.buildEnded()) {
                put(entry.withState(JobJournal.State.BUILDING).withBuildEnded(false));
            }
            return entry.buildEnded();
        }
    }

    /**
     * The build ended: when it waits for the follow-up job, this is recorded (its automatic report is sent once the
     * follow-up is attached) and true is returned; false when it does not wait.
     *
     * @param ended false for a build the shutdown aborted: as for a build without a chain, it is then reported as
     *              killed by the restart (the record does not say that it ended by itself)
     */
    boolean endedWhileAwaiting(CodePipelineJobAction action, boolean ended) {
        synchronized (writeLock) {
            if (!action.isAwaitingFollowUp()) {
                return false;
            }
            JobJournal.Entry entry = view().get(action.getJobId());
            if (ended && entry != null && !entry.buildEnded()) {
                put(entry.withBuildEnded(true));
            }
            return true;
        }
    }

    /**
     * Attaches a follow-up job to the chain's build: the entry's job becomes the follow-up job (one write, in the
     * place of the job before it), then the build's action. The caller saves the build.
     *
     * @return the entry as it is now
     */
    JobJournal.Entry attach(JobJournal.Entry chain, CodePipelineJobAction action, ReceivedJob followUp) {
        synchronized (writeLock) {
            JobJournal.Entry current = view().get(chain.jobId());
            JobJournal.Entry base = current == null ? chain : current;
            JobJournal.Entry next = base.withJobId(followUp.jobId(), Instant.now())
                    .withState(JobJournal.State.BUILDING);
            try {
                journal().replace(base.jobId(), next);
            } catch (IOException e) {
                // As for any write of the record: logged, and the record in memory goes on.
                LOGGER.log(Level.WARNING, "Could not write the record of CodePipeline jobs in flight ("
                        + journal().file() + "); should Jenkins stop now, follow-up job " + next.jobId()
                        + " may not be resumed", e);
            }
            Map<String, JobJournal.Entry> view2 = new LinkedHashMap<>();
            for (Map.Entry<String, JobJournal.Entry> e : view.entrySet()) {
                if (e.getKey().equals(base.jobId())) {
                    view2.put(next.jobId(), next);
                } else if (!e.getKey().equals(next.jobId())) {
                    view2.put(e.getKey(), e.getValue());
                }
            }
            view2.putIfAbsent(next.jobId(), next);
            view = Collections.unmodifiableMap(view2);
            unremoved.remove(next.jobId());
            action.attachFollowUp(followUp);
            queueIds.remove(base.jobId());
            deleteData(base.jobId()); // only needed to queue a build again; this one runs
            return next;
        }
    }

    /** The wait for a chain's follow-up job is given up (or its build is gone): the entry leaves the record. */
    void dropChain(String jobId) {
        finished(jobId);
    }

    /**
     * Gives up the wait of a build for its follow-up job ({@code why} ends its waits), unless the follow-up job was
     * attached meanwhile: checked and done under the lock that attaching takes.
     *
     * @return whether the wait was given up
     */
    boolean giveUpChain(JobJournal.Entry entry, CodePipelineJobAction action, String why) {
        synchronized (writeLock) {
            JobJournal.Entry now = view().get(entry.jobId());
            if (now == null || now.state() != JobJournal.State.AWAITING_FOLLOW_UP
                    || !action.getJobId().equals(entry.jobId())) {
                return false;
            }
            action.loseFollowUp(why);
            finished(entry.jobId());
            return true;
        }
    }

    /** Every job in flight, in the order they were acknowledged. */
    public List<JobJournal.Entry> entries() {
        return List.copyOf(view().values());
    }

    /** What went wrong when the record was loaded, for the administrator. */
    public List<String> warnings() {
        journal();
        return warnings;
    }

    /** The entry of one job, if it is in flight. */
    public Optional<JobJournal.Entry> get(String jobId) {
        return Optional.ofNullable(view().get(jobId));
    }

    /** Whether a caller is sending (or will retry) the job's result now. */
    boolean isClaimed(String jobId) {
        synchronized (writeLock) {
            return claimed.contains(jobId);
        }
    }

    /**
     * Completed once the startup recovery has looked at every job of the record (at once when there was none).
     * For tests and for the sweep, which waits for it.
     */
    public CompletableFuture<Void> startupRecovery() {
        return recovered;
    }

    void recoveryDone() {
        recovered.complete(null);
    }

    /** Whether a job's entry was written before its acknowledgement and nothing says the acknowledgement went
     *  through (its data is written once it did). */
    public boolean isPending(JobJournal.Entry entry) {
        if (entry.state() != JobJournal.State.ACKNOWLEDGED || entry.queueId() != PENDING) {
            return false;
        }
        File data = dataFile(entry.jobId());
        return data == null || !data.exists();
    }

    /**
     * Fails every job in flight for {@code job} at once with {@code ConfigurationError} and {@code reason}, for
     * example when the job is deleted. The results are sent in the background.
     */
    public void failAllOf(@NonNull Job<?, ?> job, @NonNull String reason) {
        failOwnedBy(job.getFullName(), false, job, FailureType.CONFIGURATION_ERROR, reason);
    }

    /**
     * Fails the jobs owned by {@code fullName} (and, with {@code descendants}, by items inside it, for a folder).
     *
     * @param context where the credentials are looked up; null for global ones
     */
    void failOwnedBy(String fullName, boolean descendants, @CheckForNull Item context, FailureType type,
            String reason) {
        for (JobJournal.Entry entry : view().values()) {
            String owner = entry.owner();
            if (owner == null || !(owner.equals(fullName) || descendants && owner.startsWith(fullName + "/"))) {
                continue;
            }
            if (entry.state() == JobJournal.State.AWAITING_FOLLOW_UP) {
                // Its job is closed (by the early report): nothing to fail; its follow-up job is failed when it comes.
                finished(entry.jobId());
                continue;
            }
            if (!claim(entry.jobId(), true)) {
                continue;
            }
            AutomaticReport.failInBackground(this, entry.jobId(), connectionOf(entry), context, type, reason);
        }
    }

    /**
     * Before AcknowledgeJob: writes the job's entry, pending. The job's data is written once the acknowledgement
     * answered ({@link #acknowledged}).
     *
     * @throws IOException when the record cannot be written: the job must then not be acknowledged
     */
    void pending(@NonNull Job<?, ?> job, @NonNull ReceivedJob received, @NonNull JobConnection connection)
            throws IOException {
        synchronized (writeLock) {
            if (view().containsKey(received.jobId())) {
                return;
            }
            putOrThrow(new JobJournal.Entry(received.jobId(), connection.getRegion(), connection.getEndpointUrl(),
                    connection.getCredentialsId(), job.getFullName(), PENDING, 0, JobJournal.State.ACKNOWLEDGED,
                    Instant.now(), describe(received)));
        }
    }

    /** AcknowledgeJob did not make the job ours: its pending entry goes (it is not marked answered: CodePipeline may
     *  hand it to this controller again). */
    void notTaken(String jobId) {
        synchronized (writeLock) {
            JobJournal.Entry entry = view().get(jobId);
            if (entry == null || entry.state() != JobJournal.State.ACKNOWLEDGED || entry.queueId() != PENDING) {
                return;
            }
            removeEntry(jobId);
        }
        deleteData(jobId);
    }

    /**
     * The job is ours: writes its data (for a pending entry, this is what says that the acknowledgement went
     * through), or, when nothing was recorded before the acknowledgement, its entry and then its data.
     */
    void acknowledged(@NonNull Job<?, ?> job, @NonNull CodePipelineJobAction action) {
        boolean known;
        synchronized (writeLock) {
            known = view().containsKey(action.getJobId());
            if (!known) {
                JobConnection connection = action.getConnection();
                put(new JobJournal.Entry(action.getJobId(), connection.getRegion(), connection.getEndpointUrl(),
                        connection.getCredentialsId(), job.getFullName(), 0, 0, JobJournal.State.ACKNOWLEDGED,
                        Instant.now(), action.describe()));
            }
        }
        writeData(action);
    }

    /**
     * Records a job whose action could not even be made (its entry, so that the failure that follows is not lost
     * with a crash); nothing when it is recorded already.
     */
    void acknowledgedWithoutData(@NonNull Job<?, ?> job, @NonNull ReceivedJob received,
            @NonNull JobConnection connection) {
        synchronized (writeLock) {
            if (!view().containsKey(received.jobId())) {
                put(new JobJournal.Entry(received.jobId(), connection.getRegion(), connection.getEndpointUrl(),
                        connection.getCredentialsId(), job.getFullName(), 0, 0, JobJournal.State.ACKNOWLEDGED,
                        Instant.now(), describe(received)));
            }
        }
    }

    private static String describe(ReceivedJob received) {
        PipelineContext pipeline = received.pipeline();
        return (pipeline == null || pipeline.pipelineName() == null ? "?" : pipeline.pipelineName()) + "/"
                + (pipeline == null || pipeline.stageName() == null ? "?" : pipeline.stageName()) + "/"
                + (pipeline == null || pipeline.actionName() == null ? "?" : pipeline.actionName());
    }

    /** The queue item is known: kept in memory (the recovery and the sweep look it up), not written. */
    void queued(String jobId, long queueId) {
        queueIds.put(jobId, queueId);
    }

    /** The queue item this Jenkins last knew for the job, or 0 (queue ids are kept in memory, not in the record). */
    public long queueIdOf(String jobId) {
        return queueIds.getOrDefault(jobId, 0L);
    }

    /** Counts a queuing of the job by the sweep; how many there were. */
    int requeued(String jobId) {
        return requeued.merge(jobId, 1, Integer::sum);
    }

    /**
     * The build started (or was found running after a restart). An entry is made if there was none.
     *
     * @return null when the build may run the job; otherwise why it must not (another live build runs the job, or
     *     the job was answered already: a queue item restored from an older queue.xml, or one that raced the first)
     */
    @CheckForNull
    String started(CodePipelineJobAction action, Run<?, ?> run) {
        String jobId = action.getJobId();
        String name = run.getParent().getFullName();
        synchronized (writeLock) {
            if (answered.contains(jobId)) {
                queueIds.remove(jobId); // the stale item's id, noted when it was queued
                return "its result was sent already";
            }
            JobJournal.Entry entry = view().get(jobId);
            if (entry != null) {
                Run<?, ?> other = otherBuild(entry, run);
                if (other != null) {
                    return "it runs in " + other.getFullDisplayName();
                }
                if (entry.state() == JobJournal.State.REPORTING) {
                    return entry.buildNumber() == run.getNumber() ? null : "its result is being sent";
                }
                if (entry.state() == JobJournal.State.AWAITING_FOLLOW_UP) {
                    return entry.buildNumber() == run.getNumber() && name.equals(entry.owner()) ? null
                            : "its build waits for CodePipeline's follow-up job";
                }
                if (entry.state() == JobJournal.State.BUILDING && entry.buildNumber() == run.getNumber()
                        && name.equals(entry.owner())) {
                    return null;
                }
                put(entry.withOwner(name).withBuild(run.getNumber()).withState(JobJournal.State.BUILDING));
                return null;
            }
        }
        // Not in the record: answered in an earlier session (a stale queue item), or the record lost it.
        Run<?, ?> other = StartupRecovery.findBuild(run.getParent(), jobId, null, run);
        if (other != null) {
            return "it ran in " + other.getFullDisplayName();
        }
        synchronized (writeLock) {
            if (!view().containsKey(jobId) && !answered.contains(jobId)) {
                put(newEntry(action, run));
            }
        }
        return null;
    }

    /** Another build of the entry's job that carries its CodePipeline job, or null. */
    @CheckForNull
    private static Run<?, ?> otherBuild(JobJournal.Entry entry, Run<?, ?> run) {
        if (entry.buildNumber() <= 0 || entry.owner() == null) {
            return null;
        }
        Job<?, ?> job = run.getParent();
        if (!entry.owner().equals(job.getFullName())) {
            job = Jenkins.get().getItemByFullName(entry.owner(), Job.class);
        }
        if (job == null || job == run.getParent() && entry.buildNumber() == run.getNumber()) {
            return null;
        }
        Run<?, ?> other = job.getBuildByNumber(entry.buildNumber());
        CodePipelineJobAction action = other == null ? null : other.getAction(CodePipelineJobAction.class);
        return action != null && action.getJobId().equals(entry.jobId()) && action.getDuplicateOf() == null
                ? other : null;
    }

    private static JobJournal.Entry newEntry(CodePipelineJobAction action, Run<?, ?> run) {
        JobConnection connection = action.getConnection();
        return new JobJournal.Entry(action.getJobId(), connection.getRegion(), connection.getEndpointUrl(),
                connection.getCredentialsId(), run.getParent().getFullName(), run.getQueueId(), run.getNumber(),
                JobJournal.State.BUILDING, Instant.now(), action.describe());
    }

    /**
     * Takes the right to send the job's result: true for exactly one caller until {@link #finished}. The entry is
     * marked {@code REPORTING} first (one write), so that a restart knows the build had ended.
     *
     * @param requireEntry whether a job no longer in the record is refused (it was answered already)
     */
    boolean claim(String jobId, boolean requireEntry) {
        synchronized (writeLock) {
            if (claimed.contains(jobId) || answered.contains(jobId)) {
                return false;
            }
            JobJournal.Entry entry = view().get(jobId);
            if (entry == null && requireEntry) {
                return false;
            }
            claimed.add(jobId);
            if (entry != null && entry.state() != JobJournal.State.REPORTING) {
                put(entry.withState(JobJournal.State.REPORTING));
            }
            return true;
        }
    }

    /**
     * Claims a build's job, making an entry for it when the record lost it, so that the build's end is recorded
     * ({@code REPORTING}) before its result is sent.
     */
    boolean claim(CodePipelineJobAction action, Run<?, ?> run) {
        synchronized (writeLock) {
            if (claimed.contains(action.getJobId()) || answered.contains(action.getJobId())) {
                return false;
            }
            JobJournal.Entry entry = view().get(action.getJobId());
            claimed.add(action.getJobId());
            // One write: the build's end (REPORTING), with the build, even when the record had lost the job.
            JobJournal.Entry reporting = (entry == null ? newEntry(action, run)
                    : entry.withOwner(run.getParent().getFullName()).withBuild(run.getNumber()))
                    .withState(JobJournal.State.REPORTING);
            if (!reporting.equals(entry)) {
                put(reporting);
            }
            return true;
        }
    }

    /**
     * The build ended while Jenkins was stopping: its result is sent when Jenkins starts again. An ended build is
     * marked {@code REPORTING} (it is reported with its result); one the shutdown aborted stays {@code BUILDING}
     * (it is reported as killed by the restart).
     */
    void deferred(String jobId, boolean ended) {
        if (!ended) {
            return;
        }
        synchronized (writeLock) {
            JobJournal.Entry e = view().get(jobId);
            if (e != null && e.state() != JobJournal.State.REPORTING) {
                put(e.withState(JobJournal.State.REPORTING));
            }
        }
    }

    /** The job's result was sent (or definitively refused): it leaves the record. */
    void finished(String jobId) {
        synchronized (writeLock) {
            removeEntry(jobId);
            claimed.remove(jobId);
            answered.add(jobId);
        }
        queueIds.remove(jobId);
        requeued.remove(jobId);
        deleteData(jobId);
    }

    /** A claim given up without an answer (Jenkins is stopping): a restart tries again. */
    void released(String jobId) {
        synchronized (writeLock) {
            claimed.remove(jobId);
        }
    }

    /** A Jenkins job was renamed or moved: its jobs in flight follow it. */
    void moved(String oldFullName, String newFullName) {
        synchronized (writeLock) {
            for (JobJournal.Entry entry : view().values()) {
                if (oldFullName.equals(entry.owner())) {
                    put(entry.withOwner(newFullName));
                }
            }
        }
    }

    /** Removes the entries whose removal failed before (the sweep calls this). */
    void retryRemovals() {
        for (String jobId : List.copyOf(unremoved)) {
            synchronized (writeLock) {
                if (view().containsKey(jobId)) {
                    unremoved.remove(jobId); // recorded again meanwhile: it is in flight again
                    continue;
                }
                try {
                    journal().remove(jobId);
                    unremoved.remove(jobId);
                } catch (IOException e) {
                    LOGGER.log(Level.FINE, "still cannot remove " + jobId + " from the record", e);
                }
            }
        }
    }

    /** Whether the job's entry is still in the file although the job left the record (a failed write). */
    boolean isUnremoved(String jobId) {
        return unremoved.contains(jobId);
    }

    /** The data of a job in flight, as written before its build was queued; null when it cannot be read. */
    @CheckForNull
    CodePipelineJobAction storedAction(String jobId) {
        File file = dataFile(jobId);
        if (file == null || !file.exists()) {
            return null;
        }
        try {
            Object read = new XmlFile(Run.XSTREAM2, file).read();
            return read instanceof CodePipelineJobAction action && action.getJobId().equals(jobId) ? action : null;
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not read the data of CodePipeline job " + jobId + " from " + file, e);
            return null;
        }
    }

    static JobConnection connectionOf(JobJournal.Entry entry) {
        return new JobConnection(entry.region() == null ? "us-east-1" : entry.region(), entry.endpointUrl(),
                entry.credentialsId());
    }

    private void deleteData(String jobId) {
        File data = dataFile(jobId);
        if (data != null && data.exists() && !data.delete()) {
            LOGGER.fine(() -> "could not delete " + data);
        }
    }

    private void writeData(CodePipelineJobAction action) {
        File file = dataFile(action.getJobId());
        if (file == null) {
            return;
        }
        try {
            new XmlFile(Run.XSTREAM2, file).write(action);
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not write the data of CodePipeline job " + action.getJobId() + " to "
                    + file + "; should Jenkins stop before its build is queued, the job is failed after the restart", e);
        }
    }

    @CheckForNull
    private File dataFile(String jobId) {
        if (!SAFE_ID.matcher(jobId).matches()) {
            return null;
        }
        journal(); // sets root
        return new File(new File(root, JOB_DATA), jobId + ".xml");
    }

    /** Writes an entry; a failed write is logged (the record keeps what it had). */
    private void put(JobJournal.Entry entry) {
        try {
            putOrThrow(entry);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not write the record of CodePipeline jobs in flight ("
                    + journal().file() + "); should Jenkins stop now, job " + entry.jobId() + " may not be resumed", e);
        }
    }

    private void putOrThrow(JobJournal.Entry entry) throws IOException {
        synchronized (writeLock) {
            journal().put(entry);
            Map<String, JobJournal.Entry> next = new LinkedHashMap<>(view);
            next.put(entry.jobId(), entry);
            view = Collections.unmodifiableMap(next);
            unremoved.remove(entry.jobId());
        }
    }

    /** The job leaves the record; should the file not be written, it leaves the copy anyway (the trigger gets its
     *  room back) and the sweep removes it from the file later. */
    private void removeEntry(String jobId) {
        synchronized (writeLock) {
            if (!view().containsKey(jobId)) {
                return;
            }
            try {
                journal().remove(jobId);
            } catch (IOException e) {
                unremoved.add(jobId);
                LOGGER.log(Level.WARNING, "Could not remove CodePipeline job " + jobId + " from the record of jobs in "
                        + "flight; it is tried again in a minute (a restart before that tries its result again, and "
                        + "CodePipeline refuses the second one)", e);
            }
            Map<String, JobJournal.Entry> next = new LinkedHashMap<>(view);
            next.remove(jobId);
            view = Collections.unmodifiableMap(next);
        }
    }

    /** For tests and the administrator: the jobs of one owner. */
    List<JobJournal.Entry> entriesOf(String owner) {
        List<JobJournal.Entry> of = new ArrayList<>();
        for (JobJournal.Entry entry : view().values()) {
            if (owner.equals(entry.owner())) {
                of.add(entry);
            }
        }
        return of;
    }
}
