package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

class JobResultReporterTest {
    private static final String JOB = "0a1b2c3d-1111-2222-3333-444455556666";
    private static final AwsCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secretTestKey"));

    private FakeCodePipeline endpoint;
    private CodePipelineClientCache clients;
    private JobResultReporter reporter;
    private ConnectionSettings settings;

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
        // Short fixed waits keep the tests fast; the SDK's own strategy still decides what is retried.
        reporter = new JobResultReporter(clients, BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(10)),
                BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(10)));
        settings = ConnectionSettings.builder().region("eu-west-1").endpoint(endpoint.endpoint()).maxAttempts(4)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        endpoint.close();
    }

    @Test
    void successCarriesEveryMemberAndReturnsTheRequestId() throws Exception {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("IMAGE_TAG", "v1.2.3");
        variables.put("COMMIT", "abc123");
        SuccessResult result = SuccessResult.builder().jobId(JOB)
                .currentRevision(CurrentRevision.builder().revision("abc123").changeIdentifier("42")
                        .created(Instant.parse("2026-11-25T10:00:00Z")).revisionSummary("Fix the build").build())
                .executionDetails(ExecutionDetails.builder().summary("Build #7 passed").externalExecutionId("7")
                        .percentComplete(100).build())
                .outputVariables(variables).build();

        ReportOutcome outcome = reporter.report(result, settings, KEYS, ReportListener.NONE);

        assertEquals(ReportOutcome.Status.DELIVERED, outcome.status());
        RecordedRequest request = endpoint.lastRequest();
        assertEquals(request.requestId(), outcome.requestId());
        assertEquals("CodePipeline_20150709.PutJobSuccessResult", request.header("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.1", request.header("Content-Type"));
        assertTrue(request.header("Authorization").contains("/eu-west-1/codepipeline/aws4_request"),
                request.header("Authorization"));
        assertEquals("AKIDTEST", request.accessKeyId());
        String body = request.body();
        assertTrue(body.contains("\"jobId\":\"" + JOB + "\""), body);
        assertTrue(body.contains("\"revision\":\"abc123\""), body);
        assertTrue(body.contains("\"changeIdentifier\":\"42\""), body);
        assertTrue(body.contains("\"created\":1795600800.000"), body);
        assertTrue(body.contains("\"revisionSummary\":\"Fix the build\""), body);
        assertTrue(body.contains("\"summary\":\"Build #7 passed\""), body);
        assertTrue(body.contains("\"externalExecutionId\":\"7\""), body);
        assertTrue(body.contains("\"percentComplete\":100"), body);
        assertTrue(body.contains("\"outputVariables\":{\"IMAGE_TAG\":\"v1.2.3\",\"COMMIT\":\"abc123\"}"), body);
        assertFalse(body.contains("continuationToken"), body);
        assertEquals(1, outcome.attempts().size());
    }

    @Test
    void emptyOutputVariablesAreLeftOutOfTheRequest() throws Exception {
        SuccessResult result = SuccessResult.builder().jobId(JOB).outputVariables(Map.of()).build();
        reporter.report(result, settings, KEYS, ReportListener.NONE);
        String body = endpoint.lastRequest().body();
        assertFalse(body.contains("outputVariables"), body);
        assertFalse(body.contains("executionDetails"), body);
        assertEquals("{\"jobId\":\"" + JOB + "\"}", body);
    }

    @Test
    void failureCarriesTypeMessageAndExternalId() throws Exception {
        FailureResult result = FailureResult.builder().jobId(JOB).type(FailureType.CONFIGURATION_ERROR)
                .message("Tests failed").externalExecutionId("12").build();
        ReportOutcome outcome = reporter.report(result, settings, KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.DELIVERED, outcome.status());
        RecordedRequest request = endpoint.lastRequest();
        assertEquals("CodePipeline_20150709.PutJobFailureResult", request.header("X-Amz-Target"));
        assertEquals("{\"jobId\":\"" + JOB + "\",\"failureDetails\":{\"type\":\"ConfigurationError\","
                + "\"message\":\"Tests failed\",\"externalExecutionId\":\"12\"}}", request.body());
        assertEquals(request.requestId(), outcome.requestId());
    }

    @Test
    void retriesThrottlingAndServerErrorsThenDelivers() throws Exception {
        endpoint.enqueue(FakeCodePipeline.throttle(), FakeCodePipeline.internalError(),
                new FakeCodePipeline.Error(503, "ServiceUnavailable", "Service unavailable"));
        List<Attempt> retried = new ArrayList<>();
        ReportOutcome outcome = reporter.report(success(), settings, KEYS, new ReportListener() {
            @Override
            public void retrying(Attempt failed, int maxAttempts, Duration delay) {
                retried.add(failed);
            }
        });
        assertEquals(ReportOutcome.Status.DELIVERED, outcome.status());
        assertEquals(4, endpoint.requests().size());
        assertEquals(List.of("ThrottlingException", "InternalFailure", "ServiceUnavailable"),
                retried.stream().map(Attempt::errorCode).toList());
        assertEquals(endpoint.lastRequest().requestId(), outcome.requestId());
        assertEquals(4, outcome.attempts().size());
    }

    @Test
    void throttlingOnEveryAttemptIsRefusedWithAMessage() throws Exception {
        for (int i = 0; i < 4; i++) {
            endpoint.enqueue(FakeCodePipeline.throttle());
        }
        ReportOutcome outcome = reporter.report(success(), settings, KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.REFUSED, outcome.status());
        assertEquals("ThrottlingException", outcome.errorCode());
        assertEquals(4, endpoint.requests().size());
        assertTrue(outcome.message().contains("kept throttling") && outcome.message().contains("4 attempts"),
                outcome.message());
        assertEquals(endpoint.lastRequest().requestId(), outcome.requestId());
    }

    @Test
    void nonRetryableErrorsAreNotRetried() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Error(400, "JobNotFoundException", "The job was not found"));
        ReportOutcome outcome = reporter.report(success(), settings, KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.REFUSED, outcome.status());
        assertEquals(1, endpoint.requests().size());
        assertTrue(outcome.message().contains("no job " + JOB + " in region eu-west-1"), outcome.message());
        assertTrue(outcome.message().contains("AKIDTEST"), outcome.message());
        assertFalse(outcome.message().contains("secretTestKey"), outcome.message());
    }

    @Test
    void aDroppedConnectionIsRetriedAndDelivered() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Drop());
        ReportOutcome outcome = reporter.report(success(), settings, KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.DELIVERED, outcome.status());
        assertEquals(2, outcome.attempts().size());
        assertFalse(outcome.attempts().get(0).answered());
    }

    @Test
    void aLostAnswerFollowedByAClosedJobIsDeliveredAnswerLost() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.LoseResponse());
        ReportOutcome outcome = reporter.report(success(), settings, KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.DELIVERED_ANSWER_LOST, outcome.status());
        assertTrue(outcome.delivered());
        assertTrue(endpoint.isClosed(JOB));
        assertEquals(2, endpoint.requests().size());
        assertEquals(endpoint.lastRequest().requestId(), outcome.requestId());
        assertTrue(outcome.message().contains("most likely delivered"), outcome.message());
    }

    @Test
    void aClosedJobWithoutALostAnswerIsRefused() throws Exception {
        reporter.report(success(), settings, KEYS, ReportListener.NONE);
        ReportOutcome second = reporter.report(success(), settings, KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.REFUSED, second.status());
        assertEquals("InvalidJobStateException", second.errorCode());
        assertTrue(second.message().contains("no longer open"), second.message());
    }

    @Test
    void anUnreachableEndpointIsNotDelivered() throws Exception {
        endpoint.close();
        ReportOutcome outcome = reporter.report(success(), settings.toBuilder().maxAttempts(2).build(), KEYS,
                ReportListener.NONE);
        assertEquals(ReportOutcome.Status.NOT_DELIVERED, outcome.status());
        assertNull(outcome.requestId());
        assertEquals(2, outcome.attempts().size());
        assertTrue(outcome.message().contains("did not answer"), outcome.message());
    }

    @Test
    void theTotalTimeoutEndsRetriesEarly() throws Exception {
        for (int i = 0; i < 4; i++) {
            endpoint.enqueue(FakeCodePipeline.internalError());
        }
        JobResultReporter slowBackoff = new JobResultReporter(clients,
                BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(5)), BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(5)));
        long started = System.nanoTime();
        ReportOutcome outcome = slowBackoff.report(success(),
                settings.toBuilder().timeout(Duration.ofSeconds(2)).build(), KEYS, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.REFUSED, outcome.status());
        assertEquals(1, endpoint.requests().size());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4));
    }

    @Test
    void anAttemptNeverOutlastsTheReportsTimeLimit() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Delay(10_000));
        long started = System.nanoTime();
        ReportOutcome outcome = reporter.report(success(),
                settings.toBuilder().timeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(30)).build(),
                KEYS, ReportListener.NONE);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(ReportOutcome.Status.NOT_DELIVERED, outcome.status());
        assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
        assertEquals("ApiCallAttemptTimeoutException", outcome.attempts().get(0).errorCode());
    }

    @Test
    void anInterruptDuringARetryWaitStopsAtOnce() throws Exception {
        endpoint.enqueue(FakeCodePipeline.throttle());
        JobResultReporter slowBackoff = new JobResultReporter(clients,
                BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(30)), BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(30)));
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                slowBackoff.report(success(), settings, KEYS, new ReportListener() {
                    @Override
                    public void retrying(Attempt failed, int maxAttempts, Duration delay) {
                        waiting.countDown();
                    }
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        long interrupted = System.nanoTime();
        worker.interrupt();
        worker.join(5000);
        assertFalse(worker.isAlive());
        assertTrue(System.nanoTime() - interrupted < TimeUnit.SECONDS.toNanos(2));
        ReportAbortedException aborted = (ReportAbortedException) thrown.get();
        assertFalse(aborted.mayHaveBeenDelivered());
        assertTrue(aborted.getMessage().contains("nothing was delivered"), aborted.getMessage());
        assertEquals(1, endpoint.requests().size());
    }

    @Test
    void credentialsAreResolvedOncePerReportAndTravelWithEachRequest() throws Exception {
        AtomicInteger resolutions = new AtomicInteger();
        AwsCredentialsProvider assumeRole = () -> {
            int n = resolutions.incrementAndGet();
            return AwsBasicCredentials.create("ASIASESSION" + n, "sessionSecret" + n);
        };
        endpoint.enqueue(FakeCodePipeline.throttle(), FakeCodePipeline.throttle());
        reporter.report(success(), settings, assumeRole, ReportListener.NONE);
        assertEquals(1, resolutions.get());
        assertEquals(List.of("ASIASESSION1", "ASIASESSION1", "ASIASESSION1"),
                endpoint.requests().stream().map(RecordedRequest::accessKeyId).toList());

        // Same settings, other credentials: same cached client, other signature.
        reporter.report(SuccessResult.builder().jobId("0a1b2c3d-1111-2222-3333-444455556667").build(), settings,
                KEYS, ReportListener.NONE);
        assertEquals("AKIDTEST", endpoint.lastRequest().accessKeyId());
        assertEquals(1, clients.clientsCreated());
    }

    @Test
    void sessionTokensAreSent() throws Exception {
        AwsCredentialsProvider session = StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create("ASIAX", "s", "theToken"));
        reporter.report(success(), settings, session, ReportListener.NONE);
        assertEquals("theToken", endpoint.lastRequest().header("X-Amz-Security-Token"));
    }

    @Test
    void credentialsThatCannotBeResolvedAreNotDelivered() throws Exception {
        AwsCredentialsProvider broken = () -> {
            throw new IllegalStateException("role arn:aws:iam::1:role/x cannot be assumed");
        };
        ReportOutcome outcome = reporter.report(success(), settings, broken, ReportListener.NONE);
        assertEquals(ReportOutcome.Status.NOT_DELIVERED, outcome.status());
        assertTrue(outcome.message().contains("Could not get AWS credentials"), outcome.message());
        assertTrue(outcome.message().contains("cannot be assumed"), outcome.message());
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void anInvalidResultIsRefusedBeforeAnythingIsSent() {
        SuccessResult invalid = SuccessResult.builder().jobId("NOT-A-JOB").build();
        assertThrows(InvalidJobResultException.class,
                () -> reporter.report(invalid, settings, KEYS, ReportListener.NONE));
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void anUnknownButWellFormedRegionIsUsedWithAWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        ConnectionSettings future = settings.toBuilder().region("xx-future-9").build();
        ReportOutcome outcome = reporter.report(success(), future, KEYS, new ReportListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        });
        assertEquals(ReportOutcome.Status.DELIVERED, outcome.status());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("xx-future-9"), warnings.get(0));
        assertTrue(endpoint.lastRequest().header("Authorization").contains("/xx-future-9/codepipeline/"));
    }

    private static SuccessResult success() {
        return SuccessResult.builder().jobId(JOB).build();
    }

}
