package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import hudson.model.Job;
import hudson.model.PeriodicWork;
import hudson.model.Queue;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeCatalog;
import io.jenkins.plugins.codepipeline.core.worker.JobPoller;
import io.jenkins.plugins.codepipeline.core.worker.PollCycle;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.core.worker.PollLog;
import io.jenkins.plugins.codepipeline.core.worker.PollOutcome;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import io.jenkins.plugins.codepipeline.core.worker.SessionCredentialsCache;
import io.jenkins.plugins.codepipeline.impl.SharedReporter;
import io.jenkins.plugins.codepipeline.worker.build.FollowUpJobs;
import io.jenkins.plugins.codepipeline.worker.build.InFlightJobs;
import io.jenkins.plugins.codepipeline.worker.build.JobBuildScheduler;
import io.jenkins.plugins.codepipeline.worker.build.JobConnection;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The controller's one poller: not a thread, a cron or a sleep per job. A {@link PeriodicWork} ticks every second
 * (Jenkins reads a period once, so the tick is fixed) and starts a poll cycle when the global poll interval has passed
 * since the last one began, read on each tick so that a changed interval applies from the next poll. A cycle runs
 * core's {@link PollCycle} over the triggers that may poll, on a bounded shared pool: triggers with equal keys share
 * one PollForJobs, and {@link #parallelism} keys are polled at once, from {@link #MIN_PARALLELISM} up to
 * {@link #MAX_PARALLELISM} as the number of keys grows. Nothing is polled while Jenkins is quieting down.
 */
@Extension
public final class ControllerPoller extends PeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(ControllerPoller.class.getName());
    static final long TICK_MILLIS = 1000;
    /** Keys polled at once, at least. */
    static final int MIN_PARALLELISM = 4;
    /** Keys polled at once, at most: the poll pool's bound. */
    static final int MAX_PARALLELISM = 32;
    /** Keys one poll thread is given per cycle, before another thread is added. */
    static final int KEYS_PER_THREAD = 25;
    /** Jobs in flight at most for a Jenkins job without concurrent builds: one building, one waiting in the queue. */
    static final int NOT_CONCURRENT_LIMIT = 2;

    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, JobPollingStatus> statuses = new ConcurrentHashMap<>();
    private volatile long lastCycleStart;
    private volatile Instant lastCycleEnd;
    private final AtomicLong cycles = new AtomicLong();
    private volatile boolean quietingDown;
    private volatile Services services;

    public static ControllerPoller get() {
        return ExtensionList.lookupSingleton(ControllerPoller.class);
    }

    @Override
    public long getRecurrencePeriod() {
        return TICK_MILLIS;
    }

    @Override
    public long getInitialDelay() {
        return TICK_MILLIS;
    }

    @Override
    protected void doRun() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || jenkins.isTerminating() || Threads.isShutDownFor(jenkins)) {
            return;
        }
        quietingDown = jenkins.isQuietingDown();
        if (quietingDown) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return; // the last cycle is still running: the next one starts when it is done and the interval passed
        }
        // The interval is read once the flag is held: whoever changes it and then sees no cycle running knows that
        // no cycle starts at the old interval.
        boolean started = false;
        try {
            long intervalMillis = CodePipelineJobWorkerConfiguration.get().getPollIntervalSeconds() * 1000L;
            if (System.currentTimeMillis() - lastCycleStart >= intervalMillis) {
                Threads.cycles().execute(() -> {
                    try {
                        runCycle();
                    } finally {
                        running.set(false);
                    }
                });
                started = true;
            }
        } catch (RejectedExecutionException e) {
            LOGGER.log(Level.FINE, "no poll cycle: the poller's threads are stopping", e);
        } finally {
            if (!started) {
                running.set(false);
            }
        }
    }

    /** One pass over every trigger that may poll. */
    void runCycle() {
        lastCycleStart = System.currentTimeMillis();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Services s = services();
            List<Subscriber> subscribers = new ArrayList<>();
            for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().evaluate()) {
                if (evaluation.polls() && evaluation.key() != null) {
                    try {
                        subscribers.add(new Subscriber(evaluation, s));
                    } catch (RuntimeException e) { // one trigger's trouble is not every trigger's
                        LOGGER.log(Level.WARNING, "Cannot poll for " + evaluation.trigger(), e);
                    }
                }
            }
            int parallelism = parallelism(subscribers.stream().map(Subscriber::key).distinct().count());
            s.cycle.runOnce(subscribers, Threads.polls(parallelism), parallelism);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "A CodePipeline poll cycle failed", e);
        } finally {
            lastCycleEnd = Instant.now();
            cycles.incrementAndGet();
        }
    }

    /**
     * How many keys are polled at once: 4, one more thread per 25 keys beyond 100, at most 32. A slow region or a
     * PollForJobs that waits on retries holds up only its thread, and a thousand keys do not take a thousand threads.
     */
    static int parallelism(long keys) {
        long wanted = (keys + KEYS_PER_THREAD - 1) / KEYS_PER_THREAD;
        return (int) Math.min(MAX_PARALLELISM, Math.max(MIN_PARALLELISM, wanted));
    }

    synchronized Services services() {
        if (services == null) {
            Clock clock = Clock.systemUTC();
            ActionTypeCatalog catalog = new ActionTypeCatalog(SharedReporter.clients(), clock);
            JobPoller poller = new JobPoller(SharedReporter.clients(), catalog);
            SessionCredentialsCache sessions = new SessionCredentialsCache(clock);
            services = new Services(new PollCycle(poller, new JulPollLog(), clock), new TriggerCredentials(sessions));
        }
        return services;
    }

    /**
     * The most jobs a trigger holds in flight: its {@code maxJobsInFlight}, but at most {@link #NOT_CONCURRENT_LIMIT}
     * for a job that does not run concurrent builds ({@code Queue.Task.isConcurrentBuild()}: one building, one
     * waiting), so that it does not hold jobs its queue cannot start.
     */
    static int roomLimit(Job<?, ?> job, int maxJobsInFlight) {
        boolean concurrent = job instanceof Queue.Task task && task.isConcurrentBuild();
        return concurrent ? maxJobsInFlight : Math.min(maxJobsInFlight, NOT_CONCURRENT_LIMIT);
    }

    /** The polling status of a job, by its full name; made on first use. */
    JobPollingStatus status(String jobFullName) {
        return statuses.computeIfAbsent(jobFullName, n -> new JobPollingStatus());
    }

    /** The polling status of a job, or null when it was never polled. */
    @CheckForNull
    JobPollingStatus statusOrNull(String jobFullName) {
        return statuses.get(jobFullName);
    }

    /** A job was renamed or moved: its status follows it. */
    void renamed(String oldFullName, String newFullName) {
        JobPollingStatus status = statuses.remove(oldFullName);
        if (status != null) {
            statuses.put(newFullName, status);
        }
        Services s = services;
        if (s != null) {
            s.credentials.forgetJob(oldFullName);
        }
    }

    void deleted(String fullName) {
        statuses.remove(fullName);
        Services s = services;
        if (s != null) {
            s.credentials.forgetJob(fullName);
        }
    }

    /** The health of a key, from the last polls. */
    @CheckForNull
    PollHealth health(@CheckForNull PollKey key) {
        Services s = services;
        return key == null || s == null ? null : s.cycle.health().get(key);
    }

    boolean isQuietingDown() {
        return quietingDown;
    }

    @CheckForNull
    Instant lastCycleEnd() {
        return lastCycleEnd;
    }

    /** Cycles run since Jenkins started (for tests that wait for polls). */
    long cycles() {
        return cycles.get();
    }

    /**
     * Whether the periodic work is deciding whether to start a cycle, or running one (for tests that change the
     * interval and wait for a quiet poller).
     */
    boolean isCycleRunning() {
        return running.get();
    }

    /** Stops the poller's threads when Jenkins stops; a poll under way is interrupted. */
    @Terminator
    public static void shutDownThreads() {
        Threads.shutDown();
    }

    /** What the cycles share: core's poll cycle (client cache, secret flags, health) and the credentials. */
    record Services(PollCycle cycle, TriggerCredentials credentials) {
    }

    /** A trigger, as core's poll cycle sees it. */
    private final class Subscriber implements PollCycle.Subscriber {
        private final TriggerRegistry.Evaluation evaluation;
        private final Services services;
        private final Job<?, ?> job;
        private final JobConnection connection;
        private final boolean unstableAsSuccess;
        private final int maxJobsInFlight;
        private final String credentialsId;
        private final boolean reportProgress;

        Subscriber(TriggerRegistry.Evaluation evaluation, Services services) {
            this.evaluation = evaluation;
            this.services = services;
            this.job = evaluation.job();
            CodePipelineJobsTrigger trigger = evaluation.trigger();
            this.connection = trigger.getConnection();
            this.unstableAsSuccess = trigger.isUnstableAsSuccess();
            this.maxJobsInFlight = trigger.getMaxJobsInFlight();
            this.credentialsId = trigger.effectiveCredentialsId();
            this.reportProgress = trigger.reportsProgress();
        }

        @Override
        public PollKey key() {
            return evaluation.key();
        }

        @Override
        public int freeRoom() {
            return roomLimit(job, maxJobsInFlight) - InFlightJobs.get().countFor(job);
        }

        @Override
        public AwsCredentialsProvider credentials() {
            return services.credentials.resolve(job, credentialsId, evaluation.key().credentialsKey(),
                    CodePipelineJobWorkerConfiguration.get().isAllowControllerCredentials());
        }

        /** Before AcknowledgeJob: the job is recorded as pending; a failure keeps it from being acknowledged. A
         *  follow-up job of this controller's live link is not: its chain's record holds it. */
        @Override
        public void beforeAccept(ReceivedJob received) {
            if (FollowUpJobs.classify(received) == FollowUp.ATTACH) {
                return;
            }
            JobBuildScheduler.prepare(job, received, connection);
        }

        /** The live link: a follow-up job whose token this controller issued is attached to its build, one whose
         *  token another controller issued is left alone; any other job is a new job. */
        @Override
        public FollowUp classify(ReceivedJob received) {
            return FollowUpJobs.classify(received);
        }

        /** Builds of this job waiting for their follow-up jobs: polled for even without free room. */
        @Override
        public int awaitedFollowUps() {
            return InFlightJobs.get().awaitingFor(job);
        }

        @Override
        public void attach(ReceivedJob received) {
            FollowUpJobs.attach(job, received, connection);
        }

        /** AcknowledgeJob did not make it ours: its pending record goes. */
        @Override
        public void notAccepted(ReceivedJob received, String reason) {
            JobBuildScheduler.notAcknowledged(received, reason);
        }

        @Override
        public void accept(ReceivedJob received) {
            Instant now = Instant.now();
            JobPollingStatus status = status(job.getFullName());
            status.received(received, now);
            try {
                // Its answer, not the record: a job that could not be queued may be failed and gone from the record
                // before this line runs.
                status.scheduled(received, now, JobBuildScheduler.schedule(job, received, connection,
                        unstableAsSuccess, reportProgress));
            } catch (RuntimeException | LinkageError e) {
                // schedule never throws by contract; should it, the job is still acknowledged: say so loudly
                LOGGER.log(Level.WARNING, "Job " + received.jobId() + " for " + job.getFullName() + " was "
                        + "acknowledged, but its build could not be scheduled", e);
                status.notScheduled(received, now, AwsErrorMessages.rootMessage(e));
            }
        }

        @Override
        public void polled(PollOutcome outcome, PollHealth health) {
            status(job.getFullName()).polled(outcome, health);
            if (outcome.failed()) {
                services.credentials.pollFailed(outcome.key().credentialsKey(), outcome.errorCode());
            }
        }
    }

    /** Core's poll lines go to java.util.logging; the job pages get theirs from {@link JobPollingStatus}. */
    private static final class JulPollLog implements PollLog {
        @Override
        public void info(String line) {
            LOGGER.info(line);
        }

        @Override
        public void warning(String line) {
            LOGGER.warning(line);
        }
    }

    /**
     * The poller's threads: one that runs the cycles, and a small pool for the polls. Both run as the system, with the
     * plugin's class loader. Shut down when Jenkins stops, made again on the next use (tests start several Jenkins in
     * one JVM).
     */
    static final class Threads {
        private static ExecutorService cycles;
        private static ThreadPoolExecutor polls;
        /** The Jenkins whose stop shut the threads down: Jenkins runs terminators before it says it is terminating,
         *  and a tick in between must not make the pools again. Weak: tests start several Jenkins in one JVM. */
        private static WeakReference<Jenkins> shutDownFor = new WeakReference<>(null);

        private Threads() {
        }

        static synchronized ExecutorService cycles() {
            if (cycles == null) {
                cycles = pool("CodePipeline poll cycle", 1);
            }
            return cycles;
        }

        /** The poll pool, sized for this cycle: {@code parallelism} threads at most, never more than the bound. */
        static synchronized ExecutorService polls(int parallelism) {
            if (polls == null) {
                polls = pool("CodePipeline poll", MAX_PARALLELISM);
            }
            // Each cycle submits `parallelism` tasks; the pool keeps that many threads (fewer after a quiet minute).
            polls.setCorePoolSize(Math.max(1, Math.min(MAX_PARALLELISM, parallelism)));
            return polls;
        }

        private static ThreadPoolExecutor pool(String name, int size) {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), new SystemThreads(name));
            executor.allowCoreThreadTimeOut(true); // no thread stays while nothing is polled
            return executor;
        }

        static synchronized boolean isShutDownFor(Jenkins jenkins) {
            return shutDownFor.get() == jenkins;
        }

        static void shutDown() {
            ExecutorService c;
            ExecutorService p;
            synchronized (Threads.class) {
                shutDownFor = new WeakReference<>(Jenkins.getInstanceOrNull());
                c = cycles;
                p = polls;
                cycles = null;
                polls = null;
            }
            for (ExecutorService e : new ExecutorService[] {c, p}) {
                if (e != null) {
                    e.shutdownNow();
                }
            }
            try {
                for (ExecutorService e : new ExecutorService[] {c, p}) {
                    if (e != null && !e.awaitTermination(10, TimeUnit.SECONDS)) {
                        LOGGER.warning("CodePipeline poller threads did not stop within 10 s");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Daemon threads that act as the system and load classes with the plugin's class loader. */
    private static final class SystemThreads implements ThreadFactory {
        private final String name;
        private final AtomicInteger count = new AtomicInteger();

        SystemThreads(String name) {
            this.name = name;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread thread = new Thread(() -> {
                try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                    r.run();
                }
            }, name + " #" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(ControllerPoller.class.getClassLoader());
            return thread;
        }
    }
}
