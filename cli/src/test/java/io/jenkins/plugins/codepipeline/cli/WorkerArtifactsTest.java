package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker with a job's artifacts, against core's in-process CodePipeline and an embedded S3Proxy whose identity
 * is the fake jobs' artifact credentials: the inputs are there before the command runs, the outputs are in S3 before
 * the success is reported, and a missing or failed transfer is never a success.
 */
class WorkerArtifactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> UPLOADS = List.of("PutObject", "CreateMultipartUpload", "UploadPart",
            "CompleteMultipartUpload");

    @TempDir
    Path dir;

    private FakeCodePipeline endpoint;
    private FakeArtifactStore s3proxy;
    private final CliRunner cli = new CliRunner();
    private final List<Run> runs = new ArrayList<>();
    private FakeJob job;

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false));
        s3proxy = new FakeArtifactStore();
        cli.env("PATH", System.getenv("PATH")).env("OUT", dir.toString());
        S3RequestRecorder.REQUESTS.clear();
        S3RequestRecorder.onRequest = null;
    }

    @AfterEach
    void stop() throws Exception {
        S3RequestRecorder.onRequest = null;
        endpoint.close();
        s3proxy.close();
        FakeArtifactStore.assertNoArtifactSecretPrinted(runs);
    }

    /** A job with these artifacts, its S3 keys noted by artifact name. */
    private FakeJob addJob(List<String> inputs, List<String> outputs) throws IOException {
        job = FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", "app")).withArtifacts(inputs, outputs);
        endpoint.addJob(job);
        s3proxy.noteKeys(endpoint.jobData(job.jobId()));
        return job;
    }

    private Run worker(String... args) {
        List<String> all = new ArrayList<>(List.of("worker", "--category", "Build", "--provider", "Jenkins",
                "--version", "1", "--once", "--endpoint-url", endpoint.endpoint().toString()));
        all.addAll(List.of(args));
        Run run = cli.run(all.toArray(String[]::new));
        runs.add(run);
        return run;
    }

    private JsonNode result(String operation) throws IOException {
        List<RecordedRequest> results = endpoint.requests(operation).stream()
                .filter(r -> job.jobId().equals(r.jobId())).toList();
        assertEquals(1, results.size(), () -> operation + " requests: " + results);
        return JSON.readTree(results.get(0).body());
    }

    private static byte[] sourceZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry empty = new ZipArchiveEntry("src/empty/");
            empty.setUnixMode(040755);
            zip.putArchiveEntry(empty);
            zip.closeArchiveEntry();
            ZipArchiveEntry script = new ZipArchiveEntry("src/nested/build.sh");
            script.setUnixMode(0100755);
            zip.putArchiveEntry(script);
            zip.write("#!/bin/sh\necho built\n".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void theCommandSeesItsInputsAndItsOutputsAreUploadedBeforeTheSuccess() throws Exception {
        s3proxy.createBucket();
        addJob(List.of("Source", "Notes"), List.of("BuildOutput", "Docs"));
        s3proxy.putObject("Source", sourceZip());
        s3proxy.putObject("Notes", "plain notes".getBytes(StandardCharsets.UTF_8));
        // the job's state at each upload request: it must still be open then
        List<String> statusAtUpload = new CopyOnWriteArrayList<>();
        S3RequestRecorder.onRequest = request -> {
            if (UPLOADS.contains(request.operation())) {
                statusAtUpload.add(endpoint.jobStatus(job.jobId()));
            }
        };
        Run run = worker("--s3-endpoint-url", s3proxy.endpoint().toString(), "--", "/bin/sh", "-c",
                "set -e; in=\"$CODEPIPELINE_INPUT_ARTIFACTS_DIR\"; env > \"$OUT/env\"; "
                        + "test -x \"$in/Source/src/nested/build.sh\"; test -d \"$in/Source/src/empty\"; "
                        + "cat \"$in/Notes/Notes\" > \"$OUT/notes\"; "
                        + "mkdir -p \"$OUT/build/bin\"; cp \"$in/Source/src/nested/build.sh\" \"$OUT/build/bin/\"; "
                        + "echo \"# built\" > \"$CODEPIPELINE_OUTPUT_ARTIFACTS_FILE\"; "
                        + "echo \"BuildOutput=$OUT/build\" >> \"$CODEPIPELINE_OUTPUT_ARTIFACTS_FILE\"; "
                        + "echo '<html/>' > \"$CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/Docs/index.html\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Succeeded", endpoint.jobStatus(job.jobId()), run::toString);
        assertEquals("plain notes", Files.readString(dir.resolve("notes")));

        Map<String, String> built = FakeArtifactStore.zipEntries(s3proxy.object("BuildOutput"));
        assertEquals("#!/bin/sh\necho built\n", built.get("bin/build.sh"), built::toString);
        assertEquals(Map.of("index.html", "<html/>\n"), FakeArtifactStore.zipEntries(s3proxy.object("Docs")));
        assertFalse(statusAtUpload.isEmpty(), "no upload request was seen");
        assertTrue(statusAtUpload.stream().allMatch("InProgress"::equals),
                () -> "an upload was sent after the job was closed: " + statusAtUpload);
        for (S3RequestRecorder.Request request : S3RequestRecorder.requests("PutObject")) {
            assertEquals("aws:kms", request.header("x-amz-server-side-encryption"), request::toString);
            assertEquals(FakeCodePipeline.ARTIFACT_SESSION_TOKEN, request.header("x-amz-security-token"));
        }

        // GetJobDetails with the worker's credentials; the command's environment has no artifact credential
        assertEquals("AKIDTEST", endpoint.requests("GetJobDetails").get(0).accessKeyId());
        String env = Files.readString(dir.resolve("env"));
        for (String secret : List.of(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID,
                FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY, FakeCodePipeline.ARTIFACT_SESSION_TOKEN)) {
            assertFalse(env.contains(secret), secret + " in the command's environment");
        }
        String inputDir = env.lines().filter(l -> l.startsWith("CODEPIPELINE_INPUT_ARTIFACTS_DIR="))
                .map(l -> l.substring(l.indexOf('=') + 1)).findFirst().orElse(null);
        assertNotNull(inputDir, env);
        assertFalse(Files.exists(Path.of(inputDir)), "the job's artifacts directory is left after the job");
        int uploaded = run.err().indexOf("Uploaded output artifact 'Docs'");
        int reported = run.err().indexOf("Reported success for job " + job.jobId());
        assertTrue(uploaded >= 0 && uploaded < reported, run::toString);
        assertTrue(run.err().contains("Downloaded input artifact 'Source' (zip"), run::toString);
    }

    @Test
    void aDeclaredOutputThatWasNotProducedIsAConfigurationErrorAndNothingIsUploaded() throws Exception {
        s3proxy.createBucket();
        addJob(List.of(), List.of("BuildOutput", "Docs"));
        // BuildOutput's directory is left empty
        Run run = worker("--s3-endpoint-url", s3proxy.endpoint().toString(), "--", "/bin/sh", "-c",
                "echo doc > \"$CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/Docs/index.html\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Failed", endpoint.jobStatus(job.jobId()));
        JsonNode details = result("PutJobFailureResult").get("failureDetails");
        assertEquals("ConfigurationError", details.get("type").asText(), details::toString);
        String message = details.get("message").asText();
        assertTrue(message.contains("output artifact(s) BuildOutput that the job declares"), message);
        assertTrue(message.contains("CODEPIPELINE_OUTPUT_ARTIFACTS_FILE"), message);
        assertFalse(message.contains("Docs"), message);
        assertTrue(endpoint.requests("PutJobSuccessResult").isEmpty());
        assertTrue(S3RequestRecorder.requests("PutObject").isEmpty(), "uploaded though the job failed");
        assertNull(s3proxy.object("Docs"));
    }

    @Test
    void aFailedDownloadRunsNoCommandAndFailsTheJob() throws Exception {
        s3proxy.createBucket();
        addJob(List.of("Source"), List.of("BuildOutput"));
        // no Source object: the stage before did not produce it
        Run run = worker("--s3-endpoint-url", s3proxy.endpoint().toString(), "--", "/bin/sh", "-c",
                "touch \"$OUT/ran\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertFalse(Files.exists(dir.resolve("ran")), "the command ran without its inputs");
        assertEquals("Failed", endpoint.jobStatus(job.jobId()));
        JsonNode details = result("PutJobFailureResult").get("failureDetails");
        assertEquals("JobFailed", details.get("type").asText(), details::toString);
        String message = details.get("message").asText();
        assertTrue(message.startsWith("The worker did not run sh"), message);
        assertTrue(message.contains("artifact 'Source' (" + s3proxy.s3Uri("Source") + ")"), message);
        assertTrue(message.contains("does not exist"), message);
        assertTrue(endpoint.requests("PutJobSuccessResult").isEmpty());
    }

    @Test
    void aFailedUploadIsJobFailedNeverSuccess() throws Exception {
        // no bucket at all: the upload fails with NoSuchBucket
        addJob(List.of(), List.of("BuildOutput"));
        Run run = worker("--s3-endpoint-url", s3proxy.endpoint().toString(), "--", "/bin/sh", "-c",
                "echo built > \"$CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/BuildOutput/app.txt\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Failed", endpoint.jobStatus(job.jobId()));
        JsonNode details = result("PutJobFailureResult").get("failureDetails");
        assertEquals("JobFailed", details.get("type").asText(), details::toString);
        String message = details.get("message").asText();
        assertTrue(message.contains("sh exited 0, but uploading its output artifacts failed"), message);
        assertTrue(message.contains(FakeArtifactStore.BUCKET) && message.contains("does not exist"), message);
        assertTrue(endpoint.requests("PutJobSuccessResult").isEmpty());
    }

    @Test
    void noArtifactsMovesNothing() throws Exception {
        s3proxy.createBucket();
        addJob(List.of("Source"), List.of("BuildOutput"));
        Run run = worker("--no-artifacts", "--", "/bin/sh", "-c", "env > \"$OUT/env\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Succeeded", endpoint.jobStatus(job.jobId()));
        assertTrue(endpoint.requests("GetJobDetails").isEmpty(), "GetJobDetails with --no-artifacts");
        assertTrue(S3RequestRecorder.REQUESTS.isEmpty(), () -> "S3 was called: " + S3RequestRecorder.REQUESTS);
        String env = Files.readString(dir.resolve("env"));
        assertFalse(env.contains("CODEPIPELINE_INPUT_ARTIFACTS_DIR="), env);
        assertFalse(env.contains("CODEPIPELINE_OUTPUT_ARTIFACTS_FILE="), env);
        assertTrue(env.contains("CODEPIPELINE_OUTPUT_ARTIFACTS=BuildOutput"), env);
    }

    @Test
    void aGivenArtifactsDirAndASingleFileOutputFromTheEnvironmentsEndpoint() throws Exception {
        s3proxy.createBucket();
        addJob(List.of("Source"), List.of("Report"));
        s3proxy.putObject("Source", sourceZip());
        Path artifacts = dir.resolve("artifacts");
        Files.createDirectories(artifacts.resolve("input/Stale"));
        cli.env("AWS_ENDPOINT_URL_S3", s3proxy.endpoint().toString()).env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        Run run = worker("--artifacts-dir", artifacts.toString(), "--", "/bin/sh", "-c",
                "echo '{\"ok\":true}' > \"$OUT/report.json\"; "
                        + "echo \"Report=$OUT/report.json\" > \"$CODEPIPELINE_OUTPUT_ARTIFACTS_FILE\"; "
                        + "echo \"$CODEPIPELINE_INPUT_ARTIFACTS_DIR\" > \"$OUT/input-dir\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Succeeded", endpoint.jobStatus(job.jobId()), run::toString);
        assertEquals(artifacts.resolve("input").toString(), Files.readString(dir.resolve("input-dir")).strip());
        assertTrue(Files.isExecutable(artifacts.resolve("input/Source/src/nested/build.sh")), "left after the job");
        assertFalse(Files.exists(artifacts.resolve("input/Stale")), "the input directory was not emptied first");
        assertEquals("{\"ok\":true}\n", new String(s3proxy.object("Report"), StandardCharsets.UTF_8),
                "a file is uploaded as is");
    }

    @Test
    void expiredArtifactCredentialsAreRenewedByGetJobDetails() throws Exception {
        s3proxy.createBucket();
        addJob(List.of("Source"), List.of());
        s3proxy.putObject("Source", sourceZip());
        AtomicInteger gets = new AtomicInteger();
        // S3Proxy never expires credentials: the first GetObject is answered ExpiredToken here
        S3RequestRecorder.onRequest = request -> {
            if (request.operation().equals("GetObject") && gets.getAndIncrement() == 0) {
                throw S3Exception.builder().statusCode(400).message("The provided token has expired.")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ExpiredToken")
                                .errorMessage("The provided token has expired.").serviceName("S3").build())
                        .build();
            }
        };
        Run run = worker("--s3-endpoint-url", s3proxy.endpoint().toString(), "--", "/bin/sh", "-c",
                "test -x \"$CODEPIPELINE_INPUT_ARTIFACTS_DIR/Source/src/nested/build.sh\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Succeeded", endpoint.jobStatus(job.jobId()), run::toString);
        assertEquals(2, gets.get());
        assertEquals(2, endpoint.requests("GetJobDetails").size(), "the credentials were not renewed");
        assertTrue(run.err().contains("expired; getting new ones (GetJobDetails)"), run::toString);
    }

    @Test
    void aContinuationTokenLeavesTheOutputsToTheLastJob() throws Exception {
        s3proxy.createBucket();
        addJob(List.of(), List.of("BuildOutput"));
        Run run = worker("--s3-endpoint-url", s3proxy.endpoint().toString(), "--", "/bin/sh", "-c",
                "echo step-2 > \"$CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("step-2", result("PutJobSuccessResult").get("continuationToken").asText());
        assertTrue(run.err().contains("left to a later job"), run::toString);
        assertNull(s3proxy.object("BuildOutput"));
    }
}
