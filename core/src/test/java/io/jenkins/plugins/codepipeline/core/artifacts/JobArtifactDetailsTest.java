package io.jenkins.plugins.codepipeline.core.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsRequest;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsResponse;
import software.amazon.awssdk.services.codepipeline.model.JobData;

/** GetJobDetails for the artifact transfers, against the fake CodePipeline endpoint. */
class JobArtifactDetailsTest {
    private static final String CALLER_KEY = "AKIDCALLER";
    private static final String CALLER_SECRET = "callerSecretKey";

    private FakeCodePipeline endpoint;
    private CodePipelineClientCache clients;
    private ConnectionSettings settings;
    private final AtomicInteger resolved = new AtomicInteger();
    private final AwsCredentialsProvider caller = () -> {
        resolved.incrementAndGet();
        return AwsBasicCredentials.create(CALLER_KEY, CALLER_SECRET);
    };
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
        settings = ConnectionSettings.builder().region(FakeJob.DEFAULT_REGION).endpoint(endpoint.endpoint())
                .maxAttempts(3).timeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        endpoint.close();
    }

    private JobArtifactDetails fetch(String jobId) throws JobDetailsException {
        try (CodePipelineClientCache.Lease lease = clients.acquire(settings)) {
            return JobArtifactDetails.fetch(lease.client(), settings, jobId, caller, progress::add);
        }
    }

    private FakeJob jobWithArtifacts() {
        FakeJob job = FakeJob.of("Build", "JenkinsWorker", "1", Map.of())
                .withArtifacts(List.of("SourceOutput", "Tools"), List.of("BuildOutput", "Docs"));
        endpoint.addJob(job);
        return job;
    }

    private static void assertNoSecret(String text) {
        for (String secret : List.of(CALLER_SECRET, FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY,
                FakeCodePipeline.ARTIFACT_SESSION_TOKEN)) {
            assertFalse(text.contains(secret), text);
        }
    }

    @Test
    void inputsOutputsKmsKeyAndCredentialsOfTheJob() throws Exception {
        FakeJob job = jobWithArtifacts();
        JobArtifactDetails details = fetch(job.jobId());
        assertEquals(job.jobId(), details.jobId());
        assertEquals(List.of("SourceOutput", "Tools"), JobArtifactDetails.names(details.inputs()));
        assertEquals(List.of("BuildOutput", "Docs"), JobArtifactDetails.names(details.outputs()));
        JobArtifact source = details.inputs().get(0);
        assertEquals(FakeJob.revision("SourceOutput"), source.revision());
        assertEquals("codepipeline-us-east-1-fake-artifacts", source.bucket());
        assertTrue(source.objectKey().startsWith("demo/SourceOutput/"), source.objectKey());
        assertNull(details.outputs().get(0).revision());
        assertTrue(details.outputs().get(1).objectKey().startsWith("demo/Docs/"));
        assertEquals("arn:aws:kms:us-east-1:123456789012:alias/codepipeline-fake-artifacts", details.kmsKeyId());
        assertEquals(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID, details.artifactCredentials().accessKeyId());
        assertEquals(FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY, details.artifactCredentials().secretAccessKey());
        assertEquals(FakeCodePipeline.ARTIFACT_SESSION_TOKEN, details.artifactCredentials().sessionToken());
        assertEquals(CALLER_KEY, endpoint.lastRequest().accessKeyId(), "signed with the caller's credentials");
        assertEquals(1, resolved.get());
        assertTrue(progress.isEmpty(), progress.toString());
        String text = details.toString();
        assertNoSecret(text);
        assertEquals("JobArtifactDetails[" + job.jobId() + ", inputs [SourceOutput, Tools], outputs [BuildOutput, "
                + "Docs], KMS key arn:aws:kms:us-east-1:123456789012:alias/codepipeline-fake-artifacts, artifact "
                + "credentials " + FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID + "]", text);
    }

    @Test
    void anUnknownJobFailsWithoutRetryAndWithoutSecret() {
        String jobId = "0a1b2c3d-1111-2222-3333-444455556666";
        JobDetailsException e = assertThrows(JobDetailsException.class, () -> fetch(jobId));
        assertTrue(e.getMessage().startsWith("GetJobDetails for job " + jobId + " in us-east-1 failed after 1 "
                + "attempt(s): JobNotFoundException"), e.getMessage());
        assertTrue(e.getMessage().contains("access key " + CALLER_KEY), e.getMessage());
        assertTrue(e.getMessage().contains("Check the job id and region, and that the IAM policy allows "
                + "codepipeline:GetJobDetails."), e.getMessage());
        assertNoSecret(e.getMessage());
        assertEquals(1, endpoint.requests("GetJobDetails").size());
    }

    @Test
    void aServerErrorIsRetriedAndTheRetryReported() throws Exception {
        FakeJob job = jobWithArtifacts();
        endpoint.enqueue(new FakeCodePipeline.Error(503, "ServiceUnavailableException", "Service unavailable"));
        JobArtifactDetails details = fetch(job.jobId());
        assertEquals(2, details.outputs().size());
        assertEquals(2, endpoint.requests("GetJobDetails").size());
        assertEquals(1, progress.size(), progress.toString());
        assertTrue(progress.get(0).startsWith("GetJobDetails attempt 1 of 3 failed (ServiceUnavailableException: "
                + "Service unavailable); retrying in "), progress.get(0));
        assertEquals(1, resolved.get(), "the caller's credentials are resolved once per fetch");
    }

    @Test
    void attemptsUsedUpAreCountedInTheMessage() {
        FakeJob job = jobWithArtifacts();
        for (int i = 0; i < 3; i++) {
            endpoint.enqueue(FakeCodePipeline.internalError());
        }
        JobDetailsException e = assertThrows(JobDetailsException.class, () -> fetch(job.jobId()));
        assertTrue(e.getMessage().contains("failed after 3 attempt(s): InternalFailure"), e.getMessage());
        assertEquals(3, endpoint.requests("GetJobDetails").size());
        assertEquals(2, progress.size());
    }

    @Test
    void unreachableEndpointSaysWhichAndNoSecret() throws Exception {
        ConnectionSettings nowhere = ConnectionSettings.builder().region("us-east-1")
                .endpoint("http://127.0.0.1:1").maxAttempts(1).build();
        try (CodePipelineClientCache.Lease lease = clients.acquire(nowhere)) {
            JobDetailsException e = assertThrows(JobDetailsException.class, () -> JobArtifactDetails.fetch(
                    lease.client(), nowhere, "job", caller, null));
            assertTrue(e.getMessage().contains("no answer"), e.getMessage());
            assertTrue(e.getMessage().contains("Check the endpoint http://127.0.0.1:1 and the network."),
                    e.getMessage());
            assertNoSecret(e.getMessage());
        }
    }

    @Test
    void callerWithoutCredentialsIsNamedBeforeAnythingIsSent() {
        AwsCredentialsProvider none = () -> {
            throw new IllegalStateException("no credentials in the chain");
        };
        try (CodePipelineClientCache.Lease lease = clients.acquire(settings)) {
            JobDetailsException e = assertThrows(JobDetailsException.class, () -> JobArtifactDetails.fetch(
                    lease.client(), settings, "job", none, null));
            assertTrue(e.getMessage().startsWith("No AWS credentials to call GetJobDetails for job job in us-east-1 "
                    + "(IllegalStateException: no credentials in the chain)"), e.getMessage());
        }
        assertTrue(endpoint.requests().isEmpty());
    }

    /** A client that answers GetJobDetails with the given data. */
    private static CodePipelineClient answering(JobData data) {
        return new CodePipelineClient() {
            @Override
            public GetJobDetailsResponse getJobDetails(GetJobDetailsRequest request) {
                return GetJobDetailsResponse.builder().jobDetails(d -> d.id(request.jobId()).data(data)).build();
            }

            @Override
            public String serviceName() {
                return "codepipeline";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aJobWithArtifactsButNoCredentialsIsRefused() {
        JobData data = JobData.builder().inputArtifacts(Artifact.builder().name("SourceOutput").build())
                .artifactCredentials(AWSSessionCredentials.builder().accessKeyId("ASIA").secretAccessKey("s")
                        .build())
                .build();
        JobDetailsException e = assertThrows(JobDetailsException.class,
                () -> JobArtifactDetails.fetch(answering(data), settings, "job-1", caller, null));
        assertEquals("GetJobDetails for job job-1 in us-east-1 gave no artifact credentials. Check that the job is "
                + "still in progress and belongs to a custom action of this account.", e.getMessage());
    }

    @Test
    void aJobWithoutArtifactsNeedsNoCredentialsNorKey() throws Exception {
        JobArtifactDetails details = JobArtifactDetails.fetch(answering(JobData.builder().build()), settings,
                "job-2", caller, null);
        assertEquals(List.of(), details.inputs());
        assertEquals(List.of(), details.outputs());
        assertNull(details.kmsKeyId());
        assertNull(details.artifactCredentials());
        assertEquals("JobArtifactDetails[job-2, inputs [], outputs [], no artifact credentials]", details.toString());
        JobDetailsException noData = assertThrows(JobDetailsException.class, () -> JobArtifactDetails.fetch(
                answering(null), settings, "job-3", caller, null));
        assertEquals("GetJobDetails for job job-3 in us-east-1 answered without the job's data.",
                noData.getMessage());
    }
}
