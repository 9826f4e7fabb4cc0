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
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
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
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
            Duration pollInterval, boolean once, Path journal, List<String> command, Artifacts artifacts,
            boolean reportProgress) {
    }

    /** The longest a finished command waits for the follow-up job of its early report. */
    static final Duration FOLLOW_UP_WAIT_MAX = Duration.ofHours(24);

    /**
     * One run's chain (--report-progress): the job reported early, and the follow-up job CodePipeline queues for
     * it, which the poll attaches. Its record id is the first job's id.
     */
    static final class Chain {
        final String recordId;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private volatile ReceivedJob followUp;

        Chain(String recordId) {
            this.recordId = recordId;
        }

        /** The follow-up job; null when none came within the wait. */
        ReceivedJob awaitFollowUp(Duration max) {
            boolean interrupted = false;
            long deadline = System.nanoTime() + max.toNanos();
            try {
                while (true) {
                    try {
                        long left = deadline - System.nanoTime();
                        return arrived.await(Math.max(0, left), TimeUnit.NANOSECONDS) ? followUp : null;
                    } catch (InterruptedException e) {
                        interrupted = true; // every acknowledged job gets its result: keep waiting
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        boolean attached() {
            return arrived.getCount() == 0;
        }

        /** The follow-up job when it is attached already; else null. */
        ReceivedJob followUpNow() {
            return attached() ? followUp : null;
        }
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
    /** --report-progress: this worker's fingerprint in its continuation tokens. */
    private String fingerprint;
    /** The chains awaiting their follow-up job, by record id. */
    private final Map<String, Chain> chains = new ConcurrentHashMap<>();
    /** Runs of --report-progress whose chain is not settled yet (follow-up attached or chain given up). */
    private int pendingChains;
    /** Chains of a worker that stopped (from the journal): their follow-up jobs get a failure. */
    private final Map<String, JobJournal.Entry> orphans = new ConcurrentHashMap<>();
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
            try {
                fingerprint = ContinuationTokens.fingerprint(identity());
            } catch (IOException e) {
                return refused("the worker's identity " + identityFile() + " cannot be used: " + e.getMessage());
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
                                .endpointDescription() : ", no artifacts (--no-artifacts)")
                        + (config.reportProgress() ? ", reporting progress (tokens jcp1:" + fingerprint + ":…)" : "")
                        + ": "
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
            boolean followUpsOnly;
            synchronized (lock) {
                while (!stopping && running >= config.maxJobs() && pendingChains == 0) {
                    lock.wait();
                }
                if (stopping && pendingChains == 0) {
                    return;
                }
                // stopped (a signal, --once), or full: only the follow-up jobs of the runs' chains are taken
                followUpsOnly = stopping || running >= config.maxJobs();
                room = Math.max(0, config.maxJobs() - running);
            }
            cycle.runOnce(List.of(subscriber), pollThread, 1);
            if (config.once()) {
                stop(null);
                synchronized (lock) {
                    if (pendingChains == 0) {
                        return;
                    }
                }
            }
            PollOutcome outcome = lastOutcome;
            boolean full = !followUpsOnly && outcome != null && !outcome.failed()
                    && outcome.acknowledged().size() + outcome.dropped().size() >= room;
            if (!full) {
                long deadline = System.nanoTime() + config.pollInterval().toNanos();
                synchronized (lock) {
                    long left;
                    // once stopped, the wait goes on only for the follow-up jobs still awaited
                    while ((!stopping || pendingChains > 0) && (left = deadline - System.nanoTime()) > 0) {
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
        public FollowUp classify(ReceivedJob job) {
            String token = job.continuationToken();
            if (!ContinuationTokens.isReserved(token)) {
                return FollowUp.NEW_JOB; // a job, or a follow-up job of a command's own token
            }
            return ContinuationTokens.parse(token).filter(t -> t.fingerprint().equals(fingerprint))
                    .map(t -> FollowUp.ATTACH).orElse(FollowUp.LEAVE);
        }

        @Override
        public int awaitedFollowUps() {
            synchronized (lock) {
                return pendingChains + orphans.size();
            }
        }

        @Override
        public void attach(ReceivedJob job) {
            attachFollowUp(job);
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
        boolean chained = config.reportProgress();
        synchronized (lock) {
            running++;
            if (chained) {
                pendingChains++; // from now on its follow-up job is polled for, until the chain is settled
            }
        }
        try {
            record(new JobJournal.Entry(job.jobId(), job.region(), endpointUrl(config.settings()), CREDENTIALS_KEY,
                    JOURNAL_OWNER, 0, 0, JobJournal.State.BUILDING, clock.instant(), job.pipeline().describe(),
                    chained ? job.jobId() : null, false));
            commandThreads.execute(() -> {
                try {
                    new JobRun(this, job, runId).run();
                } finally {
                    finishedOne();
                }
            });
        } catch (RuntimeException | Error e) {
            log.warning("Job " + job.jobId() + ": the worker could not start its command: " + e);
            if (chained) {
                settleChain(null);
            }
            report(job.jobId(), CommandResults.notStarted(job.jobId(), runId, commandName(), e.toString()),
                    config.settings());
            forget(job.jobId());
            finishedOne();
        }
    }

    // ------------------------------------------------------------------------------------------------ chains

    /**
     * --report-progress, right after COMMAND started: records the chain (awaiting its follow-up job), then reports
     * the job early with this worker's token, the run's id and a summary. Null when the early report did not go
     * through: the run then goes on without a chain, and its job gets the final result.
     */
    Chain reportEarly(ReceivedJob job, String runId) {
        String jobId = job.jobId();
        String token = ContinuationTokens.issue(fingerprint, jobId);
        Chain chain = new Chain(jobId);
        chains.put(jobId, chain);
        if (journal != null) {
            journal.get(jobId).ifPresent(entry -> record(entry.withRecordId(jobId)
                    .withState(JobJournal.State.AWAITING_FOLLOW_UP)));
        }
        SuccessResult early = AutomaticResults.earlyReport(jobId, token, runId, commandName() + " running", null);
        log.info("Job " + jobId + ": reporting progress (success with the continuation token " + token
                + "); the result goes to the follow-up job");
        ReportOutcome outcome = report(jobId, early, config.settings(), false);
        if (outcome == null || outcome.status() == ReportOutcome.Status.NOT_DELIVERED) {
            log.warning("Job " + jobId + ": the progress report did not go through; the result goes to this job "
                    + "when " + commandName() + " ends");
            chains.remove(jobId);
            if (journal != null) {
                journal.get(jobId).ifPresent(entry -> record(entry.withState(JobJournal.State.BUILDING)));
            }
            settleChain(null);
            return null;
        }
        return chain;
    }

    /** No follow-up job came within {@link #FOLLOW_UP_WAIT_MAX}: the result is not delivered. */
    void followUpMissing(Chain chain, String jobId) {
        log.warning("Job " + jobId + ": no follow-up job came within " + FOLLOW_UP_WAIT_MAX.toHours() + " h of the "
                + "progress report (the pipeline's execution was stopped, or the action timed out); the result was "
                + "not delivered");
        notDelivered.set(true);
        settleChain(chain);
        forget(jobId);
    }

    /** The run's chain is settled: its follow-up job is attached, or it has none. */
    void settleChain(Chain chain) {
        if (chain != null) {
            chains.remove(chain.recordId);
        }
        synchronized (lock) {
            pendingChains = Math.max(0, pendingChains - 1);
            lock.notifyAll();
        }
    }

    /** A follow-up job with this worker's token, acknowledged: it becomes its run's current job. Never throws. */
    private void attachFollowUp(ReceivedJob job) {
        String recordId = ContinuationTokens.parse(job.continuationToken()).map(ContinuationTokens.Issued::recordId)
                .orElse("?");
        Chain chain = chains.get(recordId);
        if (chain != null && !chain.attached()) {
            if (journal != null) {
                JobJournal.Entry entry = journal.get(recordId).orElse(null);
                if (entry != null) {
                    try {
                        journal.replace(recordId, entry.withJobId(job.jobId(), clock.instant())
                                .withState(JobJournal.State.BUILDING));
                    } catch (IOException e) {
                        log.warning("Job " + job.jobId() + ": could not write the journal " + config.journal() + ": "
                                + e + "; if the worker stops now, the job times out in CodePipeline");
                    }
                }
            }
            log.info("Job " + job.jobId() + ": the follow-up job of job " + recordId + " is attached to its run; "
                    + "the result goes to it");
            chain.followUp = job;
            chain.arrived.countDown();
            settleChain(chain);
            return;
        }
        String message = "The codepipeline-job worker that issued this job's continuation token no longer runs the "
                + "action (its run for job " + recordId + " is gone"
                + (orphans.containsKey(recordId) ? ": the worker stopped before the command finished" : "")
                + ").";
        log.warning("Job " + job.jobId() + ": a follow-up job of this worker whose run is gone; reporting a failure");
        FailureResult failure = FailureResult.builder().jobId(job.jobId()).type(FailureType.JOB_FAILED)
                .message(message).build();
        ReportOutcome outcome = report(job.jobId(), failure, config.settings(), false);
        if (outcome != null && outcome.status() != ReportOutcome.Status.NOT_DELIVERED && orphans.remove(recordId)
                != null) {
            forget(recordId);
        }
    }

    /** 32 bytes: {@code <journal>.identity} (made when missing, with --report-progress), else random. */
    private byte[] identity() throws IOException {
        Path file = identityFile();
        if (file != null && Files.isRegularFile(file)) {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 16) {
                throw new IOException("it holds " + bytes.length + " bytes, not 32; delete it to make a new one "
                        + "(the follow-up jobs of the tokens it issued are then left alone)");
            }
            return bytes;
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        if (file != null && config.reportProgress()) {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
            }
            Files.write(temp, bytes);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return bytes;
    }

    private Path identityFile() {
        return config.journal() == null ? null
                : config.journal().resolveSibling(config.journal().getFileName() + ".identity");
    }

    String fingerprint() {
        return fingerprint;
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
    ReportOutcome report(String jobId, JobResult result, ConnectionSettings settings, boolean counts) {
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
            if (entry.state() == JobJournal.State.AWAITING_FOLLOW_UP) {
                // its job is closed (reported early); the follow-up job gets the failure when it arrives
                log.info("Job " + entry.jobId() + " was reported early and awaits its follow-up job, which gets a "
                        + "failure when it arrives");
                orphans.put(entry.recordIdOrJobId(), entry);
                continue;
            }
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
