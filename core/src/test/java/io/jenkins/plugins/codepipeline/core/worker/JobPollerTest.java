package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.Delay;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** JobPoller against the in-process endpoint: what is asked, what is kept, what is retried and what is dropped. */
class JobPollerTest {
    static final AwsCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secretTestKey"));
    static final BackoffStrategy FAST = BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(5));
    static final ActionTypeId TYPE = new ActionTypeId("Build", "Jenkins", "1");

    private FakeCodePipeline endpoint;
    private CodePipelineClientCache clients;
    private JobPoller poller;
    private PollKey key;
    private final List<ReceivedJob> handed = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
        poller = new JobPoller(clients, new ActionTypeCatalog(clients, Clock.systemUTC()), FAST);
        key = key(endpoint, JobQuery.all());
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false, "ApiToken", true));
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        endpoint.close();
    }

    static PollKey key(FakeCodePipeline endpoint, JobQuery query) {
        return new PollKey(ConnectionSettings.builder().region("us-east-1").endpoint(endpoint.endpoint()).build(),
                "folder/x::cp-worker", TYPE, query);
    }

    static FakeJob job(String projectName) {
        return FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", projectName, "ApiToken", "s3cr3t-value"));
    }

    private PollOutcome poll(int room) throws InterruptedException {
        return poller.poll(key, KEYS, room, handed::add);
    }

    @Test
    void acknowledgesEachJobAndKeepsNoSecret() throws Exception {
        FakeJob job = job("app").withArtifacts(List.of("Source"), List.of("Built"));
        endpoint.addJob(job);
        String nonce = endpoint.nonce(job.jobId());

        PollOutcome outcome = poll(2);

        assertFalse(outcome.failed());
        assertEquals(1, outcome.acknowledged().size());
        assertEquals(outcome.acknowledged(), handed);
        ReceivedJob received = handed.get(0);
        assertEquals(job.jobId(), received.jobId());
        assertEquals(Map.of("ProjectName", "app"), received.configuration());
        assertTrue(received.configurationKnown());
        assertEquals("Source", received.inputArtifacts().get(0).name());
        assertEquals(FakeJob.revision("Source"), received.inputArtifacts().get(0).revision());
        assertEquals("InProgress", endpoint.jobStatus(job.jobId()));

        String poll = endpoint.requests("PollForJobs").get(0).body();
        assertTrue(poll.contains("\"maxBatchSize\":2"), poll);
        assertTrue(poll.contains("\"owner\":\"Custom\""), poll);
        assertFalse(poll.contains("queryParam"), "every job: no queryParam: " + poll);
        String ack = endpoint.requests("AcknowledgeJob").get(0).body();
        assertTrue(ack.contains("\"nonce\":\"" + nonce + "\""), ack);
        assertTrue(endpoint.requests("ListActionTypes").get(0).body().contains("\"actionOwnerFilter\":\"Custom\""));

        String everything = outcome.toString() + JobEnvironment.variables(received);
        for (String secret : List.of("s3cr3t-value", nonce, FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID,
                FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY, FakeCodePipeline.ARTIFACT_SESSION_TOKEN)) {
            assertFalse(everything.contains(secret), secret + " leaked: " + everything);
        }
    }

    @Test
    void asksForTheQueryAndAtMostAHundredJobs() throws Exception {
        key = key(endpoint, new JobQuery(null, "app"));
        poll(250);
        String body = endpoint.requests("PollForJobs").get(0).body();
        assertTrue(body.contains("\"maxBatchSize\":100"), body);
        assertTrue(body.contains("\"queryParam\":{\"ProjectName\":\"app\"}"), body);
        assertEquals(List.of(), endpoint.requests("ListActionTypes"), "no jobs, no question about secrets");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> poll(0)).getMessage()
                .startsWith("maxBatchSize 0 is below 1"));
    }

    @Test
    void theSecretFlagsAreAskedOncePerListingNotOncePerJob() throws Exception {
        for (int i = 0; i < 3; i++) {
            endpoint.addJob(job("app"));
        }
        assertEquals(3, poll(3).acknowledged().size());
        endpoint.addJob(job("app"));
        assertEquals(1, poll(3).acknowledged().size());
        assertEquals(1, endpoint.requests("ListActionTypes").size());
    }

    @Test
    void throttledAndUnavailablePollsAreRetried() throws Exception {
        FakeJob job = job("app");
        endpoint.addJob(job);
        endpoint.enqueue(FakeCodePipeline.throttle(),
                new FakeCodePipeline.Error(503, "ServiceUnavailableException", "Service unavailable"));

        PollOutcome outcome = poll(1);

        assertFalse(outcome.failed(), String.valueOf(outcome.errorMessage()));
        assertEquals(3, endpoint.requests("PollForJobs").size());
        assertEquals(List.of(job.jobId()), handed.stream().map(ReceivedJob::jobId).toList());
    }

    @Test
    void slowAnswersAreGivenUpOnAndRetried() throws Exception {
        key = new PollKey(key.settings().toBuilder().attemptTimeout(Duration.ofMillis(300)).build(),
                key.credentialsKey(), TYPE, JobQuery.all());
        FakeJob job = job("app");
        endpoint.addJob(job);
        // PollForJobs is slow once (the retry, sent while the first waits, gets the job); so is AcknowledgeJob.
        endpoint.enqueue(new Delay(800), new Delay(0), new Delay(0), new Delay(800));

        PollOutcome outcome = poll(1);

        assertEquals(List.of(job.jobId()), handed.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(), outcome.dropped());
        assertEquals("InProgress", endpoint.jobStatus(job.jobId()));
    }

    @Test
    void acknowledgementsAreRetriedAndAJobWhoseAnswerWasLostIsHandedOnOnce() throws Exception {
        FakeJob job = job("app");
        endpoint.addJob(job);
        // PollForJobs and ListActionTypes answer; the acknowledgement is throttled, then carried out unanswered.
        endpoint.enqueue(new Delay(0), new Delay(0), FakeCodePipeline.throttle(),
                new FakeCodePipeline.LoseResponse());

        PollOutcome outcome = poll(1);

        assertEquals(3, endpoint.requests("AcknowledgeJob").size());
        assertEquals(List.of(job.jobId()), handed.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(), outcome.dropped());
        assertEquals("InProgress", endpoint.jobStatus(job.jobId()));
    }

    @Test
    void aJobThatCannotBeAcknowledgedIsDroppedAndComesBackAfterTheDispatchTimeout() throws Exception {
        endpoint.setDispatchTimeout(Duration.ofMillis(500));
        FakeJob job = job("app");
        endpoint.addJob(job);
        endpoint.enqueue(new Delay(0), new Delay(0), FakeCodePipeline.internalError(), FakeCodePipeline.internalError(),
                FakeCodePipeline.internalError());

        PollOutcome first = poll(1);

        assertEquals(List.of(), handed);
        assertEquals(1, first.dropped().size());
        String reason = first.dropped().get(0).reason();
        assertTrue(reason.startsWith("could not be acknowledged after 3 attempt(s): CodePipeline kept failing (HTTP "
                + "500) on AcknowledgeJob"), reason);
        assertTrue(reason.contains("CodePipeline hands it out again after its dispatch timeout"), reason);
        assertNotEquals("InProgress", endpoint.jobStatus(job.jobId()));

        Thread.sleep(600);
        PollOutcome second = poll(1);
        assertEquals(List.of(job.jobId()), second.acknowledged().stream().map(ReceivedJob::jobId).toList());
        assertEquals(1, handed.size());
    }

    @Test
    void invalidNonceAndUnknownJobsAreDroppedQuietly() throws Exception {
        FakeJob taken = job("app");
        FakeJob gone = job("app");
        FakeJob kept = job("app");
        endpoint.addJob(taken).addJob(gone).addJob(kept);
        endpoint.enqueue(new Delay(0), new Delay(0),
                new FakeCodePipeline.Error(400, "InvalidNonceException",
                        "The nonce was specified in an invalid format."),
                new FakeCodePipeline.Error(400, "JobNotFoundException", "The job was not found."));

        PollOutcome outcome = poll(3);

        assertFalse(outcome.failed());
        assertEquals(List.of(kept.jobId()), handed.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(new DroppedJob(taken.jobId(), "another worker has it: CodePipeline handed it out again "
                + "and refused this worker's nonce"), new DroppedJob(gone.jobId(), "CodePipeline no longer knows it")),
                outcome.dropped());
        assertEquals(4, endpoint.requests("AcknowledgeJob").size() + 1, "refusals are not retried");
    }

    @Test
    void aStatusOtherThanInProgressMeansTheJobIsNoLongerOurs() throws Exception {
        FakeJob first = job("app");
        FakeJob second = job("app");
        endpoint.addJob(first).addJob(second);

        PollOutcome outcome = poller.poll(key, KEYS, 2, job -> {
            handed.add(job);
            endpoint.setJobStatus(second.jobId(), "TimedOut");
        });

        assertEquals(List.of(first.jobId()), handed.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(new DroppedJob(second.jobId(),
                "no longer ours: AcknowledgeJob answered status TimedOut, not InProgress")), outcome.dropped());
    }

    @Test
    void withoutTheSecretFlagsJobsAreKeptWithoutConfiguration() throws Exception {
        endpoint.addJob(job("app"));
        endpoint.enqueue(new Delay(0), new FakeCodePipeline.Error(400, "AccessDeniedException",
                "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: codepipeline:ListActionTypes"));

        PollOutcome outcome = poll(1);

        ReceivedJob received = outcome.acknowledged().get(0);
        assertFalse(received.configurationKnown());
        assertEquals(Map.of(), received.configuration());
        String problem = poller.catalog().problem(key).orElseThrow();
        assertTrue(problem.startsWith("Could not read which configuration properties of Build/Custom/Jenkins/1 are "
                + "secret: The AWS credentials 'folder/x::cp-worker' (access key AKIDTEST) may not call "
                + "codepipeline:ListActionTypes (AWS: AccessDeniedException: User: "), problem);
        assertTrue(problem.endsWith("Until then jobs get no CODEPIPELINE_CONFIG_* variables."), problem);
    }

    @Test
    void aTypeTheListingDoesNotShowHasUnknownFlags() throws Exception {
        ActionTypeId other = new ActionTypeId("Test", "Jenkins", "1");
        key = new PollKey(key.settings(), key.credentialsKey(), other, JobQuery.all());
        endpoint.addJob(FakeJob.of("Test", "Jenkins", "1", Map.of("ProjectName", "app")));

        ReceivedJob received = poll(1).acknowledged().get(0);

        assertFalse(received.configurationKnown());
        assertEquals("ListActionTypes in us-east-1 does not list Test/Custom/Jenkins/1, so its secret properties are "
                + "unknown: jobs get no CODEPIPELINE_CONFIG_* variables until they are known.",
                poller.catalog().problem(key).orElseThrow());
    }

    @Test
    void pollFailuresSayWhatToDo() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Error(400, "AccessDeniedException", "not authorized"));
        PollOutcome denied = poll(1);
        assertTrue(denied.failed());
        assertEquals("AccessDeniedException", denied.errorCode());
        assertEquals("The AWS credentials 'folder/x::cp-worker' (access key AKIDTEST) may not call "
                + "codepipeline:PollForJobs (AWS: AccessDeniedException: not authorized). Allow "
                + "codepipeline:PollForJobs, codepipeline:AcknowledgeJob, codepipeline:GetJobDetails, "
                + "codepipeline:ListActionTypes, codepipeline:PutJobSuccessResult and codepipeline:PutJobFailureResult "
                + "in their IAM policy.", denied.errorMessage());

        endpoint.enqueue(new FakeCodePipeline.Error(400, "UnrecognizedClientException",
                "The security token included in the request is invalid."));
        assertTrue(poll(1).errorMessage().startsWith("AWS does not know the access key id AKIDTEST of the AWS "
                + "credentials 'folder/x::cp-worker'"));

        endpoint.enqueue(FakeCodePipeline.throttle(), FakeCodePipeline.throttle(), FakeCodePipeline.throttle());
        PollOutcome throttled = poll(1);
        assertEquals("ThrottlingException", throttled.errorCode());
        assertTrue(throttled.errorMessage().startsWith("CodePipeline kept throttling PollForJobs for "
                + "Build/Custom/Jenkins/1 every job in us-east-1"), throttled.errorMessage());
        assertEquals(List.of(), handed);
    }

    @Test
    void aMissingActionTypeIsNamedWithItsRegionAndHowToCreateIt() throws Exception {
        endpoint.requireKnownActionTypes(true);
        key = new PollKey(key.settings(), key.credentialsKey(), new ActionTypeId("Deploy", "Missing", "2"),
                JobQuery.all());
        PollOutcome outcome = poll(1);
        assertEquals("ActionTypeNotFoundException", outcome.errorCode());
        assertTrue(outcome.errorMessage().startsWith("The action type Deploy/Custom/Missing/2 does not exist in region "
                + "us-east-1 (AWS: ActionTypeNotFoundException: "), outcome.errorMessage());
        assertTrue(outcome.errorMessage().endsWith(": create it (codepipeline-job create-action-type --category Deploy "
                + "--provider Missing --version 2 --region us-east-1 --jenkins-url ...), or correct the category, "
                + "provider, version or region."), outcome.errorMessage());
    }

    @Test
    void aBrokenConnectionIsRetriedAndThenNamed() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Drop(), new FakeCodePipeline.Drop(), new FakeCodePipeline.Drop());
        PollOutcome outcome = poll(1);
        assertTrue(outcome.failed());
        assertEquals(3, endpoint.requests("PollForJobs").size());
        assertTrue(outcome.errorMessage().startsWith("CodePipeline did not answer PollForJobs for "
                + "Build/Custom/Jenkins/1 every job in us-east-1 ("), outcome.errorMessage());
        assertTrue(outcome.errorMessage().endsWith("Check the network, proxy and endpoint (" + endpoint.endpoint()
                + ")."), outcome.errorMessage());
    }

    @Test
    void credentialsThatCannotBeResolvedFailThePollWithoutACall() throws Exception {
        AwsCredentialsProvider broken = () -> {
            throw new IllegalStateException("AssumeRole was denied");
        };
        PollOutcome outcome = poller.poll(key, broken, 1, handed::add);
        assertEquals("IllegalStateException", outcome.errorCode());
        assertEquals("Could not get the AWS credentials 'folder/x::cp-worker' to poll for jobs of "
                + "Build/Custom/Jenkins/1 every job in us-east-1: IllegalStateException: AssumeRole was denied. Check those credentials; "
                + "nothing was polled.", outcome.errorMessage());
        assertEquals(List.of(), endpoint.requests());
    }

    @Test
    void anInterruptEndsTheWaitBetweenRetries() throws Exception {
        JobPoller slow = new JobPoller(clients, new ActionTypeCatalog(clients, Clock.systemUTC()),
                BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(30)));
        endpoint.enqueue(FakeCodePipeline.throttle());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread polling = new Thread(() -> {
            try {
                slow.poll(key, KEYS, 1, handed::add);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long started = System.nanoTime();
        polling.start();
        while (endpoint.requests("PollForJobs").isEmpty()) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        polling.interrupt();
        polling.join(5000);
        assertFalse(polling.isAlive());
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
        assertEquals(1, endpoint.requests("PollForJobs").size());
    }

    @Test
    void aHandlerThatThrowsIsNotedAndTheNextJobStillTaken() throws Exception {
        FakeJob first = job("app");
        FakeJob second = job("app");
        endpoint.addJob(first).addJob(second);
        PollOutcome outcome = poller.poll(key, KEYS, 2, job -> {
            if (job.jobId().equals(first.jobId())) {
                throw new IllegalStateException("disk full");
            }
            handed.add(job);
        });
        assertEquals(List.of(second.jobId()), handed.stream().map(ReceivedJob::jobId).toList());
        assertEquals(List.of(second.jobId()), outcome.acknowledged().stream().map(ReceivedJob::jobId).toList());
        assertEquals(first.jobId(), outcome.dropped().get(0).jobId());
        assertTrue(outcome.dropped().get(0).reason().startsWith("acknowledged, but the worker could not take it "
                + "(IllegalStateException: disk full)"));
        assertNull(outcome.errorMessage());
    }
    /** Records the order of the handler's calls, with the AcknowledgeJob requests the endpoint had seen by then. */
    private class OrderRecorder implements AcknowledgedJobHandler {
        final List<String> events = new ArrayList<>();
        String failBefore;

        @Override
        public void beforeAcknowledge(ReceivedJob job) {
            events.add("before " + job.jobId() + " acks=" + endpoint.requests("AcknowledgeJob").size());
            if (job.jobId().equals(failBefore)) {
                throw new IllegalStateException("disk full");
            }
        }

        @Override
        public void acknowledged(ReceivedJob job) {
            events.add("acknowledged " + job.jobId() + " acks=" + endpoint.requests("AcknowledgeJob").size()
                    + " status=" + endpoint.jobStatus(job.jobId()));
        }

        @Override
        public void notAcknowledged(ReceivedJob job, String reason) {
            events.add("not acknowledged " + job.jobId() + ": " + reason);
        }
    }

    @Test
    void theHandlerIsToldBeforeEachAcknowledgementThenAcknowledgedOrNot() throws Exception {
        FakeJob kept = job("app");
        FakeJob taken = job("app");
        FakeJob unrecorded = job("app");
        FakeJob last = job("app");
        endpoint.addJob(kept).addJob(taken).addJob(unrecorded).addJob(last);
        // PollForJobs and ListActionTypes answer, the first acknowledgement too, the second is refused.
        endpoint.enqueue(new Delay(0), new Delay(0), new Delay(0), new FakeCodePipeline.Error(400,
                "InvalidNonceException", "The nonce was specified in an invalid format."));
        OrderRecorder handler = new OrderRecorder();
        handler.failBefore = unrecorded.jobId();

        PollOutcome outcome = poller.poll(key, KEYS, 4, handler);

        assertEquals(List.of(
                "before " + kept.jobId() + " acks=0",
                "acknowledged " + kept.jobId() + " acks=1 status=InProgress",
                "before " + taken.jobId() + " acks=1",
                "not acknowledged " + taken.jobId() + ": another worker has it: CodePipeline handed it out again "
                        + "and refused this worker's nonce",
                "before " + unrecorded.jobId() + " acks=2",
                "before " + last.jobId() + " acks=2",
                "acknowledged " + last.jobId() + " acks=3 status=InProgress"), handler.events);
        assertEquals(List.of(kept.jobId(), last.jobId()),
                outcome.acknowledged().stream().map(ReceivedJob::jobId).toList());
        assertEquals(3, endpoint.requests("AcknowledgeJob").size(), "a job that could not be recorded is not "
                + "acknowledged");
        assertNotEquals("InProgress", endpoint.jobStatus(unrecorded.jobId()));
        DroppedJob notRecorded = outcome.dropped().stream().filter(d -> d.jobId().equals(unrecorded.jobId()))
                .findFirst().orElseThrow();
        assertTrue(notRecorded.reason().startsWith("not acknowledged: the worker could not record it "
                + "(IllegalStateException: disk full)"), notRecorded.reason());
    }

    @Test
    void aJobWhoseAcknowledgementFailsOrIsNoLongerInProgressIsNotAcknowledged() throws Exception {
        FakeJob failing = job("app");
        FakeJob timedOut = job("app");
        endpoint.addJob(failing).addJob(timedOut);
        endpoint.enqueue(new Delay(0), new Delay(0), FakeCodePipeline.internalError(), FakeCodePipeline.internalError(),
                FakeCodePipeline.internalError());
        OrderRecorder handler = new OrderRecorder() {
            @Override
            public void beforeAcknowledge(ReceivedJob job) {
                super.beforeAcknowledge(job);
                if (job.jobId().equals(timedOut.jobId())) {
                    endpoint.setJobStatus(timedOut.jobId(), "TimedOut");
                }
            }
        };

        PollOutcome outcome = poller.poll(key, KEYS, 2, handler);

        assertEquals(List.of(), outcome.acknowledged());
        assertEquals(4, handler.events.size(), handler.events.toString());
        assertTrue(handler.events.get(1).startsWith("not acknowledged " + failing.jobId()
                + ": could not be acknowledged after 3 attempt(s)"), handler.events.get(1));
        assertEquals("not acknowledged " + timedOut.jobId() + ": no longer ours: AcknowledgeJob answered status "
                + "TimedOut, not InProgress", handler.events.get(3));
    }
}
