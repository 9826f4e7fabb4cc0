package io.jenkins.plugins.codepipeline.worker.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Job;
import hudson.model.Label;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.TestSupport;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jvnet.hudson.test.JenkinsRule;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.ActionConfiguration;
import software.amazon.awssdk.services.codepipeline.model.ActionContext;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeId;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.ArtifactLocation;
import software.amazon.awssdk.services.codepipeline.model.JobData;
import software.amazon.awssdk.services.codepipeline.model.PipelineContext;
import software.amazon.awssdk.services.codepipeline.model.S3ArtifactLocation;
import software.amazon.awssdk.services.codepipeline.model.StageContext;

/**
 * Shared set-up of the job worker's build tests: core's fake endpoint, credentials, jobs as the trigger gets them.
 * A test class whose builds run in one Jenkins extends it (and is annotated {@code @WithJenkins}, which is not
 * inherited): each test gets its Jenkins in {@link #j} and a new endpoint in {@link #endpoint}, which every report
 * goes to. The static helpers serve the restart tests too.
 */
abstract class BuildTestSupport {
    static final String REGION = "eu-west-1";
    static final String ACCESS_KEY = "AKIDWORKERTEST";
    static final String SECRET_KEY = "w0rker-Secret-Access-Key";
    static final String CREDENTIALS_ID = "cp-worker";
    /** A secret configuration property of the action type, and its value, which must never show anywhere. */
    static final String SECRET_PROPERTY = "ApiToken";
    static final String SECRET_VALUE = "s3cr3t-Config-Value";
    static final JobConnection CONNECTION = new JobConnection(REGION, null, CREDENTIALS_ID);
    static final String INPUT = "SourceOutput";
    static final String INPUT_REVISION = "0123456789abcdef0123456789abcdef01234567";
    static final String OUTPUT = "BuildOutput";
    /** Everything secret a job carries, for the tests that look for leaks. */
    static final List<String> SECRETS = List.of(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID,
            FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY, FakeCodePipeline.ARTIFACT_SESSION_TOKEN, SECRET_VALUE,
            SECRET_KEY);

    /** The test's Jenkins. */
    JenkinsRule j;
    /** Core's in-process CodePipeline for this test ({@link #configure}). */
    FakeCodePipeline endpoint;

    /** Starts the endpoint, with four executors for the builds. */
    @BeforeEach
    void startEndpoint(JenkinsRule rule) throws Exception {
        j = rule;
        endpoint = new FakeCodePipeline();
        configure(endpoint);
        j.jenkins.setNumExecutors(4);
    }

    @AfterEach
    void closeEndpoint() throws Exception {
        endpoint.close();
    }

    /** Points every report at {@code endpoint}, with few attempts, and adds the trigger's credentials. */
    static void configure(FakeCodePipeline endpoint) throws Exception {
        TestSupport.useEndpoint(endpoint);
        TestSupport.addGlobal(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, CREDENTIALS_ID,
                "the job worker's keys", ACCESS_KEY, SECRET_KEY));
    }

    /** A Pipeline job running {@code script} in the sandbox. */
    static WorkflowJob pipeline(JenkinsRule j, String name, String script) throws IOException {
        WorkflowJob pipeline = j.createProject(WorkflowJob.class, name);
        pipeline.setDefinition(new CpsFlowDefinition(script, true));
        return pipeline;
    }

    /**
     * A freestyle job that no agent can build yet (its label names none), with a build queued for {@code received}
     * as the trigger queues it: the build waits in the queue until the label is removed.
     */
    static FreeStyleProject queuedFor(JenkinsRule j, String name, ReceivedJob received) throws IOException {
        FreeStyleProject project = j.createFreeStyleProject(name);
        project.setAssignedLabel(Label.get("no-such-agent"));
        JobBuildScheduler.schedule(project, received, CONNECTION, false);
        return project;
    }

    /**
     * Starts the build of {@code job} for {@code received} as the trigger does, waits until it ended and the job left
     * the record of jobs in flight (its result sent), and returns the build.
     */
    static <J extends Job<J, R>, R extends Run<J, R>> R buildUntilSettled(JenkinsRule j, J job, ReceivedJob received)
            throws InterruptedException {
        JobBuildScheduler.schedule(job, received, CONNECTION, false);
        R build = j.waitForCompletion(awaitBuild(job, received.jobId()));
        awaitSettled(received.jobId());
        return build;
    }

    /** The one result the endpoint received for the job; fails when it received none or several. */
    static RecordedRequest onlyResult(FakeCodePipeline endpoint, String jobId) {
        List<RecordedRequest> results = results(endpoint, jobId);
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    /** Sets the first wait before an automatic result is tried again, until closed. */
    static RetryDelay retryDelay(long initialMillis) {
        return new RetryDelay(initialMillis);
    }

    /** The first wait before an automatic result is tried again, set for a while; closing restores the old one. */
    static final class RetryDelay implements AutoCloseable {
        private final long previous = AutomaticReport.retryInitialMillis;

        private RetryDelay(long initialMillis) {
            AutomaticReport.retryInitialMillis = initialMillis;
        }

        @Override
        public void close() {
            AutomaticReport.retryInitialMillis = previous;
        }
    }

    /** A job as PollForJobs returns it (artifact credentials and a secret property included), as the trigger keeps it. */
    static ReceivedJob job() {
        return job(null);
    }

    static ReceivedJob job(String continuationToken) {
        return job(continuationToken, false);
    }

    /** A job that also declares the output artifact {@value #OUTPUT}: a build that uploads nothing fails it. */
    static ReceivedJob jobDeclaringOutput() {
        return job(null, true);
    }

    static ReceivedJob job(String continuationToken, boolean declaringOutput) {
        String id = UUID.randomUUID().toString();
        S3ArtifactLocation place = S3ArtifactLocation.builder().bucketName("artifact-bucket").objectKey("demo/" + id)
                .build();
        software.amazon.awssdk.services.codepipeline.model.Job sdkJob =
                software.amazon.awssdk.services.codepipeline.model.Job.builder()
                        .id(id).accountId("123456789012").nonce("nonce-" + id)
                        .data(JobData.builder()
                                .actionTypeId(ActionTypeId.builder().category("Build").owner("Custom")
                                        .provider("Jenkins").version("1").build())
                                .actionConfiguration(ActionConfiguration.builder()
                                        .configuration(Map.of("ProjectName", "app", SECRET_PROPERTY, SECRET_VALUE))
                                        .build())
                                .pipelineContext(PipelineContext.builder().pipelineName("demo")
                                        .pipelineArn("arn:aws:codepipeline:eu-west-1:123456789012:demo")
                                        .pipelineExecutionId(UUID.randomUUID().toString())
                                        .stage(StageContext.builder().name("Build").build())
                                        .action(ActionContext.builder().name("Jenkins")
                                                .actionExecutionId(UUID.randomUUID().toString()).build())
                                        .build())
                                .inputArtifacts(Artifact.builder().name(INPUT).revision(INPUT_REVISION)
                                        .location(ArtifactLocation.builder().type("S3").s3Location(place).build())
                                        .build())
                                .outputArtifacts(declaringOutput ? List.of(Artifact.builder().name(OUTPUT)
                                        .location(ArtifactLocation.builder().type("S3").s3Location(place).build())
                                        .build()) : List.of())
                                .artifactCredentials(AWSSessionCredentials.builder()
                                        .accessKeyId(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID)
                                        .secretAccessKey(FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY)
                                        .sessionToken(FakeCodePipeline.ARTIFACT_SESSION_TOKEN).build())
                                .continuationToken(continuationToken)
                                .build())
                        .build();
        return ReceivedJob.from(sdkJob, REGION, Set.of(SECRET_PROPERTY));
    }

    /** The results (PutJobSuccessResult, PutJobFailureResult) the endpoint received for a job. */
    static List<RecordedRequest> results(FakeCodePipeline endpoint, String jobId) {
        return endpoint.requests().stream()
                .filter(r -> "PutJobSuccessResult".equals(r.operation()) || "PutJobFailureResult".equals(r.operation()))
                .filter(r -> jobId.equals(r.jobId()))
                .toList();
    }

    /** Waits for the job's first result. */
    static RecordedRequest awaitResult(FakeCodePipeline endpoint, String jobId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            List<RecordedRequest> results = results(endpoint, jobId);
            if (!results.isEmpty()) {
                return results.get(0);
            }
            Thread.sleep(100);
        }
        return fail("no result for job " + jobId + " within 60 s; requests: " + endpoint.requests());
    }

    /** Waits until the job is no longer in flight (its result sent and recorded). */
    static void awaitSettled(String jobId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (InFlightJobs.get().get(jobId).isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("job " + jobId + " still in flight: " + InFlightJobs.get().get(jobId));
    }

    /** Waits for the startup recovery to have looked at every job of the record. */
    static void awaitRecovery() throws Exception {
        InFlightJobs.get().startupRecovery().get(60, TimeUnit.SECONDS);
    }

    /** The results for a job that CodePipeline accepted (not the attempts that a fault answered). */
    static List<RecordedRequest> accepted(FakeCodePipeline endpoint, String jobId) {
        return results(endpoint, jobId).stream().filter(r -> "ok".equals(r.verdict())).toList();
    }

    /** Waits until CodePipeline accepted a result for the job, and returns it. */
    static RecordedRequest awaitAccepted(FakeCodePipeline endpoint, String jobId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            List<RecordedRequest> accepted = accepted(endpoint, jobId);
            if (!accepted.isEmpty()) {
                return accepted.get(0);
            }
            Thread.sleep(100);
        }
        return fail("no accepted result for job " + jobId + " within 60 s; requests: " + results(endpoint, jobId));
    }

    /** Waits until {@code condition} holds, for at most 60 s. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not within 60 s: " + what);
    }

    /** The build of {@code job} that runs the CodePipeline job, once it exists. */
    static <J extends Job<J, R>, R extends Run<J, R>> R awaitBuild(J job, String jobId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            for (R run : job.getBuilds()) {
                CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
                if (action != null && action.getJobId().equals(jobId)) {
                    return run;
                }
            }
            Thread.sleep(100);
        }
        return fail("no build of " + job.getFullName() + " for job " + jobId);
    }

    /** Fails when {@code text} holds any secret of the job or of the credentials. */
    static void assertNoSecret(String what, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), what + " holds the secret " + secret);
        }
    }
}
