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
 * <p>The journal is written before the build is queued (acknowledged), when the queue item is known (queued), when
 * the build starts (building) and before an automatic result is sent (reporting); the entry is removed once the
 * result is sent or refused. Nothing in it is secret.
 *
 * <p>Who sends a job's one result is decided here: {@link #claim} lets exactly one of the run listener, the queue
 * listener, the item listener and the startup recovery send it.
 */
@Extension
public final class InFlightJobs {
    private static final Logger LOGGER = Logger.getLogger(InFlightJobs.class.getName());
    static final String DIRECTORY = "codepipeline-job-worker";
    static final String JOURNAL = "jobs-in-flight.json";
    static final String JOB_DATA = "jobs";
    /** CodePipeline job ids are UUIDs; anything else is not used as a file name. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

    private volatile JobJournal journal;
    private volatile File root;
    /** Jobs whose result one caller is sending now. */
    private final Set<String> claimed = new HashSet<>();
    /** Jobs answered lately: a late second claim (a listener racing another) is refused. Bounded. */
    private final Set<String> answered = Collections.newSetFromMap(new Bounded(10_000));

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

    /** The journal, opened on first use (after JENKINS_HOME is known). */
    private synchronized JobJournal journal() {
        if (journal == null) {
            root = new File(Jenkins.get().getRootDir(), DIRECTORY);
            Path file = root.toPath().resolve(JOURNAL);
            try {
                journal = new JobJournal(file);
            } catch (IOException e) {
                // Cannot even read it: go on with an empty record in memory; writes will say what is wrong.
                LOGGER.log(Level.SEVERE, "Could not read the record of CodePipeline jobs in flight " + file
                        + "; jobs it lists are not resumed", e);
                try {
                    journal = new JobJournal(root.toPath().resolve(JOURNAL + ".unreadable-" + System.currentTimeMillis()));
                } catch (IOException e2) {
                    throw new IllegalStateException(e2);
                }
            }
            for (String warning : journal.warnings()) {
                LOGGER.warning(warning);
            }
        }
        return journal;
    }

    /** Acknowledged, unfinished jobs of that Jenkins job: the trigger takes no more than its room allows. */
    public int countFor(@NonNull Job<?, ?> job) {
        return journal().countOf(job.getFullName());
    }

    /** Every job in flight, in the order they were acknowledged. */
    public List<JobJournal.Entry> entries() {
        return journal().entries();
    }

    /** What went wrong when the record was loaded, for the administrator. */
    public List<String> warnings() {
        return journal().warnings();
    }

    /** The entry of one job, if it is in flight. */
    public Optional<JobJournal.Entry> get(String jobId) {
        return journal().get(jobId);
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
        for (JobJournal.Entry entry : journal().entries()) {
            String owner = entry.owner();
            if (owner == null || !(owner.equals(fullName) || descendants && owner.startsWith(fullName + "/"))) {
                continue;
            }
            if (!claim(entry.jobId(), true)) {
                continue;
            }
            AutomaticReport.failInBackground(this, entry.jobId(), connectionOf(entry), context, type, reason);
        }
    }

    /** Writes the job's data and its journal entry, before its build is queued. */
    void acknowledged(@NonNull Job<?, ?> job, @NonNull CodePipelineJobAction action) {
        writeData(action);
        JobConnection connection = action.getConnection();
        put(new JobJournal.Entry(action.getJobId(), connection.getRegion(), connection.getEndpointUrl(),
                connection.getCredentialsId(), job.getFullName(), 0, 0, JobJournal.State.ACKNOWLEDGED, Instant.now(),
                action.describe()));
    }

    /** The queue item is known; an entry already past this state is left alone. */
    synchronized void queued(String jobId, long queueId) {
        journal().get(jobId).ifPresent(entry -> {
            if (entry.state() == JobJournal.State.ACKNOWLEDGED
                    || entry.state() == JobJournal.State.QUEUED && entry.queueId() != queueId) {
                put(entry.withQueueId(queueId).withState(JobJournal.State.QUEUED));
            }
        });
    }

    /** The build started (or was found after a restart); an entry is made if there was none. */
    synchronized void started(CodePipelineJobAction action, Run<?, ?> run) {
        Optional<JobJournal.Entry> existing = journal().get(action.getJobId());
        JobJournal.Entry entry = existing.orElseGet(() -> newEntry(action, run));
        if (entry.state() == JobJournal.State.BUILDING && entry.buildNumber() == run.getNumber()
                && run.getParent().getFullName().equals(entry.owner())) {
            return;
        }
        if (entry.state() == JobJournal.State.REPORTING) {
            return;
        }
        put(entry.withOwner(run.getParent().getFullName()).withBuild(run.getNumber())
                .withState(JobJournal.State.BUILDING));
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
    synchronized boolean claim(String jobId, boolean requireEntry) {
        if (claimed.contains(jobId) || answered.contains(jobId)) {
            return false;
        }
        Optional<JobJournal.Entry> entry = journal().get(jobId);
        if (entry.isEmpty() && requireEntry) {
            return false;
        }
        claimed.add(jobId);
        entry.ifPresent(e -> {
            if (e.state() != JobJournal.State.REPORTING) {
                put(e.withState(JobJournal.State.REPORTING));
            }
        });
        return true;
    }

    /**
     * Claims a build's job, making an entry for it when the record lost it, so that the build's end is recorded
     * ({@code REPORTING}) before its result is sent.
     */
    synchronized boolean claim(CodePipelineJobAction action, Run<?, ?> run) {
        if (claimed.contains(action.getJobId()) || answered.contains(action.getJobId())) {
            return false;
        }
        if (journal().get(action.getJobId()).isEmpty()) {
            put(newEntry(action, run));
        }
        return claim(action.getJobId(), false);
    }

    /**
     * The build ended while Jenkins was stopping: its result is sent when Jenkins starts again. An ended build is
     * marked {@code REPORTING} (it is reported with its result); one the shutdown aborted stays {@code BUILDING}
     * (it is reported as killed by the restart).
     */
    synchronized void deferred(String jobId, boolean ended) {
        if (ended) {
            journal().get(jobId).ifPresent(e -> {
                if (e.state() != JobJournal.State.REPORTING) {
                    put(e.withState(JobJournal.State.REPORTING));
                }
            });
        }
    }

    /** The job's result was sent (or definitively refused): it leaves the record. */
    synchronized void finished(String jobId) {
        try {
            journal().remove(jobId);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not remove CodePipeline job " + jobId + " from the record of jobs in "
                    + "flight; a restart will try its result again, and CodePipeline will refuse the second one", e);
        }
        claimed.remove(jobId);
        answered.add(jobId);
        File data = dataFile(jobId);
        if (data != null && data.exists() && !data.delete()) {
            LOGGER.fine(() -> "could not delete " + data);
        }
    }

    /** A claim given up without an answer (Jenkins is stopping): a restart tries again. */
    synchronized void released(String jobId) {
        claimed.remove(jobId);
    }

    /** A Jenkins job was renamed or moved: its jobs in flight follow it. */
    synchronized void moved(String oldFullName, String newFullName) {
        for (JobJournal.Entry entry : journal().entriesOf(oldFullName)) {
            put(entry.withOwner(newFullName));
        }
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

    private void put(JobJournal.Entry entry) {
        try {
            journal().put(entry);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not write the record of CodePipeline jobs in flight ("
                    + journal().file() + "); should Jenkins stop now, job " + entry.jobId() + " may not be resumed", e);
        }
    }

    /** For tests and the administrator: the jobs of one owner. */
    List<JobJournal.Entry> entriesOf(String owner) {
        return new ArrayList<>(journal().entriesOf(owner));
    }
}
