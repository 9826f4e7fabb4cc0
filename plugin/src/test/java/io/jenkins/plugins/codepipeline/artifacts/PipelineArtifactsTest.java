package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Round trips through S3Proxy with the Pipeline steps on the built-in node, for a job named by {@code jobId} (a build
 * not started for the job): formats, modes, empty folders, several inputs, {@code dir}, outputs read back from S3, and
 * what is refused before anything is sent.
 */
@WithJenkins
class PipelineArtifactsTest extends ArtifactsTestSupport {

    @Test
    void aZipWithNestedAndEmptyFoldersAndAnExecutableBitArrivesInCodepipelineInput() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of());
        putInput(job, "SourceOutput", Archives.of()
                .dir("src").dir("src/main").dir("src/main/java").dir("src/main/java/deep")
                .file("src/main/java/deep/App.java", "class App {}\n")
                .dir("empty")
                .dir("bin").file("bin/tool.sh", "#!/bin/sh\necho tool\n", 0755)
                .file("README.md", "# readme\n", 0644)
                .zip());

        WorkflowRun run = run(pipeline("zip", "node {\n"
                + "  writeFile file: 'codepipeline/input/SourceOutput/stale.txt', text: 'from an earlier build'\n"
                + "  def dirs = codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "  echo \"DIRS=${dirs}\"\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "}"), Result.SUCCESS);

        j.assertLogContains("DIRS=[SourceOutput:codepipeline/input/SourceOutput]", run);
        j.assertLogContains("Downloaded input artifact 'SourceOutput' (zip", run);
        j.assertLogContains(input(job, "SourceOutput").url(), run);
        Path dir = workspace(run).resolve("codepipeline/input/SourceOutput");
        assertEquals("class App {}\n", read(dir.resolve("src/main/java/deep/App.java")), listing(dir).toString());
        assertTrue(Files.isDirectory(dir.resolve("empty")), "the empty folder is made: " + listing(dir));
        try (Stream<Path> content = Files.list(dir.resolve("empty"))) {
            assertEquals(0, content.count());
        }
        assertTrue(executable(dir.resolve("bin/tool.sh")), "the executable bit is kept");
        assertFalse(executable(dir.resolve("README.md")), "a plain file stays plain");
        assertFalse(Files.exists(dir.resolve("stale.txt")), "the target directory was emptied first");
    }

    @Test
    void aTarGzAZipAndASingleFileGoSideBySide() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput", "Tools", "Notes"), List.of());
        putInput(job, "SourceOutput", Archives.of()
                .dir("lib").dir("lib/nested").file("lib/nested/a.txt", "tar content\n")
                .file("run.sh", "#!/bin/sh\necho run\n", 0755)
                .dir("empty")
                .tarGz());
        putInput(job, "Tools", Archives.of().file("tool.txt", "zip content\n").zip());
        putInput(job, "Notes", "just a file\n".getBytes(StandardCharsets.UTF_8));

        WorkflowRun run = run(pipeline("formats", "node {\n"
                + "  def dirs = codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "  echo \"DIRS=${dirs}\"\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "}"), Result.SUCCESS);

        j.assertLogContains("DIRS=[SourceOutput:codepipeline/input/SourceOutput, Tools:codepipeline/input/Tools, "
                + "Notes:codepipeline/input/Notes]", run);
        j.assertLogContains("Downloaded input artifact 'SourceOutput' (tar.gz", run);
        j.assertLogContains("Downloaded input artifact 'Tools' (zip", run);
        j.assertLogContains("Downloaded input artifact 'Notes' (file", run);
        Path inputs = workspace(run).resolve("codepipeline/input");
        assertEquals("tar content\n", read(inputs.resolve("SourceOutput/lib/nested/a.txt")), listing(inputs).toString());
        assertTrue(executable(inputs.resolve("SourceOutput/run.sh")), "a tar keeps the executable bit");
        assertTrue(Files.isDirectory(inputs.resolve("SourceOutput/empty")));
        assertEquals("zip content\n", read(inputs.resolve("Tools/tool.txt")));
        assertEquals("just a file\n", read(inputs.resolve("Notes/Notes")), "a single file is saved as is, "
                + "named after the artifact: " + listing(inputs));
    }

    @Test
    void dirTakesOneArtifactItselfAndSeveralSideBySide() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput", "Tools"), List.of());
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        putInput(job, "Tools", Archives.of().file("tool.txt", "tool\n").zip());

        WorkflowRun run = run(pipeline("dirs", "node {\n"
                + "  def one = codePipelineInputArtifacts " + jobArguments(job) + ", artifacts: ['Tools'], dir: 'deps'\n"
                + "  def both = codePipelineInputArtifacts " + jobArguments(job)
                + ", artifacts: ['SourceOutput', 'Tools'], dir: 'in'\n"
                + "  echo \"ONE=${one}\"\n"
                + "  echo \"BOTH=${both}\"\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "}"), Result.SUCCESS);

        j.assertLogContains("ONE=[Tools:deps]", run);
        j.assertLogContains("BOTH=[SourceOutput:in/SourceOutput, Tools:in/Tools]", run);
        Path workspace = workspace(run);
        assertEquals("tool\n", read(workspace.resolve("deps/tool.txt")), listing(workspace).toString());
        assertEquals("source\n", read(workspace.resolve("in/SourceOutput/src.txt")));
        assertEquals("tool\n", read(workspace.resolve("in/Tools/tool.txt")));
        assertFalse(Files.exists(workspace.resolve("codepipeline/input")), "nothing went to the default place");
        assertFalse(Files.exists(workspace.resolve("deps/SourceOutput")), "only the named artifact was downloaded");
    }

    @Test
    void aDirThatIsTheWorkspaceOrLeadsOutOfItIsRefusedBeforeAnythingIsSent() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of());
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        String[] dirs = {".", "../outside", "/tmp/codepipeline-artifacts-test-outside", "a/../.."};
        for (int i = 0; i < dirs.length; i++) {
            WorkflowRun run = run(pipeline("dir" + i, "node {\n"
                    + "  writeFile file: 'keep.txt', text: 'kept'\n"
                    + "  echo \"WORKSPACE=${pwd()}\"\n"
                    + "  codePipelineInputArtifacts " + jobArguments(job) + ", dir: '" + dirs[i] + "'\n"
                    + "}"), Result.FAILURE);
            // the job's name (dir0...) is in the workspace path: look for the error's own words
            j.assertLogContains("dir '" + dirs[i] + "' ", run);
            j.assertLogContains(i == 0 ? "is the workspace itself" : i == 2 ? "is absolute" : "leads out of the workspace",
                    run);
            j.assertLogNotContains("Downloaded input artifact", run);
            Path workspace = workspace(run);
            assertEquals("kept", read(workspace.resolve("keep.txt")), "dir '" + dirs[i] + "' left the workspace alone");
            assertFalse(Files.exists(workspace.resolveSibling("outside")));
            assertFalse(Files.exists(Path.of("/tmp/codepipeline-artifacts-test-outside")));
        }
        assertTrue(requests("GetObject").isEmpty(), "nothing was downloaded: " + requests);
    }

    @Test
    void anUnknownInputArtifactIsNamedWithTheJobsInputs() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput", "Tools"), List.of());
        WorkflowRun run = run(pipeline("unknown", "node {\n"
                + "  codePipelineInputArtifacts " + jobArguments(job) + ", artifacts: ['Nope']\n"
                + "}"), Result.FAILURE);
        j.assertLogContains("The job has no input artifact 'Nope'. Its input artifacts are 'SourceOutput', 'Tools'.",
                run);
        assertTrue(requests("GetObject").isEmpty(), "nothing was downloaded: " + requests);
    }

    @Test
    void aDirectoryIsZippedWithModesAndEmptyFoldersAndAFileIsSentAsIs() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput", "Report"));
        WorkflowRun run = run(pipeline("outputs", "node {\n"
                + "  writeFile file: 'target/app/lib/deep/x.txt', text: 'x content'\n"
                + "  writeFile file: 'target/app/bin/run.sh', text: 'echo run'\n"
                + "  sh 'chmod 755 target/app/bin/run.sh && chmod 644 target/app/lib/deep/x.txt && mkdir -p target/app/empty'\n"
                + "  writeFile file: 'report.json', text: '{\"ok\":true}'\n"
                + "  def urls = codePipelineOutputArtifacts " + jobArguments(job) + ",\n"
                + "      artifacts: [[name: 'BuildOutput', path: 'target/app'], [name: 'Report', path: 'report.json']]\n"
                + "  echo \"URLS=${urls}\"\n"
                + "}"), Result.SUCCESS);

        Location buildOutput = output(job, "BuildOutput");
        Location report = output(job, "Report");
        j.assertLogContains("URLS=[BuildOutput:" + buildOutput.url() + ", Report:" + report.url() + "]", run);
        j.assertLogContains("Uploaded output artifact 'BuildOutput' (zip", run);
        j.assertLogContains("Uploaded output artifact 'Report'", run);

        Map<String, Archives.ReadEntry> zip = Archives.readZip(downloadOutput(job, "BuildOutput"));
        assertEquals("x content", Archives.entry(zip, "lib/deep/x.txt").content(), "entries are relative to the "
                + "directory: " + zip.keySet());
        assertTrue(Archives.entry(zip, "bin/run.sh").executable(), "the zip keeps the executable bit");
        assertFalse(Archives.entry(zip, "lib/deep/x.txt").executable());
        assertTrue(Archives.entry(zip, "empty/").directory(), "the empty folder has its entry");
        assertEquals("{\"ok\":true}", new String(s3.get(report.bucket(), report.key()), StandardCharsets.UTF_8),
                "a single file is uploaded unchanged");

        assertEquals(Set.of("BuildOutput", "Report"), CodePipelineArtifactsAction.uploadedOutputs(run, job.jobId()));
        CodePipelineArtifactsAction action = run.getAction(CodePipelineArtifactsAction.class);
        assertNotNull(action);
        String xml = Run.XSTREAM2.toXML(action);
        assertTrue(xml.contains(buildOutput.url()), xml);
        assertNoSecret("the build's artifacts record", xml);
        CodePipelineArtifactsAction reloaded = (CodePipelineArtifactsAction) Run.XSTREAM2.fromXML(xml);
        assertEquals(Set.of("BuildOutput", "Report"), reloaded.uploadedOutputs(job.jobId()));
    }

    @Test
    void aDeclaredOutputLeftOutFailsTheStepNamingItAndNothingIsSent() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput", "Docs"));
        WorkflowRun run = run(pipeline("missing", "node {\n"
                + "  writeFile file: 'out/a.txt', text: 'a'\n"
                + "  codePipelineOutputArtifacts " + jobArguments(job) + ", artifacts: [[name: 'BuildOutput', path: 'out']]\n"
                + "}"), Result.FAILURE);
        j.assertLogContains("The job declares the output artifact 'Docs' but no path was given for it", run);
        j.assertLogNotContains("Uploaded output artifact", run);
        assertNothingUploaded(job, "BuildOutput");
    }

    @Test
    void anUndeclaredOutputIsNamedWithTheDeclaredOnes() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput"));
        WorkflowRun run = run(pipeline("undeclared", "node {\n"
                + "  writeFile file: 'out/a.txt', text: 'a'\n"
                + "  codePipelineOutputArtifacts " + jobArguments(job)
                + ", artifacts: [[name: 'BuildOutput', path: 'out'], [name: 'Extra', path: 'out']]\n"
                + "}"), Result.FAILURE);
        j.assertLogContains("The job declares no output artifact 'Extra'. Its output artifacts are 'BuildOutput'.",
                run);
        assertNothingUploaded(job, "BuildOutput");
    }

    @Test
    void anOutputPathThatDoesNotExistIsNamed() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput"));
        WorkflowRun run = run(pipeline("nothing-there", "node {\n"
                + "  codePipelineOutputArtifacts " + jobArguments(job)
                + ", artifacts: [[name: 'BuildOutput', path: 'target/not-built']]\n"
                + "}"), Result.FAILURE);
        j.assertLogContains("target/not-built does not exist in the workspace", run);
        assertNothingUploaded(job, "BuildOutput");
    }

    @Test
    void theS3EndpointOfTheBuildsEnvironmentWinsOverTheGlobalOne() throws Exception {
        // The global override leads nowhere (a closed port): only AWS_ENDPOINT_URL_S3 of the build reaches S3Proxy.
        CodePipelineJobWorkerConfiguration.get().setS3EndpointUrl("http://127.0.0.1:9");
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of());
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        WorkflowRun run = run(pipeline("environment", "node {\n"
                + "  withEnv(['AWS_ENDPOINT_URL_S3=" + s3.endpoint() + "']) {\n"
                + "    codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "  }\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "}"), Result.SUCCESS);
        assertEquals("source\n", read(workspace(run).resolve("codepipeline/input/SourceOutput/src.txt")));
    }

    @Test
    void uploadsAskForSseKmsWithTheJobsKeyAndEveryRequestCarriesTheArtifactCredentials() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of("BuildOutput"));
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        run(pipeline("kms", "node {\n"
                + "  def dirs = codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "  codePipelineOutputArtifacts " + jobArguments(job)
                + ", artifacts: [[name: 'BuildOutput', path: dirs.SourceOutput]]\n"
                + "}"), Result.SUCCESS);

        List<S3Request> uploads = requests.stream()
                .filter(r -> r.operation().equals("PutObject") || r.operation().equals("CreateMultipartUpload"))
                .toList();
        assertFalse(uploads.isEmpty(), "the upload went through this JVM: " + requests);
        for (S3Request upload : uploads) {
            assertEquals("aws:kms", upload.header("x-amz-server-side-encryption"), upload.toString());
            assertEquals(KMS_KEY, upload.header("x-amz-server-side-encryption-aws-kms-key-id"), upload.toString());
        }
        assertFalse(requests("GetObject").isEmpty(), "the download went through this JVM: " + requests);
        for (S3Request request : requests) {
            assertEquals(FakeCodePipeline.ARTIFACT_SESSION_TOKEN,
                    request.header("x-amz-security-token"), request.operation() + " carries the session token");
            assertTrue(String.valueOf(request.header("Authorization")).contains(
                    "Credential=" + FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID
                    + "/"), request.operation() + " is signed with the job's artifact credentials, not the plugin's: "
                    + request.header("Authorization"));
        }
        Map<String, Archives.ReadEntry> zip = Archives.readZip(downloadOutput(job, "BuildOutput"));
        assertEquals("source\n", Archives.entry(zip, "src.txt").content());
    }

    @Test
    void anExpiredTokenOnADownloadIsRenewedAndTheDownloadGoesOnWithTheArtifactThatWasCutOff() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput", "Tools"), List.of());
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        putInput(job, "Tools", Archives.of().file("tool.txt", "tool\n").zip());
        // the second artifact's first GET is refused as expired, once
        answer = (operation, before) -> operation.equals("GetObject") && before == 1 ? expiredToken() : null;

        WorkflowRun run = run(pipeline("expired-download", "node {\n"
                + "  codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "}"), Result.SUCCESS);

        assertEquals(2, getJobDetailsCalls(job), "GetJobDetails once at the start, once to renew the credentials");
        assertEquals(3, requests("GetObject").size(), "the first artifact is not downloaded again, the second is "
                + "asked for again after the renewal: " + requests);
        Path inputs = workspace(run).resolve("codepipeline/input");
        assertEquals("source\n", read(inputs.resolve("SourceOutput/src.txt")), listing(inputs).toString());
        assertEquals("tool\n", read(inputs.resolve("Tools/tool.txt")), listing(inputs).toString());
        assertNoSecret("the build log", JenkinsRule.getLog(run));
    }

    @Test
    void anExpiredTokenOnAnUploadIsRenewedAndTheUploadGoesOn() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput"));
        AtomicBoolean answered = new AtomicBoolean();
        answer = (operation, before) -> Set.of("PutObject", "CreateMultipartUpload", "UploadPart").contains(operation)
                && answered.compareAndSet(false, true) ? expiredToken() : null;

        run(pipeline("expired-upload", "node {\n"
                + "  writeFile file: 'out/result.txt', text: 'result'\n"
                + "  codePipelineOutputArtifacts " + jobArguments(job) + ", artifacts: [[name: 'BuildOutput', path: 'out']]\n"
                + "}"), Result.SUCCESS);

        assertTrue(answered.get(), "an upload request was answered ExpiredToken: " + requests);
        assertEquals(2, getJobDetailsCalls(job), "GetJobDetails once at the start, once to renew the credentials");
        assertEquals("result", Archives.entry(Archives.readZip(downloadOutput(job, "BuildOutput")), "result.txt")
                .content());
    }

    @Test
    void credentialsThatStayExpiredEndTheStepAfterAFewRenewals() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of());
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        answer = (operation, before) -> operation.equals("GetObject") ? expiredToken() : null;

        WorkflowRun run = run(pipeline("always-expired", "node {\n"
                + "  codePipelineInputArtifacts " + jobArguments(job) + "\n"
                + "}"), Result.FAILURE);

        assertEquals(1 + ArtifactTransferSession.MAX_RENEWALS, getJobDetailsCalls(job),
                "GetJobDetails once at the start, then once per renewal, " + ArtifactTransferSession.MAX_RENEWALS
                + " renewals at most");
        assertEquals(1 + ArtifactTransferSession.MAX_RENEWALS, requests("GetObject").size(), requests.toString());
        j.assertLogContains("expired again while downloading input artifact 'SourceOutput', after "
                + ArtifactTransferSession.MAX_RENEWALS + " renewals", run);
        assertNoSecret("the build log", JenkinsRule.getLog(run));
    }

    private void assertNothingUploaded(FakeJob job, String name) throws Exception {
        Location location = output(job, name);
        assertFalse(s3.exists(location.bucket(), location.key()), name + " was not uploaded");
        assertTrue(requests.stream().noneMatch(r -> Set.of("PutObject", "CreateMultipartUpload", "UploadPart")
                .contains(r.operation())), "nothing was sent: " + requests);
    }
}
