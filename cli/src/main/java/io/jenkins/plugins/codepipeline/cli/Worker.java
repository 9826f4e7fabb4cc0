package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.Attempt;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ReportAbortedException;
import io.jenkins.plugins.codepipeline.core.ReportListener;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeCatalog;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import io.jenkins.plugins.codepipeline.core.worker.JobPoller;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import io.jenkins.plugins.codepipeline.core.worker.PollCycle;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.core.worker.PollOutcome;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import io.jenkins.plugins.codepipeline.core.worker.SessionCredentialsCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The command-line job worker: polls with core's {@link PollCycle} for one subscriber whose room is
 * {@code maxJobs} minus the commands running, runs the command of each job ({@link JobRun}), and reports its result.
 */
final class Worker {
    /** The journal's owner of the jobs this worker takes. */
    static final String JOURNAL_OWNER = "cli";
    /** The credentials' key in the journal and the session cache: the SDK's default chain (not a secret). */
    static final String CREDENTIALS_KEY = "default-chain";

    record Config(ActionTypeId actionType, JobQuery query, ConnectionSettings settings, int maxJobs,
            Duration pollInterval, boolean once, Path journal, List<String> command, Artifacts artifacts) {
    }

    /**
     * The job's artifacts around the command.
     *
     * @param enabled whether inputs are downloaded and outputs uploaded (false: --no-artifacts)
     * @param dir     --artifacts-dir; null for a fresh directory per job, deleted after the job
     * @param store   where S3 is reached
     */
    record Artifacts(boolean enabled, Path dir, ArtifactStoreSettings store) {
    }

    private final Config config;
    private final CliEnvironment env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private final WorkerLog log;
    /** Unique enough across workers and restarts: the first part of each run's id. */
    private final String workerId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong runs = new AtomicLong();

    private final Object lock = new Object();
    private int running;
    private boolean stopping;
    private volatile String stopReason;
    private final CountDownLatch finished = new CountDownLatch(1);

    private final AtomicBoolean notDelivered = new AtomicBoolean();
    private final AtomicBoolean answerLost = new AtomicBoolean();
    private volatile PollOutcome lastOutcome;

    private JobJournal journal;
    private JobResultReporter reporter;
    private CodePipelineClientCache clients;
    private AwsCredentialsProvider credentials;
    private ExecutorService commandThreads;

    Worker(Config config, CliEnvironment env, PrintWriter out, PrintWriter err, Clock clock) {
        this.config = config;
        this.env = env;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.log = new WorkerLog(err, clock);
    }

    int run() {
        FileChannel lockChannel = null;
        Thread hook = null;
        AwsCredentialsProvider source = null;
        try {
            if (config.journal() != null) {
                Path lockFile = config.journal().resolveSibling(config.journal().getFileName() + ".lock");
                try {
                    lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock fileLock = lockChannel.tryLock();
                    if (fileLock == null) {
                        throw new OverlappingFileLockException();
                    }
                    journal = new JobJournal(config.journal());
                } catch (OverlappingFileLockException e) {
                    return refused("the journal " + config.journal() + " is in use by another running worker (it "
                            + "holds " + lockFile + "); give each worker a journal of its own");
                } catch (IOException e) {
                    return refused("the journal " + config.journal() + " cannot be used: " + e.getMessage());
                }
                journal.warnings().forEach(log::warning);
            }
            source = env.credentials().get();
            credentials = new SessionCredentialsCache(clock).cached(CREDENTIALS_KEY, source);
            commandThreads = Executors.newCachedThreadPool(daemonThreads("codepipeline-job-command"));
            ExecutorService pollThread = Executors.newSingleThreadExecutor(daemonThreads("codepipeline-job-poll"));
            try (CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory())) {
                this.clients = clients;
                reporter = new JobResultReporter(clients);
                hook = new Thread(this::stopOnSignal, "codepipeline-job-worker-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                recoverJournal();
                PollCycle cycle = new PollCycle(new JobPoller(clients, new ActionTypeCatalog(clients, clock)), log,
                        clock);
                Subscriber subscriber = new Subscriber(new PollKey(config.settings(), CREDENTIALS_KEY,
                        config.actionType(), config.query()));
                log.info("Worker " + workerId + " polls for " + subscriber.key.describe()
                        + (config.settings().endpoint() == null ? "" : " at " + config.settings().endpoint())
                        + (config.once() ? ", once" : ", every " + config.pollInterval().toSeconds() + " s")
                        + ", at most " + config.maxJobs() + " command(s) at once"
                        + (config.artifacts().enabled() ? ", artifacts through " + config.artifacts().store()
                                .endpointDescription() : ", no artifacts (--no-artifacts)") + ": "
                        + String.join(" ", config.command()));
                try {
                    loop(cycle, subscriber, pollThread);
                } catch (InterruptedException e) {
                    stop("interrupted");
                } finally {
                    // whatever ended the loop, every job taken gets its command run and its result reported
                    stop(null);
                    awaitCommands();
                    pollThread.shutdownNow();
                }
            }
            commandThreads.shutdown();
            int code = exitCode();
            log.info("Worker " + workerId + " stopped" + ("signal".equals(stopReason)
                    ? " on the signal; every job it took was run and reported" + (code == 0 ? "" : ", not all delivered")
                    : (stopReason == null ? "" : " (" + stopReason + ")") + ", exit code " + code));
            return code;
        } finally {
            CliEnvironment.close(source);
            if (lockChannel != null) {
                try {
                    lockChannel.close();
                } catch (IOException ignored) {
                    // released with the process anyway
                }
            }
            out.flush();
            err.flush();
            finished.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns now that this worker is done
                }
            }
        }
    }

    private int refused(String message) {
        err.println("codepipeline-job worker: " + message);
        err.println("Nothing was polled. See 'codepipeline-job worker --help'.");
        return ExitCodes.REFUSED_LOCALLY;
    }

    private int exitCode() {
        if (notDelivered.get()) {
            return ExitCodes.NOT_DELIVERED;
        }
        if (config.once() && (lastOutcome == null || lastOutcome.failed())) {
            return ExitCodes.NOT_DELIVERED;
        }
        return answerLost.get() ? ExitCodes.ANSWER_LOST : ExitCodes.DELIVERED;
    }

    // ------------------------------------------------------------------------------------------------ the loop

    private void loop(PollCycle cycle, Subscriber subscriber, ExecutorService pollThread)
            throws InterruptedException {
        while (true) {
            int room;
            synchronized (lock) {
                while (!stopping && running >= config.maxJobs()) {
                    lock.wait();
                }
                if (stopping) {
                    return;
                }
                room = config.maxJobs() - running;
            }
            cycle.runOnce(List.of(subscriber), pollThread, 1);
            if (config.once()) {
                stop(null);
                return;
            }
            PollOutcome outcome = lastOutcome;
            boolean full = outcome != null && !outcome.failed()
                    && outcome.acknowledged().size() + outcome.dropped().size() >= room;
            if (!full) {
                long deadline = System.nanoTime() + config.pollInterval().toNanos();
                synchronized (lock) {
                    long left;
                    while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                }
            }
        }
    }

    void stop(String reason) {
        synchronized (lock) {
            if (!stopping) {
                stopping = true;
                stopReason = reason;
            }
            lock.notifyAll();
        }
    }

    /** The shutdown hook (SIGTERM, SIGINT): no more polls; the running commands finish and are reported. */
    private void stopOnSignal() {
        if (finished.getCount() == 0) {
            return;
        }
        int now;
        synchronized (lock) {
            now = running;
        }
        log.info("Stopping on a signal: no more polls" + (now == 0 ? "" : "; waiting for " + now
                + " running command(s) to finish and be reported"));
        stop("signal");
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitCommands() {
        boolean told = false;
        synchronized (lock) {
            while (running > 0) {
                if (!told && !config.once() && !"signal".equals(stopReason)) {
                    told = true;
                    log.info("Waiting for " + running + " running command(s) to finish and be reported");
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // keep waiting: every acknowledged job gets its result
                }
            }
        }
    }

    private final class Subscriber implements PollCycle.Subscriber {
        final PollKey key;

        Subscriber(PollKey key) {
            this.key = key;
        }

        @Override
        public PollKey key() {
            return key;
        }

        @Override
        public int freeRoom() {
            synchronized (lock) {
                return stopping ? 0 : Math.max(0, config.maxJobs() - running);
            }
        }

        @Override
        public AwsCredentialsProvider credentials() {
            return credentials;
        }

        @Override
        public void accept(ReceivedJob job) {
            start(job);
        }

        @Override
        public void polled(PollOutcome outcome, PollHealth health) {
            lastOutcome = outcome;
            if (outcome.failed()) {
                return; // PollCycle logs failures once per change
            }
            int received = outcome.acknowledged().size() + outcome.dropped().size();
            if (received == 0 && !config.once()) {
                return;
            }
            String line = "Polled " + key.describe() + ": " + (received == 0 ? "no jobs"
                    : received + " job(s), " + outcome.acknowledged().size() + " acknowledged"
                            + (outcome.dropped().isEmpty() ? "" : ", " + outcome.dropped().size() + " dropped"));
            log.info(line);
        }
    }

    // ------------------------------------------------------------------------------------------------ jobs

    /** Records the job, then starts its command on a thread of its own. Never throws. */
    private void start(ReceivedJob job) {
        String runId = workerId + "-" + runs.incrementAndGet();
        synchronized (lock) {
            running++;
        }
        try {
            record(new JobJournal.Entry(job.jobId(), job.region(), endpointUrl(config.settings()), CREDENTIALS_KEY,
                    JOURNAL_OWNER, 0, 0, JobJournal.State.BUILDING, clock.instant(), job.pipeline().describe()));
            commandThreads.execute(() -> {
                try {
                    new JobRun(this, job, runId).run();
                } finally {
                    finishedOne();
                }
            });
        } catch (RuntimeException | Error e) {
            log.warning("Job " + job.jobId() + ": the worker could not start its command: " + e);
            report(job.jobId(), CommandResults.notStarted(job.jobId(), runId, commandName(), e.toString()),
                    config.settings());
            forget(job.jobId());
            finishedOne();
        }
    }

    private void finishedOne() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }

    Config config() {
        return config;
    }

    CliEnvironment env() {
        return env;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    WorkerLog log() {
        return log;
    }

    Clock clock() {
        return clock;
    }

    /** CodePipeline's clients, for GetJobDetails. */
    CodePipelineClientCache clients() {
        return clients;
    }

    /** The worker's own credentials (never the job's artifact credentials). */
    AwsCredentialsProvider credentials() {
        return credentials;
    }

    String commandName() {
        String first = config.command().get(0);
        String name = first.substring(first.lastIndexOf('/') + 1);
        return name.length() > 100 ? name.substring(0, 100) + "…" : name;
    }

    /** Writes the journal entry (when there is a journal); a failure is logged, the job goes on. */
    void record(JobJournal.Entry entry) {
        if (journal == null) {
            return;
        }
        try {
            journal.put(entry);
        } catch (IOException e) {
            log.warning("Job " + entry.jobId() + ": could not write the journal " + config.journal() + ": " + e
                    + "; if the worker stops now, the job times out in CodePipeline");
        }
    }

    void markReporting(String jobId) {
        if (journal != null) {
            journal.get(jobId).ifPresent(entry -> record(entry.withState(JobJournal.State.REPORTING)));
        }
    }

    void forget(String jobId) {
        if (journal == null) {
            return;
        }
        try {
            journal.remove(jobId);
        } catch (IOException e) {
            log.warning("Job " + jobId + ": could not update the journal " + config.journal() + ": " + e);
        }
    }

    /**
     * Sends a result and logs how it went.
     *
     * @return the outcome; null when the report was aborted
     */
    ReportOutcome report(String jobId, JobResult result, ConnectionSettings settings) {
        return report(jobId, result, settings, true);
    }

    /** @param counts whether a result that is not delivered makes the exit code 1 (not for recovered entries) */
    private ReportOutcome report(String jobId, JobResult result, ConnectionSettings settings, boolean counts) {
        String kind = result instanceof SuccessResult ? "success" : "failure";
        ReportListener listener = new ReportListener() {
            @Override
            public void warning(String message) {
                log.warning("Job " + jobId + ": " + message);
            }

            @Override
            public void retrying(Attempt failed, int maxAttempts, Duration delay) {
                log.info("Job " + jobId + ": reporting " + kind + ": "
                        + StderrListener.retryLine(failed, maxAttempts, delay));
            }
        };
        ReportOutcome outcome;
        try {
            outcome = reporter.report(result, settings, credentials, listener);
        } catch (ReportAbortedException e) {
            notDelivered.compareAndSet(false, counts);
            log.warning("Job " + jobId + ": the " + kind + " result was not delivered: " + e.getMessage());
            return null;
        }
        switch (outcome.status()) {
            case DELIVERED:
                log.info("Job " + jobId + ": " + outcome.message());
                break;
            case DELIVERED_ANSWER_LOST:
                answerLost.set(true);
                log.warning("Job " + jobId + ": " + outcome.message());
                break;
            default:
                notDelivered.compareAndSet(false, counts);
                log.warning("Job " + jobId + ": the " + kind + " result was not delivered: " + outcome.message());
        }
        return outcome;
    }

    /** Jobs a previous worker with this journal acknowledged and did not finish get a failure now. */
    private void recoverJournal() {
        if (journal == null) {
            return;
        }
        List<JobJournal.Entry> left = journal.entriesOf(JOURNAL_OWNER);
        if (left.isEmpty()) {
            return;
        }
        log.info("The journal " + config.journal() + " holds " + left.size() + " job(s) of a worker that stopped "
                + "before they were reported: reporting a failure for each");
        for (JobJournal.Entry entry : left) {
            String message = entry.state() == JobJournal.State.REPORTING
                    ? "The codepipeline-job worker stopped after the command finished but before its result was "
                            + "delivered, so the result is unknown (acknowledged at " + entry.acknowledgedAt() + ")."
                    : "The codepipeline-job worker stopped before the command finished (acknowledged at "
                            + entry.acknowledgedAt() + ").";
            FailureResult failure = FailureResult.builder().jobId(entry.jobId()).type(FailureType.JOB_FAILED)
                    .message(message).build();
            ConnectionSettings settings;
            try {
                settings = config.settings().toBuilder().region(entry.region()).endpoint(entry.endpointUrl())
                        .build();
            } catch (IllegalArgumentException e) {
                log.warning("Job " + entry.jobId() + ": the journal's region or endpoint is unusable (" + e.getMessage()
                        + "); the entry is dropped and the job times out in CodePipeline");
                forget(entry.jobId());
                continue;
            }
            ReportOutcome outcome = report(entry.jobId(), failure, settings, false);
            if (outcome != null && outcome.status() != ReportOutcome.Status.NOT_DELIVERED) {
                forget(entry.jobId());
            }
        }
    }

    static String endpointUrl(ConnectionSettings settings) {
        return settings.endpoint() == null ? null : settings.endpoint().toString();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicLong count = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
