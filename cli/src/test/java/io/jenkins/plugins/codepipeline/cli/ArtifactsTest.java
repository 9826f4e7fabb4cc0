package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * artifacts get and put against core's in-process CodePipeline and an embedded S3Proxy (2.6.0, which checks SigV4)
 * whose identity is the fake jobs' artifact credentials.
 */
class ArtifactsTest {
    private static final String KMS_KEY = "arn:aws:kms:" + FakeJob.DEFAULT_REGION + ":" + FakeJob.DEFAULT_ACCOUNT_ID
            + ":alias/codepipeline-fake-artifacts";

    @TempDir
    Path tmp;

    private FakeCodePipeline endpoint;
    private FakeArtifactStore s3proxy;
    private URI s3;
    private final CliRunner cli = new CliRunner();
    private final List<Run> runs = new ArrayList<>();
    private String jobId;

    @BeforeEach
    void start() throws Exception {
        endpoint = new FakeCodePipeline();
        s3proxy = new FakeArtifactStore();
        s3 = s3proxy.endpoint();
        s3proxy.createBucket();

        FakeJob job = FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", "app"))
                .withArtifacts(List.of("SourceOutput", "Notes"), List.of("BuildOutput", "Report"));
        endpoint.addJob(job);
        jobId = job.jobId();
        s3proxy.noteKeys(endpoint.jobData(jobId));
        S3RequestRecorder.REQUESTS.clear();
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.close();
        s3proxy.close();
        FakeArtifactStore.assertNoArtifactSecretPrinted(runs);
    }

    /** Runs the command against both endpoints: CodePipeline by --endpoint-url, S3 as {@code s3Option} says. */
    private Run run(boolean s3Option, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", endpoint.endpoint().toString()));
        if (s3Option) {
            all.addAll(List.of("--s3-endpoint-url", s3.toString()));
        }
        Run run = cli.run(all.toArray(String[]::new));
        runs.add(run);
        return run;
    }

    private static byte[] sourceZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry dir = new ZipArchiveEntry("src/empty/");
            dir.setUnixMode(040755);
            zip.putArchiveEntry(dir);
            zip.closeArchiveEntry();
            ZipArchiveEntry script = new ZipArchiveEntry("src/nested/build.sh");
            script.setUnixMode(0100755);
            zip.putArchiveEntry(script);
            zip.write("#!/bin/sh\necho built\n".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
            ZipArchiveEntry readme = new ZipArchiveEntry("README.txt");
            readme.setUnixMode(0100644);
            zip.putArchiveEntry(readme);
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void getThenPutRoundTrip() throws Exception {
        s3proxy.putObject("SourceOutput", sourceZip());
        s3proxy.putObject("Notes", "just notes\n".getBytes(StandardCharsets.UTF_8));
        Path in = tmp.resolve("in");

        Run get = run(true, "artifacts", "get", "--job-id", jobId, "--dir", in.toString());
        assertEquals(ExitCodes.DELIVERED, get.exitCode(), get::toString);
        String nl = System.lineSeparator();
        assertEquals("SourceOutput=" + in.resolve("SourceOutput") + nl + "Notes=" + in.resolve("Notes") + nl,
                get.out());
        Path source = in.resolve("SourceOutput");
        assertEquals("hello", Files.readString(source.resolve("README.txt")));
        assertTrue(Files.isDirectory(source.resolve("src/empty")));
        Path script = source.resolve("src/nested/build.sh");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
        assertEquals("just notes\n", Files.readString(in.resolve("Notes/Notes")));
        assertTrue(get.err().contains("Downloaded input artifact 'SourceOutput'"), get::toString);
        // GetJobDetails with the command line's credentials, S3 with the job's
        FakeCodePipeline.RecordedRequest details = endpoint.requests("GetJobDetails").get(0);
        assertEquals("AKIDTEST", details.accessKeyId());
        List<S3RequestRecorder.Request> gets = S3RequestRecorder.requests("GetObject");
        assertEquals(2, gets.size());
        for (S3RequestRecorder.Request request : gets) {
            assertTrue(request.header("Authorization").contains("Credential="
                    + FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID + "/"), request::toString);
            assertEquals(FakeCodePipeline.ARTIFACT_SESSION_TOKEN, request.header("x-amz-security-token"));
        }

        Path report = tmp.resolve("report.txt");
        Files.writeString(report, "all green");
        Run put = run(true, "artifacts", "put", "--job-id", jobId, "BuildOutput=" + source, "Report=" + report);
        assertEquals(ExitCodes.DELIVERED, put.exitCode(), put::toString);
        assertEquals("BuildOutput=" + s3proxy.s3Uri("BuildOutput") + nl + "Report=" + s3proxy.s3Uri("Report") + nl,
                put.out());
        Map<String, String> zipped = FakeArtifactStore.zipEntries(s3proxy.object("BuildOutput"));
        assertEquals("hello", zipped.get("README.txt"));
        assertEquals("#!/bin/sh\necho built\n", zipped.get("src/nested/build.sh"));
        assertEquals("<dir>", zipped.get("src/empty/"));
        assertEquals("all green", new String(s3proxy.object("Report"), StandardCharsets.UTF_8));

        List<S3RequestRecorder.Request> uploads = S3RequestRecorder.requests("PutObject");
        assertEquals(2, uploads.size());
        for (S3RequestRecorder.Request request : uploads) {
            assertEquals("aws:kms", request.header("x-amz-server-side-encryption"), request::toString);
            assertEquals(KMS_KEY, request.header("x-amz-server-side-encryption-aws-kms-key-id"));
            assertEquals(FakeCodePipeline.ARTIFACT_SESSION_TOKEN, request.header("x-amz-security-token"));
        }
        assertTrue(put.err().contains("with key " + KMS_KEY), put::toString);
    }

    @Test
    void aMissingOutputIsRefusedBeforeAnyUpload() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(dir.resolve("a.txt"), "a");
        Run put = run(true, "artifacts", "put", "--job-id", jobId, "BuildOutput=" + dir);
        assertEquals(ExitCodes.NOT_DELIVERED, put.exitCode(), put::toString);
        assertTrue(put.err().contains("declares the output artifact 'Report' but no path was given"),
                put::toString);
        assertTrue(put.err().contains("Nothing was uploaded"), put::toString);
        assertEquals("", put.out());
        assertTrue(S3RequestRecorder.REQUESTS.isEmpty(), () -> "S3 was called: " + S3RequestRecorder.REQUESTS);
        assertNull(s3proxy.object("BuildOutput"));

        Run unknown = run(true, "artifacts", "put", "--job-id", jobId, "BuildOutput=" + dir, "Report=" + dir,
                "Other=" + dir);
        assertEquals(ExitCodes.NOT_DELIVERED, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("The job declares no output artifact 'Other'. Its output artifacts are "
                + "'BuildOutput', 'Report'"), unknown::toString);
        assertTrue(S3RequestRecorder.REQUESTS.isEmpty());
    }

    @Test
    void namedArtifactOnlyAndTheS3EndpointFromTheEnvironment() throws Exception {
        s3proxy.putObject("SourceOutput", sourceZip());
        cli.env("AWS_ENDPOINT_URL_S3", s3.toString()).env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        Path in = tmp.resolve("in");
        Run get = run(false, "artifacts", "get", "--job-id", jobId, "--dir", in.toString(),
                "--artifact", "SourceOutput");
        assertEquals(ExitCodes.DELIVERED, get.exitCode(), get::toString);
        assertTrue(Files.isRegularFile(in.resolve("SourceOutput/README.txt")));
        assertFalse(Files.exists(in.resolve("Notes")));

        Run unknown = run(false, "artifacts", "get", "--job-id", jobId, "--dir", in.toString(),
                "--artifact", "Nope");
        assertEquals(ExitCodes.NOT_DELIVERED, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("The job has no input artifact 'Nope'. Its input artifacts are "
                + "'SourceOutput', 'Notes'"), unknown::toString);
        assertTrue(unknown.err().contains("Nothing was downloaded"), unknown::toString);

        Run twice = run(false, "artifacts", "get", "--job-id", jobId, "--artifact", "Notes", "--artifact", "Notes");
        assertEquals(ExitCodes.REFUSED_LOCALLY, twice.exitCode(), twice::toString);
        assertTrue(twice.err().contains("--artifact Notes is given twice"), twice::toString);
    }

    @Test
    void aMissingInputObjectFailsNamingTheArtifact() {
        Run get = run(true, "artifacts", "get", "--job-id", jobId, "--dir", tmp.resolve("in").toString());
        assertEquals(ExitCodes.NOT_DELIVERED, get.exitCode(), get::toString);
        assertTrue(get.err().contains("SourceOutput") && get.err().contains(s3proxy.key("SourceOutput")),
                get::toString);
        assertEquals("", get.out());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        Run noPath = run(true, "artifacts", "put", "--job-id", jobId, "BuildOutput=" + tmp.resolve("absent"));
        assertEquals(ExitCodes.REFUSED_LOCALLY, noPath.exitCode(), noPath::toString);
        assertTrue(noPath.err().contains("neither a directory nor a file"), noPath::toString);
        Run noPair = run(true, "artifacts", "put", "--job-id", jobId, "BuildOutput");
        assertEquals(ExitCodes.REFUSED_LOCALLY, noPair.exitCode(), noPair::toString);
        Run noJob = run(true, "artifacts", "get");
        assertEquals(ExitCodes.REFUSED_LOCALLY, noJob.exitCode(), noJob::toString);
        assertTrue(noJob.err().contains("CODEPIPELINE_JOB_ID"), noJob::toString);
        Run badS3 = run(false, "artifacts", "get", "--job-id", jobId, "--s3-endpoint-url", "ftp://x");
        assertEquals(ExitCodes.REFUSED_LOCALLY, badS3.exitCode(), badS3::toString);
        Run unknownOption = run(true, "artifacts", "get", "--job-id", jobId, "--bogus");
        assertEquals(ExitCodes.REFUSED_LOCALLY, unknownOption.exitCode(), unknownOption::toString);
        assertTrue(endpoint.requests().isEmpty(), "nothing may reach CodePipeline");
        assertTrue(S3RequestRecorder.REQUESTS.isEmpty());
        assertEquals(0, cli.credentials.built.get());
    }

    @Test
    void theJobIdComesFromTheEnvironment() throws Exception {
        s3proxy.putObject("SourceOutput", sourceZip());
        s3proxy.putObject("Notes", new byte[] {1, 2, 3});
        cli.env("CODEPIPELINE_JOB_ID", jobId);
        Run get = run(true, "artifacts", "get", "--dir", tmp.resolve("in").toString());
        assertEquals(ExitCodes.DELIVERED, get.exitCode(), get::toString);
        assertEquals(jobId, endpoint.requests("GetJobDetails").get(0).jobId());
    }
}
