package io.jenkins.plugins.codepipeline.core.worker;

import static io.jenkins.plugins.codepipeline.core.worker.JobPollerTest.FAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PollCycle's routing of follow-up jobs (the live link): attach without room, leave another instance's. */
class PollCycleFollowUpTest {
    private static final String OURS = "0123456789abcdef";
    private static final String THEIRS = "fedcba9876543210";

    private FakeCodePipeline endpoint;
    private ExecutorService executor;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private CodePipelineClientCache clients;
    private PollCycle cycle;
    private final PollCycleTest.RecordingLog log = new PollCycleTest.RecordingLog();

    /** A trigger whose builds issued tokens with {@link #OURS}, and that waits for {@code awaited} follow-ups. */
    static class ChainSubscriber extends PollCycleTest.TestSubscriber {
        int awaited;
        final List<ReceivedJob> attached = Collections.synchronizedList(new ArrayList<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        ChainSubscriber(PollKey key, int max) {
            super(key, max);
        }

        @Override
        public FollowUp classify(ReceivedJob job) {
            events.add("classify " + job.jobId());
            return ContinuationTokens.parse(job.continuationToken())
                    .map(t -> t.fingerprint().equals(OURS) ? FollowUp.ATTACH : FollowUp.LEAVE)
                    .orElse(FollowUp.NEW_JOB);
        }

        @Override
        public int awaitedFollowUps() {
            return awaited;
        }

        @Override
        public void beforeAccept(ReceivedJob job) {
            events.add("before " + job.jobId());
        }

        @Override
        public void attach(ReceivedJob job) {
            events.add("attach " + job.jobId());
            attached.add(job);
        }

        @Override
        public void accept(ReceivedJob job) {
            events.add("accept " + job.jobId());
            super.accept(job);
        }
    }

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false, "ApiToken", true));
        executor = Executors.newFixedThreadPool(2);
        clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
        cycle = new PollCycle(new JobPoller(clients, new ActionTypeCatalog(clients, clock), FAST), log, clock);
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        clients.close();
        endpoint.close();
    }

    private PollKey key() {
        return JobPollerTest.key(endpoint, new JobQuery(null, "app"));
    }

    private FakeJob followUp(String fingerprint, String record) {
        return JobPollerTest.job("app").withContinuationToken(ContinuationTokens.issue(fingerprint, record));
    }

    private int batchSize(int poll) {
        String body = endpoint.requests("PollForJobs").get(poll).body();
        int at = body.indexOf("\"maxBatchSize\":") + "\"maxBatchSize\":".length();
        int end = at;
        while (end < body.length() && Character.isDigit(body.charAt(end))) {
            end++;
        }
        return Integer.parseInt(body.substring(at, end));
    }

    @Test
    void aFollowUpOfOursIsTakenWithoutRoomAndAttached() throws Exception {
        FakeJob job = followUp(OURS, "first-job");
        endpoint.addJob(job);
        ChainSubscriber full = new ChainSubscriber(key(), 1);
        full.inFlight.set(1);
        full.awaited = 1;

        cycle.runOnce(List.of(full), executor, 1);

        assertEquals(List.of("classify " + job.jobId(), "before " + job.jobId(), "attach " + job.jobId()),
                full.events);
        assertEquals(List.of(job.jobId()), full.attached.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(), full.accepted, "not accepted as a new job");
        assertEquals("InProgress", endpoint.jobStatus(job.jobId()));
        assertEquals(1, full.inFlight.get(), "no room was used");
        assertEquals(List.of(job.jobId()), full.outcomes.get(0).acknowledged().stream().map(ReceivedJob::jobId)
                .toList());
        assertEquals(List.of(), log.warnings);
        assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("Received follow-up job " + job.jobId())),
                log.infos.toString());
    }

    @Test
    void aNewJobWithoutRoomIsLeftUnacknowledgedWithoutAWarning() throws Exception {
        FakeJob fresh = JobPollerTest.job("app");
        FakeJob ours = followUp(OURS, "first-job");
        endpoint.addJob(fresh).addJob(ours);
        ChainSubscriber full = new ChainSubscriber(key(), 1);
        full.inFlight.set(1);
        full.awaited = 1;

        cycle.runOnce(List.of(full), executor, 1);
        // The batch was 1: the new job came first and was left.
        assertEquals(1, batchSize(0));
        assertEquals(List.of(), endpoint.requests("AcknowledgeJob"));
        assertEquals("Dispatched", endpoint.jobStatus(fresh.jobId()));
        assertEquals(List.of(fresh.jobId()), full.outcomes.get(0).left());
        assertEquals(List.of(), full.outcomes.get(0).dropped());
        assertEquals(List.of("classify " + fresh.jobId()), full.events);
        assertEquals(List.of(), log.warnings);
        assertEquals(1, log.fines.size(), log.fines.toString());
        assertTrue(log.fines.get(0).contains("no free room"), log.fines.get(0));

        cycle.runOnce(List.of(full), executor, 1); // the follow-up comes next
        assertEquals(List.of(ours.jobId()), full.attached.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(), full.accepted);
    }

    @Test
    void aFollowUpOfAnotherInstanceIsNeverAcknowledgedAndLoggedOnce() throws Exception {
        endpoint.setDispatchTimeout(Duration.ofMillis(1));
        FakeJob theirs = followUp(THEIRS, "their-record");
        endpoint.addJob(theirs);
        ChainSubscriber roomy = new ChainSubscriber(key(), 3);

        for (int i = 0; i < 3; i++) {
            Thread.sleep(5); // past the dispatch timeout: handed out again
            cycle.runOnce(List.of(roomy), executor, 1);
        }

        assertEquals(3, endpoint.requests("PollForJobs").size());
        assertEquals(List.of(), endpoint.requests("AcknowledgeJob"));
        assertEquals(List.of(), roomy.accepted);
        assertEquals(List.of(), roomy.attached);
        assertEquals(0, roomy.inFlight.get());
        assertTrue(roomy.outcomes.stream().allMatch(o -> o.left().equals(List.of(theirs.jobId()))),
                roomy.outcomes.toString());
        List<String> lines = log.infos.stream().filter(l -> l.contains(theirs.jobId())).toList();
        assertEquals(1, lines.size(), log.infos.toString());
        assertTrue(lines.get(0).contains("left for the Jenkins instance " + THEIRS + " that issued its token"),
                lines.get(0));
        assertEquals(List.of(), log.warnings);
    }

    @Test
    void theBatchCountsAwaitedFollowUpsAndAKeyWithOnlyThoseIsPolled() throws Exception {
        ChainSubscriber one = new ChainSubscriber(key(), 2);
        one.awaited = 3;
        ChainSubscriber two = new ChainSubscriber(key(), 1);
        two.inFlight.set(1);
        two.awaited = 1;
        cycle.runOnce(List.of(one, two), executor, 1);
        assertEquals(1, endpoint.requests("PollForJobs").size());
        assertEquals(2 + 3 + 1, batchSize(0));

        ChainSubscriber waiting = new ChainSubscriber(key(), 1);
        waiting.inFlight.set(1);
        waiting.awaited = 1;
        cycle.runOnce(List.of(waiting), executor, 1);
        assertEquals(2, endpoint.requests("PollForJobs").size(), "no room, but a follow-up is awaited");
        assertEquals(1, batchSize(1));

        waiting.awaited = 0;
        cycle.runOnce(List.of(waiting), executor, 1);
        assertEquals(2, endpoint.requests("PollForJobs").size(), "no room and nothing awaited: not polled");
    }

    @Test
    void theFollowUpGoesToTheMemberThatClaimsIt() throws Exception {
        FakeJob ours = followUp(OURS, "r");
        FakeJob fresh = JobPollerTest.job("app");
        endpoint.addJob(ours).addJob(fresh);
        ChainSubscriber other = new ChainSubscriber(key(), 1) {
            @Override
            public FollowUp classify(ReceivedJob job) {
                events.add("classify " + job.jobId());
                return FollowUp.NEW_JOB;
            }
        };
        ChainSubscriber owner = new ChainSubscriber(key(), 0);
        owner.awaited = 1;

        cycle.runOnce(List.of(other, owner), executor, 1);

        assertEquals(List.of(ours.jobId()), owner.attached.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(fresh.jobId()), other.jobIds(), "the room of the other member goes to the new job");
        assertEquals(List.of(), other.attached);
        assertEquals(List.of(), owner.accepted);
    }

    @Test
    void aFollowUpWhoseAcknowledgementFailsGivesNoRoomBack() throws Exception {
        FakeJob ours = followUp(OURS, "r");
        FakeJob fresh = JobPollerTest.job("app");
        endpoint.addJob(ours).addJob(fresh);
        endpoint.enqueue(new FakeCodePipeline.Delay(0), new FakeCodePipeline.Delay(0),
                new FakeCodePipeline.Error(400, "InvalidNonceException", "The nonce was specified in an invalid format."));
        ChainSubscriber sub = new ChainSubscriber(key(), 1);
        sub.awaited = 1;

        cycle.runOnce(List.of(sub), executor, 1);

        assertEquals(List.of(), sub.attached);
        assertEquals(List.of(fresh.jobId()), sub.jobIds(), "the room of 1 went to the new job only");
        assertEquals(1, sub.inFlight.get());
    }
}
