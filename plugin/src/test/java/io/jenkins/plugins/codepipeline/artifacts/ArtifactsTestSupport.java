package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.TestSupport;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import io.jenkins.plugins.codepipeline.worker.build.JobBuildScheduler;
import io.jenkins.plugins.codepipeline.worker.build.JobConnection;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.jvnet.hudson.test.JenkinsRule;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.PollForJobsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the artifact tests share: one Jenkins ({@link #j}; the subclass is {@code @WithJenkins}), core's in-process
 * CodePipeline ({@link #endpoint}) with jobs whose artifacts live in {@link #BUCKET}, and S3Proxy in a child JVM
 * ({@link #s3}) accepting the fake's artifact credentials, which the global S3 endpoint override points at. S3 requests
 * made in this JVM (a workspace on the built-in node) pass {@link #requests}, which records them and can answer with
 * an error ({@link #answer}), through the main code's hook {@link S3Connection#setInterceptorsForTests}.
 */
abstract class ArtifactsTestSupport {
    static final String REGION = FakeJob.DEFAULT_REGION;
    static final String BUCKET = "codepipeline-" + REGION + "-fake-artifacts";
    /** The encryptionKey every fake job carries. */
    static final String KMS_KEY = "arn:aws:kms:" + REGION + ":" + FakeJob.DEFAULT_ACCOUNT_ID
            + ":alias/codepipeline-fake-artifacts";
    static final String CREDENTIALS_ID = "keys";
    static final String ACCESS_KEY = "AKIDARTIFACTSTEST";
    /** The plugin's own secret key (for CodePipeline only), which must never show either. */
    static final String SECRET_KEY = "art1facts-Secret-Access-Key";
    /** What must never be in a log, a file, the environment (the artifact access key id may show). */
    static final List<String> SECRETS = List.of(FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY,
            FakeCodePipeline.ARTIFACT_SESSION_TOKEN, SECRET_KEY);
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORKSPACE_LINE = Pattern.compile("WORKSPACE=([^\r\n\u001b]+)");

    JenkinsRule j;
    FakeCodePipeline endpoint;
    S3ProxyProcess s3;
    /** The signed S3 requests made in this JVM, in order. */
    final List<S3Request> requests = new CopyOnWriteArrayList<>();
    /**
     * Given a request's operation and how many requests of that operation came before it, an exception to throw
     * instead of sending it, or null to send it.
     */
    volatile BiFunction<String, Integer, RuntimeException> answer;

    /** The S3 requests (on the built-in node) by operation, with the headers they were signed with. */
    record S3Request(String operation, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().isEmpty() ? null : h.getValue().get(0);
                }
            }
            return null;
        }
    }

    @BeforeEach
    void startArtifactStore(JenkinsRule rule) throws Exception {
        j = rule;
        Assumptions.assumeTrue(System.getenv("AWS_ENDPOINT_URL_S3") == null && System.getenv("AWS_ENDPOINT_URL") == null,
                "the host's environment overrides the S3 endpoint");
        s3 = S3ProxyProcess.start(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID, FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY);
        s3.createBucket(BUCKET);
        endpoint = new FakeCodePipeline();
        TestSupport.useEndpoint(endpoint);
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        global.setPollIntervalSeconds(1);
        global.setS3EndpointUrl(s3.endpoint().toString());
        endpoint.addActionType(REGION, "Build", "Jenkins", "1", Map.of("ProjectName", false));
        TestSupport.addGlobal(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, CREDENTIALS_ID,
                "the worker's keys", ACCESS_KEY, SECRET_KEY));
        j.jenkins.setNumExecutors(4);
        S3Connection.setInterceptorsForTests(List.of(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                int before = (int) requests.stream().filter(r -> r.operation().equals(operation)).count();
                requests.add(new S3Request(operation, context.httpRequest().headers()));
                BiFunction<String, Integer, RuntimeException> a = answer;
                RuntimeException failure = a == null ? null : a.apply(operation, before);
                if (failure != null) {
                    throw failure;
                }
            }
        }));
    }

    @AfterEach
    void stopArtifactStore() throws Exception {
        S3Connection.setInterceptorsForTests(List.of());
        if (endpoint != null) {
            endpoint.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** An S3 error as S3 answers it. */
    static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message).requestId("test-request")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3")
                        .build())
                .build();
    }

    static S3Exception expiredToken() {
        return s3Error(400, "ExpiredToken", "The provided token has expired.");
    }

    List<S3Request> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    /** A job of Build/Custom/Jenkins/1 for ProjectName {@code project}, with these artifacts, added to the endpoint. */
    FakeJob addJob(String project, List<String> inputs, List<String> outputs) {
        FakeJob job = FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", project)).withArtifacts(inputs, outputs);
        endpoint.addJob(job);
        return job;
    }

    /** Where an artifact of the job lives in S3. */
    record Location(String bucket, String key) {
        String url() {
            return "s3://" + bucket + "/" + key;
        }
    }

    Location input(FakeJob job, String name) throws IOException {
        return location(job, "inputArtifacts", name);
    }

    Location output(FakeJob job, String name) throws IOException {
        return location(job, "outputArtifacts", name);
    }

    private Location location(FakeJob job, String member, String name) throws IOException {
        JsonNode data = JSON.readTree(endpoint.jobData(job.jobId()));
        for (JsonNode artifact : data.path(member)) {
            if (name.equals(artifact.path("name").asText())) {
                JsonNode s3Location = artifact.path("location").path("s3Location");
                return new Location(s3Location.path("bucketName").asText(), s3Location.path("objectKey").asText());
            }
        }
        return fail("the job has no " + member + " named " + name + ": " + data);
    }

    /** Puts {@code content} where the job's input artifact {@code name} is read from. */
    void putInput(FakeJob job, String name, byte[] content) throws IOException {
        Location location = input(job, name);
        s3.put(location.bucket(), location.key(), content);
    }

    /** The uploaded output artifact {@code name}, in a temporary file. */
    Path downloadOutput(FakeJob job, String name) throws IOException {
        Location location = output(job, name);
        assertTrue(s3.exists(location.bucket(), location.key()), "the output artifact " + name + " is at "
                + location.url() + "; the bucket holds " + s3.keys(location.bucket()));
        return s3.download(location.bucket(), location.key(), Archives.temp(name));
    }

    /** The arguments that name the job, its region and the credentials, for a build not started for the job. */
    static String jobArguments(FakeJob job) {
        return "jobId: '" + job.jobId() + "', region: '" + REGION + "', credentialsId: '" + CREDENTIALS_ID + "'";
    }

    /** How many GetJobDetails requests the endpoint received for the job. */
    long getJobDetailsCalls(FakeJob job) {
        return endpoint.requests("GetJobDetails").stream().filter(r -> job.jobId().equals(r.jobId())).count();
    }

    /** The results (PutJobSuccessResult, PutJobFailureResult) the endpoint received for the job. */
    List<RecordedRequest> results(FakeJob job) {
        return endpoint.requests().stream()
                .filter(r -> "PutJobSuccessResult".equals(r.operation()) || "PutJobFailureResult".equals(r.operation()))
                .filter(r -> job.jobId().equals(r.jobId()))
                .toList();
    }

    /** Waits for the job's first result and returns it, after checking that it is the only one. */
    RecordedRequest awaitOnlyResult(FakeJob job) throws Exception {
        await("a result for job " + job.jobId(), () -> !results(job).isEmpty());
        j.waitUntilNoActivityUpTo((int) TIMEOUT.toMillis());
        List<RecordedRequest> results = results(job);
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    // ---- builds -----------------------------------------------------------------------------------------------

    /** A Pipeline job running {@code script} in the sandbox. */
    WorkflowJob pipeline(String name, String script) throws IOException {
        WorkflowJob pipeline = j.createProject(WorkflowJob.class, name);
        pipeline.setDefinition(new CpsFlowDefinition(script, true));
        return pipeline;
    }

    /** Runs the Pipeline once and checks its result. */
    WorkflowRun run(WorkflowJob pipeline, Result expected) throws Exception {
        return j.buildAndAssertStatus(expected, pipeline);
    }

    /**
     * Starts a build of {@code job} for {@code fakeJob} as the job worker's trigger does: the job is taken with
     * PollForJobs and AcknowledgeJob (through the SDK, from the endpoint), then {@link JobBuildScheduler#schedule}
     * queues the build, which gets the job's environment and, when it ends, the automatic report.
     */
    void startBuildFor(Job<?, ?> job, FakeJob fakeJob) {
        try (CodePipelineClient client = CodePipelineClient.builder()
                .endpointOverride(endpoint.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(ApacheHttpClient.builder().build())
                .build()) {
            PollForJobsResponse polled = client.pollForJobs(b -> b
                    .actionTypeId(t -> t.category("Build").owner("Custom").provider("Jenkins").version("1"))
                    .maxBatchSize(1)
                    .queryParam(Map.of("ProjectName", fakeJob.configuration().get("ProjectName"))));
            assertEquals(1, polled.jobs().size(), "PollForJobs hands out the job");
            software.amazon.awssdk.services.codepipeline.model.Job sdkJob = polled.jobs().get(0);
            assertEquals(fakeJob.jobId(), sdkJob.id());
            client.acknowledgeJob(b -> b.jobId(sdkJob.id()).nonce(sdkJob.nonce()));
            ReceivedJob received = ReceivedJob.from(sdkJob, REGION, Set.of());
            assertTrue(JobBuildScheduler.schedule(job, received, new JobConnection(REGION, null, CREDENTIALS_ID), false)
                    > 0, "the build is queued");
        }
    }

    /** The build of {@code job} that ran the CodePipeline job, once it is finished. */
    <J extends Job<J, R>, R extends Run<J, R>> R awaitBuildOf(J job, FakeJob fakeJob) throws InterruptedException {
        List<R> found = new ArrayList<>();
        await("a build of " + job.getFullName() + " for job " + fakeJob.jobId(), () -> {
            for (R run : job.getBuilds()) {
                CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
                if (action != null && action.getJobId().equals(fakeJob.jobId())) {
                    found.add(run);
                    return true;
                }
            }
            return false;
        });
        return j.waitForCompletion(found.get(0));
    }

    /** The workspace the Pipeline printed with {@code echo "WORKSPACE=${pwd()}"} (its path may hold spaces). */
    static Path workspace(Run<?, ?> run) throws IOException {
        Matcher m = WORKSPACE_LINE.matcher(JenkinsRule.getLog(run));
        assertTrue(m.find(), "the build printed its workspace");
        return Path.of(m.group(1).trim());
    }

    /** Waits until {@code condition} holds, checking every 100 ms; fails after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    // ---- files and secrets ------------------------------------------------------------------------------------

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static boolean executable(Path file) throws IOException {
        return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    }

    /** Lists what is in {@code dir}, for messages. */
    static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of("(" + dir + " does not exist)");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** Fails when {@code text} holds a secret. */
    static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), where + " holds the secret " + secret);
        }
    }

    /** Fails when any file below {@code dir} holds a secret. */
    static void assertNoSecretIn(File dir) throws IOException {
        assertTrue(dir.isDirectory(), dir + " exists");
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNoSecret(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
    }
}
