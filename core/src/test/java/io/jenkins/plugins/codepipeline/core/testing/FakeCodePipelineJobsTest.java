package io.jenkins.plugins.codepipeline.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.ActionCategory;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationProperty;
import software.amazon.awssdk.services.codepipeline.model.ActionOwner;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeId;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.CodePipelineException;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeResponse;
import software.amazon.awssdk.services.codepipeline.model.FailureType;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;
import software.amazon.awssdk.services.codepipeline.model.InvalidNonceException;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobData;
import software.amazon.awssdk.services.codepipeline.model.JobDetails;
import software.amazon.awssdk.services.codepipeline.model.JobNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.ValidationException;

/** Drives the job-worker side of {@link FakeCodePipeline} through the real SDK client. */
class FakeCodePipelineJobsTest {
    private static final String EU = "eu-west-1";
    private static final String US = "us-east-1";
    private static final ActionTypeId JENKINS_1 = ActionTypeId.builder().category(ActionCategory.BUILD)
            .owner(ActionOwner.CUSTOM).provider("Jenkins").version("1").build();

    private FakeCodePipeline endpoint;
    private final List<CodePipelineClient> clients = new ArrayList<>();
    private CodePipelineClient eu;
    private CodePipelineClient us;

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        eu = client(EU);
        us = client(US);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(CodePipelineClient::close);
        endpoint.close();
    }

    private CodePipelineClient client(String region) {
        BackoffStrategy fast = BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(5));
        CodePipelineClient client = CodePipelineClient.builder().region(Region.of(region))
                .endpointOverride(endpoint.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(fast).throttlingBackoffStrategy(fast).maxAttempts(3)
                        .circuitBreakerEnabled(false).build()))
                .build();
        clients.add(client);
        return client;
    }

    private static FakeJob job(String version, String project) {
        return FakeJob.of("Build", "Jenkins", version, Map.of("ProjectName", project)).withRegion(EU);
    }

    private static List<Job> poll(CodePipelineClient client, ActionTypeId type, Map<String, String> query,
            Integer max) {
        return client.pollForJobs(r -> r.actionTypeId(type).queryParam(query).maxBatchSize(max)).jobs();
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    @Test
    void pollMatchesTheActionTypeAndTheQueryAndMarksTheJobsDispatched() {
        FakeJob app = job("1", "app");
        FakeJob other = job("1", "other");
        FakeJob version2 = job("2", "app");
        FakeJob test = FakeJob.of("Test", "Jenkins", "1", Map.of("ProjectName", "app")).withRegion(EU);
        FakeJob provider = FakeJob.of("Build", "Jenkinz", "1", Map.of("ProjectName", "app")).withRegion(EU);
        for (FakeJob j : List.of(version2, test, provider, other, app)) {
            endpoint.addJob(j);
        }

        assertEquals(List.of(app.jobId()), ids(poll(eu, JENKINS_1, Map.of("ProjectName", "app"), 10)));
        assertEquals("Dispatched", endpoint.jobStatus(app.jobId()));
        assertEquals("Created", endpoint.jobStatus(other.jobId()));
        assertEquals(List.of(), poll(eu, JENKINS_1, Map.of("ProjectName", "app"), 10), "already dispatched");
        assertEquals(List.of(), poll(eu, JENKINS_1, Map.of("ProjectName", "nope"), 10));
        assertEquals(List.of(), poll(eu, JENKINS_1, Map.of("Branch", "app"), 10), "a property the jobs lack");
        // no query: every job of the type that is still Created
        assertEquals(List.of(other.jobId()), ids(poll(eu, JENKINS_1, null, 10)));
        assertEquals(Set.of(app.jobId(), other.jobId()), Set.copyOf(endpoint.jobIds("Dispatched")));
        assertEquals(Set.of(version2.jobId(), test.jobId(), provider.jobId()), Set.copyOf(endpoint.jobIds("Created")));

        RecordedRequest request = endpoint.requests("PollForJobs").get(0);
        assertTrue(request.body().contains("\"queryParam\":{\"ProjectName\":\"app\"}"), request.body());
        assertEquals("ok", request.verdict());
    }

    @Test
    void pollReturnsAtMostMaxBatchSizeJobsOneByDefaultInTheOrderTheyWereAdded() {
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakeJob j = job("1", "app");
            endpoint.addJob(j);
            added.add(j.jobId());
        }
        assertEquals(added.subList(0, 1), ids(poll(eu, JENKINS_1, null, null)));
        assertFalse(endpoint.lastRequest().body().contains("maxBatchSize"), endpoint.lastRequest().body());
        assertEquals(added.subList(1, 3), ids(poll(eu, JENKINS_1, null, 2)));
        assertEquals(added.subList(3, 4), ids(poll(eu, JENKINS_1, null, 100)));
        assertThrows(ValidationException.class, () -> poll(eu, JENKINS_1, null, 0));
        assertThrows(ValidationException.class,
                () -> poll(eu, JENKINS_1, Map.of("ProjectName", "app", "Other", "x"), 1), "at most one query entry");
    }

    @Test
    void thePolledJobCarriesItsWholeData() {
        FakeJob fake = job("1", "app").withArtifacts(List.of("SourceOutput"), List.of("BuildOutput", "Reports"))
                .withId("0a1b2c3d-1111-2222-3333-444455556666");
        endpoint.addJob(fake);

        Job job = poll(eu, JENKINS_1, Map.of("ProjectName", "app"), 1).get(0);
        assertEquals(fake.jobId(), job.id());
        assertEquals(endpoint.nonce(fake.jobId()), job.nonce());
        assertNotNull(job.nonce());
        assertEquals("123456789012", job.accountId());
        JobData data = job.data();
        assertEquals(JENKINS_1, data.actionTypeId());
        assertEquals(Map.of("ProjectName", "app"), data.actionConfiguration().configuration());
        assertEquals("demo", data.pipelineContext().pipelineName());
        assertEquals("Build", data.pipelineContext().stage().name());
        assertEquals("Jenkins", data.pipelineContext().action().name());
        assertNotNull(data.pipelineContext().action().actionExecutionId());
        assertNotNull(data.pipelineContext().pipelineExecutionId());
        assertEquals("arn:aws:codepipeline:eu-west-1:123456789012:demo", data.pipelineContext().pipelineArn());
        assertEquals(List.of("SourceOutput"), data.inputArtifacts().stream().map(Artifact::name).toList());
        Artifact input = data.inputArtifacts().get(0);
        assertEquals(FakeJob.revision("SourceOutput"), input.revision());
        assertEquals(40, input.revision().length());
        assertEquals("S3", input.location().typeAsString());
        assertEquals("codepipeline-eu-west-1-fake-artifacts", input.location().s3Location().bucketName());
        assertTrue(input.location().s3Location().objectKey().startsWith("demo/SourceOutput/"),
                input.location().s3Location().objectKey());
        assertEquals(List.of("BuildOutput", "Reports"), data.outputArtifacts().stream().map(Artifact::name).toList());
        assertNull(data.outputArtifacts().get(0).revision());
        assertEquals(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID, data.artifactCredentials().accessKeyId());
        assertEquals("ASIAFAKEARTIFACT", data.artifactCredentials().accessKeyId());
        assertEquals("fakeArtifactSecret", data.artifactCredentials().secretAccessKey());
        assertEquals("fakeArtifactSessionToken", data.artifactCredentials().sessionToken());
        assertNull(data.continuationToken());

        JobDetails details = eu.getJobDetails(r -> r.jobId(fake.jobId())).jobDetails();
        assertEquals(fake.jobId(), details.id());
        assertEquals(data, details.data());
        assertEquals("123456789012", details.accountId());
        assertTrue(endpoint.jobData(fake.jobId()).contains(data.pipelineContext().pipelineExecutionId()));
    }

    @Test
    void aJobIsSeenOnlyInItsRegion() {
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);

        assertEquals(List.of(), poll(us, JENKINS_1, null, 10));
        assertEquals(US, endpoint.lastRequest().region());
        assertEquals("Created", endpoint.jobStatus(fake.jobId()));
        assertThrows(JobNotFoundException.class, () -> us.getJobDetails(r -> r.jobId(fake.jobId())));
        assertThrows(JobNotFoundException.class,
                () -> us.acknowledgeJob(r -> r.jobId(fake.jobId()).nonce(endpoint.nonce(fake.jobId()))));
        assertThrows(JobNotFoundException.class, () -> us.putJobSuccessResult(r -> r.jobId(fake.jobId())));
        assertEquals("Created", endpoint.jobStatus(fake.jobId()));
        assertFalse(endpoint.isClosed(fake.jobId()));

        Job job = poll(eu, JENKINS_1, null, 10).get(0);
        assertEquals(EU, endpoint.lastRequest().region());
        assertEquals(JobStatus.IN_PROGRESS, eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())).status());
        eu.putJobSuccessResult(r -> r.jobId(job.id()));
        assertTrue(endpoint.isClosed(job.id()));
    }

    @Test
    void acknowledgeChecksTheNonceAndResultsCloseTheJobOnce() {
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);
        Job job = poll(eu, JENKINS_1, null, 1).get(0);

        InvalidNonceException wrong = assertThrows(InvalidNonceException.class,
                () -> eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce() + "1")));
        assertEquals("InvalidNonceException", wrong.awsErrorDetails().errorCode());
        assertEquals(400, wrong.statusCode());
        assertEquals("Dispatched", endpoint.jobStatus(job.id()));

        assertEquals(JobStatus.IN_PROGRESS, eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())).status());
        assertEquals("InProgress", endpoint.jobStatus(job.id()));
        assertEquals(JobStatus.IN_PROGRESS, eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())).status(),
                "a second acknowledgement answers the status");

        eu.putJobFailureResult(r -> r.jobId(job.id())
                .failureDetails(f -> f.type(FailureType.JOB_FAILED).message("Build #3 failed")));
        assertEquals("Failed", endpoint.jobStatus(job.id()));
        assertTrue(endpoint.isClosed(job.id()));
        assertNull(endpoint.followUpJobId(job.id()));
        assertThrows(InvalidJobStateException.class, () -> eu.putJobSuccessResult(r -> r.jobId(job.id())));
        assertEquals(JobStatus.FAILED, eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce())).status());
        assertThrows(JobNotFoundException.class,
                () -> eu.acknowledgeJob(r -> r.jobId("0a1b2c3d-0000-0000-0000-000000000000").nonce("1")));
    }

    @Test
    void aTimedOutJobRefusesResults() {
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);
        Job job = poll(eu, JENKINS_1, null, 1).get(0);
        eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
        endpoint.setJobStatus(job.id(), "TimedOut");
        assertThrows(InvalidJobStateException.class, () -> eu.putJobSuccessResult(r -> r.jobId(job.id())));
        assertEquals("TimedOut", endpoint.jobStatus(job.id()));
        assertFalse(endpoint.isClosed(job.id()));
        assertThrows(IllegalArgumentException.class, () -> endpoint.setJobStatus(job.id(), "Done"));
    }

    @Test
    void resultsForAJobNeverAddedAreAcceptedOnce() {
        String id = "0a1b2c3d-1111-2222-3333-444455556666";
        assertNull(endpoint.jobStatus(id));
        eu.putJobSuccessResult(r -> r.jobId(id));
        assertTrue(endpoint.isClosed(id));
        assertEquals("Succeeded", endpoint.jobStatus(id));
        assertThrows(InvalidJobStateException.class, () -> us.putJobFailureResult(r -> r.jobId(id)
                .failureDetails(f -> f.type(FailureType.JOB_FAILED).message("late"))));
        assertThrows(JobNotFoundException.class, () -> eu.getJobDetails(r -> r.jobId(id)));
    }

    @Test
    void aJobNotAcknowledgedInTimeIsHandedOutAgainWithANewNonce() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        endpoint.setClock(clock);
        endpoint.setDispatchTimeout(Duration.ofSeconds(30));
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);

        Job first = poll(eu, JENKINS_1, null, 1).get(0);
        clock.advance(Duration.ofSeconds(29));
        assertEquals("Dispatched", endpoint.jobStatus(fake.jobId()));
        assertEquals(first.nonce(), endpoint.nonce(fake.jobId()));
        assertEquals(List.of(), poll(eu, JENKINS_1, null, 1), "still dispatched to the first worker");

        clock.advance(Duration.ofSeconds(1));
        assertEquals("Created", endpoint.jobStatus(fake.jobId()));
        assertNotEquals(first.nonce(), endpoint.nonce(fake.jobId()));
        Job second = poll(eu, JENKINS_1, null, 1).get(0);
        assertEquals(fake.jobId(), second.id());
        assertEquals(endpoint.nonce(fake.jobId()), second.nonce());
        assertNotEquals(first.nonce(), second.nonce());

        assertThrows(InvalidNonceException.class,
                () -> eu.acknowledgeJob(r -> r.jobId(first.id()).nonce(first.nonce())), "the first worker is late");
        assertEquals(JobStatus.IN_PROGRESS,
                eu.acknowledgeJob(r -> r.jobId(second.id()).nonce(second.nonce())).status());
        clock.advance(Duration.ofMinutes(5));
        assertEquals("InProgress", endpoint.jobStatus(fake.jobId()), "an acknowledged job is not handed out again");
        assertEquals(second.nonce(), endpoint.nonce(fake.jobId()));
    }

    @Test
    void theDispatchTimeoutWorksOnTheRealClockAndZeroMeansNever() throws Exception {
        endpoint.setDispatchTimeout(Duration.ofMillis(50));
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);
        Job first = poll(eu, JENKINS_1, null, 1).get(0);
        Thread.sleep(120);
        Job second = poll(eu, JENKINS_1, null, 1).get(0);
        assertNotEquals(first.nonce(), second.nonce());

        endpoint.setDispatchTimeout(Duration.ZERO);
        Thread.sleep(120);
        assertEquals("Dispatched", endpoint.jobStatus(fake.jobId()));
        assertEquals(second.nonce(), endpoint.nonce(fake.jobId()));
    }

    @Test
    void aSuccessWithAContinuationTokenQueuesAFollowUpJob() {
        FakeJob fake = job("1", "app").withArtifacts(List.of("SourceOutput"), List.of("BuildOutput"));
        endpoint.addJob(fake);
        Job job = poll(eu, JENKINS_1, Map.of("ProjectName", "app"), 1).get(0);
        eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));

        assertThrows(ValidationException.class, () -> eu.putJobSuccessResult(r -> r.jobId(job.id())
                .continuationToken("step-2").outputVariables(Map.of("A", "b"))), "variables only on the last job");
        assertEquals("InProgress", endpoint.jobStatus(job.id()));
        assertNull(endpoint.followUpJobId(job.id()));

        eu.putJobSuccessResult(r -> r.jobId(job.id()).continuationToken("step-2")
                .executionDetails(d -> d.summary("half way").percentComplete(50)));
        assertEquals("Succeeded", endpoint.jobStatus(job.id()));
        String followUpId = endpoint.followUpJobId(job.id());
        assertNotNull(followUpId);
        assertNotEquals(job.id(), followUpId);
        assertEquals("Created", endpoint.jobStatus(followUpId));
        assertNull(endpoint.followUpJobId(followUpId));

        Job followUp = poll(eu, JENKINS_1, Map.of("ProjectName", "app"), 5).get(0);
        assertEquals(followUpId, followUp.id());
        assertEquals("step-2", followUp.data().continuationToken());
        assertNotEquals(job.nonce(), followUp.nonce());
        assertEquals(job.data().actionTypeId(), followUp.data().actionTypeId());
        assertEquals(job.data().actionConfiguration(), followUp.data().actionConfiguration());
        assertEquals(job.data().pipelineContext(), followUp.data().pipelineContext());
        assertEquals(job.data().inputArtifacts(), followUp.data().inputArtifacts());
        assertEquals(job.accountId(), followUp.accountId());

        eu.acknowledgeJob(r -> r.jobId(followUpId).nonce(followUp.nonce()));
        eu.putJobSuccessResult(r -> r.jobId(followUpId).outputVariables(Map.of("A", "b")));
        assertEquals("Succeeded", endpoint.jobStatus(followUpId));
        assertNull(endpoint.followUpJobId(followUpId));
        assertEquals(List.of(), poll(eu, JENKINS_1, null, 5));
    }

    @Test
    void listActionTypesShowsTheSecretFlagsOfTheRegionsTypes() {
        Map<String, Boolean> properties = new LinkedHashMap<>();
        properties.put("ProjectName", false);
        properties.put("ApiToken", true);
        properties.put("Branch", false);
        endpoint.addActionType(EU, "Build", "Jenkins", "1", properties);
        endpoint.addActionType(US, "Test", "Other", "2", Map.of());

        List<ActionType> types = eu.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes();
        assertEquals(1, types.size());
        ActionType type = types.get(0);
        assertEquals(JENKINS_1, type.id());
        Map<String, ActionConfigurationProperty> byName = type.actionConfigurationProperties().stream()
                .collect(Collectors.toMap(ActionConfigurationProperty::name, Function.identity()));
        assertEquals(List.of("ProjectName", "ApiToken", "Branch"),
                type.actionConfigurationProperties().stream().map(ActionConfigurationProperty::name).toList());
        assertEquals(Boolean.TRUE, byName.get("ApiToken").secret());
        assertEquals(Boolean.FALSE, byName.get("ApiToken").queryable());
        assertEquals(Boolean.FALSE, byName.get("ProjectName").secret());
        assertEquals(Boolean.TRUE, byName.get("ProjectName").queryable());
        assertEquals(Boolean.TRUE, byName.get("ProjectName").required());
        assertEquals(Boolean.FALSE, byName.get("Branch").secret());
        assertEquals(Boolean.FALSE, byName.get("Branch").queryable());
        assertEquals(0, type.inputArtifactDetails().minimumCount());
        assertEquals(5, type.outputArtifactDetails().maximumCount());

        assertEquals(List.of("Other"), us.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM))
                .actionTypes().stream().map(t -> t.id().provider()).toList());
        assertEquals(List.of(), eu.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.AWS)).actionTypes());
    }

    @Test
    void createAndDeleteCustomActionType() {
        CreateCustomActionTypeResponse created = eu.createCustomActionType(r -> r.category(ActionCategory.BUILD)
                .provider("Jenkins").version("1")
                .settings(s -> s.entityUrlTemplate("https://ci.example/codepipeline/project/{Config:ProjectName}")
                        .executionUrlTemplate("https://ci.example/codepipeline/build/{ExternalExecutionId}"))
                .configurationProperties(ActionConfigurationProperty.builder().name("ProjectName").required(true)
                        .key(true).secret(false).queryable(true).type("String").description("Jenkins job").build(),
                        ActionConfigurationProperty.builder().name("Token").required(false).key(false).secret(true)
                                .build())
                .inputArtifactDetails(d -> d.minimumCount(0).maximumCount(5))
                .outputArtifactDetails(d -> d.minimumCount(0).maximumCount(5)));
        assertEquals(JENKINS_1, created.actionType().id());
        assertEquals("https://ci.example/codepipeline/build/{ExternalExecutionId}",
                created.actionType().settings().executionUrlTemplate());

        ActionType listed = eu.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes().get(0);
        assertEquals(created.actionType(), listed);
        assertEquals(Boolean.TRUE, listed.actionConfigurationProperties().get(1).secret());
        assertEquals(List.of(), us.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes());

        assertThrows(ValidationException.class, () -> eu.createCustomActionType(r -> r.category(ActionCategory.BUILD)
                .provider("Jenkins").version("1").inputArtifactDetails(d -> d.minimumCount(0).maximumCount(5))
                .outputArtifactDetails(d -> d.minimumCount(0).maximumCount(5))), "exists already");
        assertThrows(ValidationException.class, () -> eu.createCustomActionType(r -> r.category(ActionCategory.BUILD)
                .provider("Jenkins").version("2")
                .configurationProperties(ActionConfigurationProperty.builder().name("ProjectName").required(true)
                        .key(true).secret(true).queryable(true).build())
                .inputArtifactDetails(d -> d.minimumCount(0).maximumCount(5))
                .outputArtifactDetails(d -> d.minimumCount(0).maximumCount(5))), "a queryable secret");

        eu.deleteCustomActionType(r -> r.category(ActionCategory.BUILD).provider("Jenkins").version("1"));
        assertEquals(List.of(), eu.listActionTypes(r -> r.actionOwnerFilter(ActionOwner.CUSTOM)).actionTypes());
        assertThrows(ActionTypeNotFoundException.class,
                () -> eu.deleteCustomActionType(r -> r.category(ActionCategory.BUILD).provider("Jenkins")
                        .version("1")));
    }

    @Test
    void pollForAnUnknownTypeIsEmptyByDefaultAndNotFoundWhenRequired() {
        assertEquals(List.of(), poll(eu, JENKINS_1, null, 1));
        endpoint.requireKnownActionTypes(true);
        assertThrows(ActionTypeNotFoundException.class, () -> poll(eu, JENKINS_1, null, 1));
        endpoint.addActionType(EU, "Build", "Jenkins", "1", Map.of("ProjectName", false));
        assertEquals(List.of(), poll(eu, JENKINS_1, null, 1));
        assertThrows(ActionTypeNotFoundException.class, () -> poll(us, JENKINS_1, null, 1), "added in eu-west-1 only");
        endpoint.addJob(job("1", "app").withRegion(US));
        assertEquals(1, poll(us, JENKINS_1, null, 1).size(), "a type with a job is known");
    }

    @Test
    void faultsApplyToPollForJobs() {
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);

        endpoint.enqueue(FakeCodePipeline.throttle());
        assertEquals(List.of(fake.jobId()), ids(poll(eu, JENKINS_1, null, 1)), "retried after the throttle");
        assertEquals(List.of("ThrottlingException", "ok"),
                endpoint.requests("PollForJobs").stream().map(RecordedRequest::verdict).toList());

        FakeJob next = job("1", "app");
        endpoint.addJob(next);
        endpoint.enqueue(new FakeCodePipeline.Error(400, "ActionTypeNotFoundException", "Action type not found"));
        assertThrows(ActionTypeNotFoundException.class, () -> poll(eu, JENKINS_1, null, 1));
        assertEquals("Created", endpoint.jobStatus(next.jobId()), "a fault answer carries nothing out");

        // the answer is lost after the job was dispatched: the SDK's retry finds nothing, the job waits out its
        // dispatch timeout
        endpoint.enqueue(new FakeCodePipeline.LoseResponse());
        assertEquals(List.of(), poll(eu, JENKINS_1, null, 1));
        assertEquals("Dispatched", endpoint.jobStatus(next.jobId()));
        List<String> verdicts = endpoint.requests("PollForJobs").stream().map(RecordedRequest::verdict).toList();
        assertEquals(List.of("ok:response-lost", "ok"), verdicts.subList(verdicts.size() - 2, verdicts.size()));

        // faults are used one per request, of any operation
        endpoint.enqueue(FakeCodePipeline.internalError(), FakeCodePipeline.internalError(),
                FakeCodePipeline.internalError());
        CodePipelineException error = assertThrows(CodePipelineException.class,
                () -> eu.getJobDetails(r -> r.jobId(fake.jobId())));
        assertEquals(500, error.statusCode());
        assertEquals("InternalFailure", error.awsErrorDetails().errorCode());
    }

    @Test
    void concurrentPollsHandEachJobOutOnce() throws Exception {
        int count = 40;
        for (int i = 0; i < count; i++) {
            endpoint.addJob(job("1", "app"));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> polls = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                polls.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        for (Job job : poll(eu, JENKINS_1, Map.of("ProjectName", "app"), 1)) {
                            eu.acknowledgeJob(r -> r.jobId(job.id()).nonce(job.nonce()));
                            if (!seen.add(job.id())) {
                                synchronized (duplicates) {
                                    duplicates.add(job.id());
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : polls) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), duplicates);
        assertEquals(count, seen.size());
        assertEquals(count, endpoint.jobIds("InProgress").size());
    }

    @Test
    void addingAJobTwiceIsRefused() {
        FakeJob fake = job("1", "app");
        endpoint.addJob(fake);
        assertThrows(IllegalArgumentException.class, () -> endpoint.addJob(fake));
        assertThrows(NullPointerException.class, () -> fake.withRegion(null));
    }
}
