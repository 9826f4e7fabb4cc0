package io.jenkins.plugins.codepipeline.core.worker;

import static io.jenkins.plugins.codepipeline.core.worker.JobPollerTest.FAST;
import static io.jenkins.plugins.codepipeline.core.worker.JobPollerTest.KEYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.Delay;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** PollCycle against the in-process endpoint: shared polls, room, hand-out, two controllers, logging. */
class PollCycleTest {
    private FakeCodePipeline endpoint;
    private ExecutorService executor;
    private final List<Controller> controllers = new ArrayList<>();

    /** One Jenkins controller's worth of poller: its own clients, catalog, poller, cycle and log. */
    private final class Controller implements AutoCloseable {
        final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        final CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
        final JobPoller poller = new JobPoller(clients, new ActionTypeCatalog(clients, clock), FAST);
        final RecordingLog log = new RecordingLog();
        final PollCycle cycle = new PollCycle(poller, log, clock);

        Controller() {
            controllers.add(this);
        }

        void runOnce(List<? extends PollCycle.Subscriber> subscribers, int parallelism) throws InterruptedException {
            cycle.runOnce(subscribers, executor, parallelism);
        }

        @Override
        public void close() {
            clients.close();
        }
    }

    static final class RecordingLog implements PollLog {
        final List<String> infos = Collections.synchronizedList(new ArrayList<>());
        final List<String> fines = Collections.synchronizedList(new ArrayList<>());
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void info(String line) {
            infos.add(line);
        }

        @Override
        public void warning(String line) {
            warnings.add(line);
        }

        @Override
        public void fine(String line) {
            fines.add(line);
        }
    }

    /** A trigger: at most {@code max} jobs in flight; {@link #finishAll} stands for its builds ending. */
    static class TestSubscriber implements PollCycle.Subscriber {
        final PollKey key;
        final int max;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicBoolean overfilled = new AtomicBoolean();
        final List<ReceivedJob> accepted = Collections.synchronizedList(new ArrayList<>());
        final List<PollOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        final List<PollHealth> healths = Collections.synchronizedList(new ArrayList<>());
        AwsCredentialsProvider credentials = KEYS;
        Exception credentialsFailure;
        long acceptMillis;

        TestSubscriber(PollKey key, int max) {
            this.key = key;
            this.max = max;
        }

        @Override
        public PollKey key() {
            return key;
        }

        @Override
        public int freeRoom() {
            return max - inFlight.get();
        }

        @Override
        public AwsCredentialsProvider credentials() throws Exception {
            if (credentialsFailure != null) {
                throw credentialsFailure;
            }
            return credentials;
        }

        @Override
        public void accept(ReceivedJob job) {
            if (inFlight.incrementAndGet() > max) {
                overfilled.set(true);
            }
            accepted.add(job);
            if (acceptMillis > 0) {
                try {
                    Thread.sleep(acceptMillis); // a durable write
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void polled(PollOutcome outcome, PollHealth health) {
            outcomes.add(outcome);
            healths.add(health);
        }

        void finishAll() {
            inFlight.set(0);
        }

        List<String> jobIds() {
            synchronized (accepted) {
                return accepted.stream().map(ReceivedJob::jobId).toList();
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false, "ApiToken", true));
        executor = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        controllers.forEach(Controller::close);
        endpoint.close();
    }

    private PollKey key(String projectName) {
        return JobPollerTest.key(endpoint, new JobQuery(null, projectName));
    }

    @Test
    void subscribersSharingAKeyShareOnePollAndTheJobsInOrder() throws Exception {
        Controller controller = new Controller();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FakeJob job = JobPollerTest.job("app");
            endpoint.addJob(job);
            ids.add(job.jobId());
        }
        TestSubscriber one = new TestSubscriber(key("app"), 1);
        TestSubscriber two = new TestSubscriber(key("app"), 2);

        controller.runOnce(List.of(one, two), 4);

        assertEquals(1, endpoint.requests("PollForJobs").size());
        assertTrue(endpoint.requests("PollForJobs").get(0).body().contains("\"maxBatchSize\":3"));
        assertEquals(ids.subList(0, 1), one.jobIds());
        assertEquals(ids.subList(1, 3), two.jobIds());
        assertEquals(1, one.outcomes.size());
        assertSame(one.outcomes.get(0), two.outcomes.get(0));
        assertEquals(3, controller.cycle.health().get(key("app")).jobsReceived());
        assertEquals(List.of(), controller.log.warnings);
        assertEquals(3, controller.log.infos.stream().filter(l -> l.startsWith("Received job ")).count());
    }

    @Test
    void aKeyWithoutRoomIsNotPolled() throws Exception {
        Controller controller = new Controller();
        endpoint.addJob(JobPollerTest.job("app"));
        TestSubscriber full = new TestSubscriber(key("app"), 2);
        full.inFlight.set(2);
        TestSubscriber none = new TestSubscriber(key("app"), 0);

        controller.runOnce(List.of(full, none), 1);

        assertEquals(List.of(), endpoint.requests());
        assertEquals(List.of(), full.outcomes);
        assertEquals(Map.of(), controller.cycle.health());
    }

    @Test
    void twentyJobsOverFourQueryValuesAreEachHandedOutOnceWithinTheRoom() throws Exception {
        Controller controller = new Controller();
        Map<String, String> valueOfJob = new ConcurrentHashMap<>();
        for (int i = 0; i < 20; i++) {
            String value = "q" + (i % 4);
            FakeJob job = JobPollerTest.job(value);
            endpoint.addJob(job);
            valueOfJob.put(job.jobId(), value);
        }
        List<TestSubscriber> subscribers = new ArrayList<>();
        for (int q = 0; q < 4; q++) {
            subscribers.add(new TestSubscriber(key("q" + q), 2));
            subscribers.add(new TestSubscriber(key("q" + q), 1));
        }

        int cycles = 0;
        while (subscribers.stream().mapToInt(s -> s.accepted.size()).sum() < 20 && cycles < 10) {
            controller.runOnce(subscribers, 3);
            subscribers.forEach(TestSubscriber::finishAll);
            cycles++;
        }

        assertEquals(2, cycles, "room 3 per value: 5 jobs per value take two cycles");
        Map<String, Integer> handed = new ConcurrentHashMap<>();
        for (TestSubscriber subscriber : subscribers) {
            assertFalse(subscriber.overfilled.get(), "room respected");
            for (ReceivedJob job : subscriber.accepted) {
                handed.merge(job.jobId(), 1, Integer::sum);
                assertEquals(subscriber.key.query().value(), job.configuration().get("ProjectName"));
                assertEquals(valueOfJob.get(job.jobId()), job.configuration().get("ProjectName"));
                assertFalse(job.configuration().containsKey("ApiToken"));
            }
        }
        assertEquals(valueOfJob.keySet(), handed.keySet());
        assertTrue(handed.values().stream().allMatch(n -> n == 1), handed.toString());
        assertEquals(20, endpoint.jobIds("InProgress").size());
        assertEquals(8, endpoint.requests("PollForJobs").size(), "one poll per value per cycle");
        assertEquals(1, endpoint.requests("ListActionTypes").size(), "one listing for the account");
    }

    @Test
    void twoControllersNeverBothRunAJobTheNonceDecides() throws Exception {
        endpoint.setDispatchTimeout(Duration.ofMillis(300));
        FakeJob job = JobPollerTest.job("app");
        endpoint.addJob(job);
        Controller first = new Controller();
        Controller second = new Controller();
        TestSubscriber late = new TestSubscriber(key("app"), 2);
        TestSubscriber quick = new TestSubscriber(key("app"), 2);
        // The first controller's poll is answered; its question about secrets then takes 2 s, so the job's dispatch
        // times out before it acknowledges, and the second controller gets the job with a new nonce.
        endpoint.enqueue(new Delay(0), new Delay(2000));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread slow = new Thread(() -> {
            try {
                first.runOnce(List.of(late), 1);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        slow.start();
        while (!"Dispatched".equals(endpoint.jobStatus(job.jobId()))) {
            Thread.sleep(5);
        }
        String firstNonce = endpoint.nonce(job.jobId());
        Thread.sleep(400);

        second.runOnce(List.of(quick), 1);
        slow.join(10_000);

        assertNull(failure.get());
        assertEquals(List.of(job.jobId()), quick.jobIds());
        assertEquals(List.of(), late.jobIds());
        assertTrue(!firstNonce.equals(endpoint.nonce(job.jobId())), "redispatched with a new nonce");
        PollOutcome lateOutcome = late.outcomes.get(0);
        assertEquals(List.of(new DroppedJob(job.jobId(), "another worker has it: CodePipeline handed it out again "
                + "and refused this worker's nonce")), lateOutcome.dropped());
        assertEquals(List.of("Dropped job " + job.jobId() + " of Build/Custom/Jenkins/1 ProjectName=app in us-east-1: "
                + "another worker has it: CodePipeline handed it out again and refused this worker's nonce"),
                first.log.infos);
        assertEquals(List.of(), first.log.warnings, "dropped quietly");
        assertEquals("InProgress", endpoint.jobStatus(job.jobId()));
    }

    @Test
    void twoControllersRacingOverManyJobsRunEachExactlyOnce() throws Exception {
        endpoint.setDispatchTimeout(Duration.ofMillis(200));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            FakeJob job = JobPollerTest.job("app");
            endpoint.addJob(job);
            ids.add(job.jobId());
        }
        Controller a = new Controller();
        Controller b = new Controller();
        TestSubscriber onA = new TestSubscriber(key("app"), 10);
        TestSubscriber onB = new TestSubscriber(key("app"), 10);
        // Slow enough that the last jobs of a batch of 10 time out before they are acknowledged, and are handed out
        // again to the other controller; the first job of each batch always makes it.
        onA.acceptMillis = 30;
        onB.acceptMillis = 30;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (Controller controller : List.of(a, b)) {
            TestSubscriber subscriber = controller == a ? onA : onB;
            Thread thread = new Thread(() -> {
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (!done.get() && System.nanoTime() < deadline) {
                        controller.runOnce(List.of(subscriber), 1);
                        subscriber.finishAll();
                        if (onA.accepted.size() + onB.accepted.size() >= 20) {
                            done.set(true);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertNull(failure.get());
        List<String> all = new ArrayList<>(onA.jobIds());
        all.addAll(onB.jobIds());
        assertEquals(ids, new HashSet<>(all));
        assertEquals(20, all.size(), "no job ran twice: " + all);
        assertEquals(20, endpoint.jobIds("InProgress").size());
        long dropped = a.log.infos.size() + b.log.infos.size() - 20;
        assertTrue(dropped > 0, "the race happened: some jobs were refused to one controller");
    }

    @Test
    void throttledAndFailingCallsAreRetriedWithoutHandingAJobOutTwice() throws Exception {
        Controller controller = new Controller();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FakeJob job = JobPollerTest.job("app");
            endpoint.addJob(job);
            ids.add(job.jobId());
        }
        TestSubscriber subscriber = new TestSubscriber(key("app"), 3);
        endpoint.enqueue(FakeCodePipeline.throttle(), new FakeCodePipeline.Error(503, "ServiceUnavailableException",
                "unavailable"), new Delay(0), // PollForJobs: third attempt answered
                new Delay(0), // ListActionTypes
                FakeCodePipeline.throttle(), new FakeCodePipeline.LoseResponse(), new Delay(0), // first ack
                FakeCodePipeline.internalError(), new Delay(0), // second ack
                new FakeCodePipeline.Drop()); // third ack: the request never arrives, then the retry

        controller.runOnce(List.of(subscriber), 1);

        assertEquals(ids, subscriber.jobIds());
        assertEquals(3, endpoint.requests("PollForJobs").size());
        assertEquals(7, endpoint.requests("AcknowledgeJob").size());
        assertEquals(List.of(), subscriber.outcomes.get(0).dropped());
        assertEquals(List.of(), controller.log.warnings);
    }

    @Test
    void aFailureIsLoggedWhenItStartsOrChangesAndARecoveryOnce() throws Exception {
        Controller controller = new Controller();
        TestSubscriber subscriber = new TestSubscriber(key("app"), 1);
        FakeCodePipeline.Error denied = new FakeCodePipeline.Error(400, "AccessDeniedException", "not authorized");
        endpoint.enqueue(denied, denied, denied, new FakeCodePipeline.Error(400, "UnrecognizedClientException",
                "The security token included in the request is invalid."));
        Instant start = controller.clock.instant();

        for (int i = 0; i < 6; i++) {
            controller.runOnce(List.of(subscriber), 1);
            controller.clock.advance(Duration.ofSeconds(10));
            if (i == 2) {
                PollHealth health = controller.cycle.health().get(key("app"));
                assertEquals(3, health.consecutiveFailures());
                assertEquals(start, health.failingSince());
                assertTrue(health.failing());
            }
        }

        assertEquals(2, controller.log.warnings.size(), controller.log.warnings.toString());
        assertTrue(controller.log.warnings.get(0).startsWith("Polling for jobs of Build/Custom/Jenkins/1 "
                + "ProjectName=app in us-east-1 failed: The AWS credentials 'folder/x::cp-worker' (access key "
                + "AKIDTEST) may not call codepipeline:PollForJobs"), controller.log.warnings.get(0));
        assertTrue(controller.log.warnings.get(1).contains("AWS does not know the access key id AKIDTEST"));
        assertEquals(List.of("Polling for jobs of Build/Custom/Jenkins/1 ProjectName=app in us-east-1 works again, "
                + "after 4 failed poll(s) since " + start + "."), controller.log.infos);
        PollHealth health = controller.cycle.health().get(key("app"));
        assertFalse(health.failing());
        assertEquals(0, health.consecutiveFailures());
        assertNull(health.failingSince());
        assertEquals(6, subscriber.outcomes.size());
        assertEquals(4, subscriber.healths.get(3).consecutiveFailures());
    }

    @Test
    void credentialsThatCannotBeFoundFailTheirKeyWithTheirMessage() throws Exception {
        Controller controller = new Controller();
        TestSubscriber broken = new TestSubscriber(key("app"), 1);
        broken.credentialsFailure = new IllegalStateException(
                "Credentials 'cp-worker' were not found in folder x: add them, or choose other credentials");
        TestSubscriber sharing = new TestSubscriber(key("app"), 1);
        TestSubscriber other = new TestSubscriber(key("other"), 1);

        controller.runOnce(List.of(broken, sharing, other), 2);
        controller.runOnce(List.of(broken, sharing, other), 2);

        PollOutcome outcome = broken.outcomes.get(0);
        assertTrue(outcome.failed());
        assertEquals("CredentialsUnavailable", outcome.errorCode());
        assertEquals("Credentials 'cp-worker' were not found in folder x: add them, or choose other credentials",
                outcome.errorMessage());
        assertSame(outcome, sharing.outcomes.get(0));
        assertFalse(other.outcomes.get(0).failed());
        assertEquals(2, endpoint.requests("PollForJobs").size(), "only the key with credentials polled");
        assertEquals(1, controller.log.warnings.size(), controller.log.warnings.toString());
    }

    @Test
    void keysArePolledInParallelUpToTheLimit() throws Exception {
        Controller controller = new Controller();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<TestSubscriber> subscribers = new ArrayList<>();
        for (int q = 0; q < 6; q++) {
            subscribers.add(new TestSubscriber(key("q" + q), 1) {
                @Override
                public AwsCredentialsProvider credentials() throws Exception {
                    // Each key's poll holds its task a while: how many run at once shows the parallelism.
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.sleep(150);
                    running.decrementAndGet();
                    return KEYS;
                }
            });
        }

        controller.runOnce(subscribers, 3);

        assertTrue(subscribers.stream().allMatch(s -> s.outcomes.size() == 1), "every key polled before returning");
        assertEquals(3, most.get(), "the executor has 4 threads, parallelism 3");
        assertEquals(6, endpoint.requests("PollForJobs").size());
    }

    @Test
    void aSecretFlagsProblemIsLoggedOncePerChange() throws Exception {
        Controller controller = new Controller();
        TestSubscriber subscriber = new TestSubscriber(key("app"), 5);
        endpoint.addJob(JobPollerTest.job("app"));
        endpoint.enqueue(new Delay(0), new FakeCodePipeline.Error(400, "AccessDeniedException", "not authorized"));
        controller.runOnce(List.of(subscriber), 1);
        endpoint.addJob(JobPollerTest.job("app"));
        controller.runOnce(List.of(subscriber), 1); // the failed listing is kept a minute: the same problem

        assertEquals(2, subscriber.accepted.size());
        assertTrue(subscriber.accepted.stream().noneMatch(ReceivedJob::configurationKnown));
        assertEquals(1, controller.log.warnings.size(), controller.log.warnings.toString());
        assertTrue(controller.log.warnings.get(0).startsWith("Could not read which configuration properties"));

        controller.clock.advance(Duration.ofMinutes(2));
        endpoint.addJob(JobPollerTest.job("app"));
        controller.runOnce(List.of(subscriber), 1);
        assertTrue(subscriber.accepted.get(2).configurationKnown());
        assertEquals(1, controller.log.warnings.size());
    }
    /** Records, in one list shared by the subscribers, what each was told and in which order. */
    static class OrderSubscriber extends TestSubscriber {
        final String name;
        final List<String> events;

        OrderSubscriber(String name, PollKey key, int max, List<String> events) {
            super(key, max);
            this.name = name;
            this.events = events;
        }

        @Override
        public void beforeAccept(ReceivedJob job) {
            events.add(name + " before " + job.jobId());
        }

        @Override
        public void accept(ReceivedJob job) {
            events.add(name + " accept " + job.jobId());
            super.accept(job);
        }

        @Override
        public void notAccepted(ReceivedJob job, String reason) {
            events.add(name + " not accepted " + job.jobId() + ": " + reason);
        }
    }

    @Test
    void theTakerIsChosenBeforeTheAcknowledgementAndARefusedJobGivesItsRoomBack() throws Exception {
        Controller controller = new Controller();
        FakeJob refused = JobPollerTest.job("app");
        FakeJob first = JobPollerTest.job("app");
        FakeJob second = JobPollerTest.job("app");
        endpoint.addJob(refused).addJob(first).addJob(second);
        // PollForJobs and ListActionTypes answer; the first acknowledgement is refused.
        endpoint.enqueue(new Delay(0), new Delay(0), new FakeCodePipeline.Error(400, "InvalidNonceException",
                "The nonce was specified in an invalid format."));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        OrderSubscriber one = new OrderSubscriber("one", key("app"), 1, events);
        OrderSubscriber two = new OrderSubscriber("two", key("app"), 2, events);

        controller.runOnce(List.of(one, two), 1);

        assertEquals(List.of(
                "one before " + refused.jobId(),
                "one not accepted " + refused.jobId() + ": another worker has it: CodePipeline handed it out again "
                        + "and refused this worker's nonce",
                "one before " + first.jobId(),
                "one accept " + first.jobId(),
                "two before " + second.jobId(),
                "two accept " + second.jobId()), events);
        assertFalse(one.overfilled.get());
        assertFalse(two.overfilled.get());
    }

    @Test
    void aJobItsTakerCannotRecordIsNotAcknowledged() throws Exception {
        Controller controller = new Controller();
        FakeJob unrecorded = JobPollerTest.job("app");
        FakeJob taken = JobPollerTest.job("app");
        endpoint.addJob(unrecorded).addJob(taken);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        OrderSubscriber full = new OrderSubscriber("full", key("app"), 1, events) {
            @Override
            public void beforeAccept(ReceivedJob job) {
                super.beforeAccept(job);
                throw new IllegalStateException("disk full");
            }
        };
        OrderSubscriber other = new OrderSubscriber("other", key("app"), 1, events);

        controller.runOnce(List.of(full, other), 1);

        // Neither job is acknowledged; each time the room goes back to the taker, which is asked again.
        assertEquals(List.of("full before " + unrecorded.jobId(), "full before " + taken.jobId()), events);
        assertEquals(List.of(), endpoint.requests("AcknowledgeJob"));
        assertEquals(2, controller.log.warnings.stream().filter(w -> w.contains("could not be recorded")).count(),
                controller.log.warnings.toString());
    }
}
