package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.Shell;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Builds started for CodePipeline jobs, as the job worker starts them: the steps and the freestyle builder and
 * recorder take the build's own job (no jobId, region or credentials given), and the automatic report is a success
 * only when the declared outputs were uploaded; an upload that fails, or outputs nobody uploaded, fail the job with
 * the reason.
 */
@WithJenkins
class JobBuildArtifactsTest extends ArtifactsTestSupport {

    @Test
    void aPipelineBuildGetsItsInputsAndIsReportedSuccessfulAfterItsOutputsAreUploaded() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of("BuildOutput"));
        putInput(job, "SourceOutput", Archives.of().file("hello.txt", "hello").zip());
        WorkflowJob pipeline = pipeline("app", "node {\n"
                + "  def dirs = codePipelineInputArtifacts()\n"
                + "  writeFile file: 'out/result.txt', text: readFile(dirs.SourceOutput + '/hello.txt') + ' processed'\n"
                + "  codePipelineOutputArtifacts artifacts: [[name: 'BuildOutput', path: 'out']]\n"
                + "}");

        startBuildFor(pipeline, job);
        WorkflowRun run = j.assertBuildStatusSuccess(awaitBuildOf(pipeline, job));

        RecordedRequest result = awaitOnlyResult(job);
        assertEquals("PutJobSuccessResult", result.operation(), result.body());
        assertEquals("hello processed", Archives.entry(Archives.readZip(downloadOutput(job, "BuildOutput")),
                "result.txt").content());
        assertEquals(Set.of("BuildOutput"), CodePipelineArtifactsAction.uploadedOutputs(run, job.jobId()));
        assertTrue(getJobDetailsCalls(job) >= 2, "each step took the artifact credentials from GetJobDetails");
    }

    @Test
    void aBuildThatEndsWithoutUploadingTheDeclaredOutputsIsAConfigurationErrorNamingThem() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput", "Docs"));
        WorkflowJob pipeline = pipeline("app", "echo 'built, but uploaded nothing'");

        startBuildFor(pipeline, job);
        awaitBuildOf(pipeline, job);

        RecordedRequest result = awaitOnlyResult(job);
        assertEquals("PutJobFailureResult", result.operation(), "never a success: " + result.body());
        assertTrue(result.body().contains("\"type\":\"ConfigurationError\""), result.body());
        assertTrue(result.body().contains("BuildOutput, Docs"), result.body());
        assertTrue(result.body().contains("codePipelineOutputArtifacts"), result.body());
    }

    @Test
    void anUploadThatFailsFailsTheBuildAndTheJobWithTheReason() throws Exception {
        FakeJob job = addJob("app", List.of(), List.of("BuildOutput"));
        s3.deleteBucket(BUCKET); // the upload gets NoSuchBucket
        WorkflowJob pipeline = pipeline("app", "node {\n"
                + "  writeFile file: 'out/a.txt', text: 'a'\n"
                + "  codePipelineOutputArtifacts artifacts: [[name: 'BuildOutput', path: 'out']]\n"
                + "}");

        startBuildFor(pipeline, job);
        WorkflowRun run = j.assertBuildStatus(Result.FAILURE, awaitBuildOf(pipeline, job));

        j.assertLogContains("The artifact bucket " + BUCKET + " of the output artifact 'BuildOutput'", run);
        j.assertLogNotContains("ProxyException", run);
        RecordedRequest result = awaitOnlyResult(job);
        assertEquals("PutJobFailureResult", result.operation(), "never a success: " + result.body());
        assertTrue(result.body().contains("\"type\":\"JobFailed\""), result.body());
        assertTrue(result.body().contains(BUCKET), "the job's failure says why: " + result.body());
        assertTrue(CodePipelineArtifactsAction.uploadedOutputs(run, job.jobId()).isEmpty());
    }

    @Test
    void aFreestyleBuildGetsItsInputsWithTheBuilderAndUploadsWithTheRecorder() throws Exception {
        FakeJob job = addJob("fs", List.of("SourceOutput"), List.of("BuildOutput"));
        putInput(job, "SourceOutput", Archives.of().dir("bin").file("bin/make.sh", "#!/bin/sh\necho made\n", 0755)
                .zip());
        FreeStyleProject project = j.createFreeStyleProject("fs");
        project.getBuildersList().add(new CodePipelineInputArtifactsBuilder());
        project.getBuildersList().add(new Shell("mkdir -p out && codepipeline/input/SourceOutput/bin/make.sh > out/made.txt"));
        CaptureEnvironmentBuilder environment = new CaptureEnvironmentBuilder();
        project.getBuildersList().add(environment);
        CodePipelineOutputArtifactsRecorder recorder = new CodePipelineOutputArtifactsRecorder();
        recorder.setArtifacts(List.of(new OutputArtifact("BuildOutput", "out")));
        project.getPublishersList().add(recorder);

        startBuildFor(project, job);
        FreeStyleBuild build = j.assertBuildStatusSuccess(awaitBuildOf(project, job));

        j.assertLogContains("Downloaded input artifact 'SourceOutput' (zip", build);
        j.assertLogContains("Uploaded output artifact 'BuildOutput' (zip", build);
        RecordedRequest result = awaitOnlyResult(job);
        assertEquals("PutJobSuccessResult", result.operation(), result.body());
        assertEquals("made\n", Archives.entry(Archives.readZip(downloadOutput(job, "BuildOutput")), "made.txt")
                .content(), "the executable from the input ran, and its output was uploaded");
        EnvVars env = environment.getEnvVars();
        assertEquals(job.jobId(), env.get("CODEPIPELINE_JOB_ID"));
        for (Map.Entry<String, String> variable : env.entrySet()) {
            assertNoSecret("the environment variable " + variable.getKey(), variable.getValue());
        }
    }

    @Test
    void theRecorderSkipsAFailedBuildWhichFailsTheJob() throws Exception {
        FakeJob job = addJob("fs", List.of(), List.of("BuildOutput"));
        FreeStyleProject project = j.createFreeStyleProject("fs");
        project.getBuildersList().add(new Shell("mkdir -p out && echo partial > out/a.txt"));
        project.getBuildersList().add(new FailureBuilder());
        CodePipelineOutputArtifactsRecorder recorder = new CodePipelineOutputArtifactsRecorder();
        recorder.setArtifacts(List.of(new OutputArtifact("BuildOutput", "out")));
        project.getPublishersList().add(recorder);

        startBuildFor(project, job);
        FreeStyleBuild build = j.assertBuildStatus(Result.FAILURE, awaitBuildOf(project, job));

        j.assertLogContains("Output artifacts not uploaded: the build already ended FAILURE", build);
        j.assertLogNotContains("Uploaded output artifact", build);
        Location output = output(job, "BuildOutput");
        assertFalse(s3.exists(output.bucket(), output.key()), "a failed build's outputs are not uploaded");
        RecordedRequest result = awaitOnlyResult(job);
        assertEquals("PutJobFailureResult", result.operation(), result.body());
        assertTrue(result.body().contains("\"type\":\"JobFailed\""), "the build's failure, not a missing output: "
                + result.body());
    }
}
