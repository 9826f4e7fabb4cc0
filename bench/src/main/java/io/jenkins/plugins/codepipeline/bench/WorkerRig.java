package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeCatalog;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobPoller;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import io.jenkins.plugins.codepipeline.core.worker.PollCycle;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.core.worker.PollLog;
import io.jenkins.plugins.codepipeline.core.worker.PollOutcome;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What sections 7 and 8 share: core's poller set up as the plugin sets it up (one client cache, one catalog, one
 * {@link JobPoller}, one {@link PollCycle}), subscribers that stand in for triggers, a "queue" that stands in for
 * Jenkins' (it takes each job handed to it at once and frees its room when the "build" ends), and a poll loop at a
 * fixed rate, as {@code PeriodicWork} runs it.
 */
final class WorkerRig implements AutoCloseable {
    static final String CATEGORY = "Build";
    static final String VERSION = "1";

    final CodePipelineClientCache cache = new CodePipelineClientCache(new ApacheHttpClientFactory());
    final JobPoller poller = new JobPoller(cache, new ActionTypeCatalog(cache, Clock.systemUTC()));
    final Log log = new Log();
    final PollCycle cycle = new PollCycle(poller, log, Clock.systemUTC());

    static PollKey key(URI endpoint, String region, String provider, String value) {
        return new PollKey(Fixture.settings(endpoint, region), "bench-lab-key",
                new ActionTypeId(CATEGORY, provider, VERSION), new JobQuery(RefereeAdmin.QUERY_NAME, value));
    }

    @Override
    public void close() {
        cache.close();
    }

    /** The poller's log lines, kept (and warnings echoed, so that a broken run says why). */
    static final class Log implements PollLog {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger warnings = new AtomicInteger();

        @Override
        public void info(String line) {
            lines.add("INFO " + line);
        }

        @Override
        public void warning(String line) {
            warnings.incrementAndGet();
            lines.add("WARNING " + line);
            System.err.println("poller warning: " + line);
        }
    }

    /** One hand-over of a job to a subscriber. */
    record Handed(String jobId, Subscriber to, long atNanos, long cycleStartNanos) {
    }

    /**
     * The queue that stands in for Jenkins': every job handed to a subscriber is recorded (with the time, for the
     * latency) and "built" for {@code buildTime} (0: the room is free again at once).
     */
    static final class Queue implements AutoCloseable {
        final Map<String, List<Handed>> handed = new ConcurrentHashMap<>();
        final AtomicLong count = new AtomicLong();
        private final ScheduledExecutorService builds = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "bench-builds");
            t.setDaemon(true);
            return t;
        });
        private final java.util.function.LongSupplier buildNanos;
        volatile long cycleStart;

        Queue(java.util.function.LongSupplier buildNanos) {
            this.buildNanos = buildNanos;
        }

        void take(Subscriber to, ReceivedJob job) {
            long now = System.nanoTime();
            handed.computeIfAbsent(job.jobId(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(new Handed(job.jobId(), to, now, cycleStart));
            count.incrementAndGet();
            long build = buildNanos.getAsLong();
            if (build <= 0) {
                to.inFlight.decrementAndGet();
            } else {
                builds.schedule(() -> {
                    to.inFlight.decrementAndGet();
                }, build, TimeUnit.NANOSECONDS);
            }
        }

        /** Jobs handed more than once (extra hand-overs counted). */
        int duplicates() {
            return handed.values().stream().mapToInt(l -> Math.max(0, l.size() - 1)).sum();
        }

        @Override
        public void close() {
            builds.shutdownNow();
        }
    }

    /** A trigger stand-in: one poll key, at most {@code room} jobs in flight. */
    static final class Subscriber implements PollCycle.Subscriber {
        final PollKey key;
        final String value;
        final int room;
        final AwsCredentialsProvider credentials = Fixture.credentials();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger failedPolls = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger maxBatch = new AtomicInteger();
        /** Polls that returned as many jobs as the subscriber's whole room (jobs may have been left waiting). */
        final AtomicInteger fullBatches = new AtomicInteger();
        volatile String lastFailure;
        private final Queue queue;

        Subscriber(PollKey key, int room, Queue queue) {
            this.key = key;
            this.value = key.query().value();
            this.room = room;
            this.queue = queue;
        }

        @Override
        public PollKey key() {
            return key;
        }

        @Override
        public int freeRoom() {
            return Math.max(0, room - inFlight.get());
        }

        @Override
        public AwsCredentialsProvider credentials() {
            return credentials;
        }

        @Override
        public void accept(ReceivedJob job) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            queue.take(this, job);
        }

        @Override
        public void polled(PollOutcome outcome, PollHealth health) {
            polls.incrementAndGet();
            if (outcome.failed()) {
                failedPolls.incrementAndGet();
                lastFailure = outcome.errorCode() + ": " + outcome.errorMessage();
            }
            dropped.addAndGet(outcome.dropped().size());
            acknowledged.addAndGet(outcome.acknowledged().size());
            int got = outcome.acknowledged().size() + outcome.dropped().size();
            maxBatch.accumulateAndGet(got, Math::max);
            if (got >= room) {
                fullBatches.incrementAndGet();
            }
        }
    }

    /**
     * {@link PollCycle#runOnce} at a fixed rate on its own thread, keys polled by up to {@code parallelism} threads of
     * one pool (as the plugin's controller-wide poller does); stops after the cycle in which {@code done} turns true.
     */
    static final class PollLoop implements AutoCloseable {
        final List<Long> cycleNanos = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger cycles = new AtomicInteger();
        private final Thread thread;
        private final ExecutorService pool;
        private volatile boolean stop;
        private volatile Throwable failure;

        PollLoop(String name, PollCycle cycle, List<Subscriber> subscribers, Queue queue, Duration interval,
                Duration offset, int parallelism, BooleanSupplier done) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(parallelism, r -> {
                Thread t = new Thread(r, name + "-poll-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long period = interval.toNanos();
            thread = new Thread(() -> {
                long next = System.nanoTime() + offset.toNanos();
                try {
                    while (!stop) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        long start = System.nanoTime();
                        queue.cycleStart = start;
                        cycle.runOnce(subscribers, pool, parallelism);
                        cycleNanos.add(System.nanoTime() - start);
                        cycles.incrementAndGet();
                        if (done.getAsBoolean()) {
                            break;
                        }
                        next += period;
                        if (next < System.nanoTime()) { // overran: the next cycle starts now, none is made up
                            next = System.nanoTime();
                        }
                    }
                } catch (InterruptedException e) {
                    // stopped
                } catch (Throwable t) {
                    failure = t;
                }
            }, name + "-loop");
            thread.setDaemon(true);
        }

        PollLoop start() {
            thread.start();
            return this;
        }

        /** Waits for the loop to end by itself (its {@code done}), at most until the deadline. */
        boolean awaitDone(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            rethrow();
            return !thread.isAlive();
        }

        void rethrow() {
            if (failure != null) {
                throw new IllegalStateException("the poll loop failed", failure);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join(10_000);
            pool.shutdownNow();
            rethrow();
        }
    }
}
