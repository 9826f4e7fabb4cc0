package io.jenkins.plugins.codepipeline.worker.build;

import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.CONNECTION;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitBuild;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitResult;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitSettled;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.buildUntilSettled;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.onlyResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.Executor;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.StringParameterDefinition;
import io.jenkins.plugins.codepipeline.CodePipelineJobResultPublisher;
import io.jenkins.plugins.codepipeline.CodePipelineReportsAction;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.ExecutionIds;
import io.jenkins.plugins.codepipeline.core.worker.JobEnvironment;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockBuilder;
import org.jvnet.hudson.test.SleepBuilder;
import org.jvnet.hudson.test.UnstableBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Builds started for CodePipeline jobs, as the trigger starts them ({@link JobBuildScheduler#schedule}), against
 * core's in-process CodePipeline endpoint.
 */
@WithJenkins
class JobBuildSchedulerTest extends BuildTestSupport {
    @Test
    void aFreestyleBuildGetsTheJobsEnvironmentAndItsSuccessIsReported() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        project.getBuildersList().add(capture);
        ReceivedJob job = BuildTestSupport.job();

        FreeStyleBuild build = j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));

        EnvVars env = capture.getEnvVars();
        assertEquals(job.jobId(), env.get(JobEnvironment.JOB_ID));
        assertEquals(BuildTestSupport.REGION, env.get(JobEnvironment.REGION));
        assertEquals("123456789012", env.get(JobEnvironment.ACCOUNT_ID));
        assertEquals("demo", env.get(JobEnvironment.PIPELINE_NAME));
        assertEquals(job.pipeline().pipelineExecutionId(), env.get(JobEnvironment.PIPELINE_EXECUTION_ID));
        assertEquals("Build", env.get(JobEnvironment.STAGE_NAME));
        assertEquals("Jenkins", env.get(JobEnvironment.ACTION_NAME));
        assertEquals(job.pipeline().actionExecutionId(), env.get(JobEnvironment.ACTION_EXECUTION_ID));
        assertEquals("app", env.get("CODEPIPELINE_CONFIG_ProjectName"));
        assertNull(env.get("CODEPIPELINE_CONFIG_" + BuildTestSupport.SECRET_PROPERTY), "a secret property is not set");
        assertEquals(BuildTestSupport.INPUT, env.get(JobEnvironment.INPUT_ARTIFACTS));
        assertEquals(BuildTestSupport.INPUT_REVISION, env.get("CODEPIPELINE_INPUT_REVISION_" + BuildTestSupport.INPUT));
        assertNull(env.get(JobEnvironment.CONTINUATION_TOKEN));
        for (String value : env.values()) {
            BuildTestSupport.assertNoSecret("the environment", value);
        }

        CodePipelineJobCause cause = build.getCause(CodePipelineJobCause.class);
        assertNotNull(cause);
        assertEquals(job.jobId(), cause.getJobId());
        j.assertLogContains("Started by AWS CodePipeline: pipeline demo, execution "
                + job.pipeline().pipelineExecutionId() + ", stage Build, action Jenkins", build);

        RecordedRequest result = onlyResult(endpoint, job.jobId());
        assertEquals("PutJobSuccessResult", result.operation());
        assertEquals(BuildTestSupport.REGION, result.region());
        assertEquals(BuildTestSupport.ACCESS_KEY, result.accessKeyId());
        assertTrue(result.body().contains("\"externalExecutionId\":\"" + ExecutionIds.encode("app", 1) + "\""),
                result.body());
        assertTrue(result.body().contains("SUCCESS"), result.body());

        CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
        assertTrue(action.isReported());
        assertEquals(AutomaticReport.REPORTER, action.getReportedBy());
        assertEquals("success", action.getReportedResult());
        assertEquals(result.requestId(), action.getReportRequestId());
        assertTrue(action.getConsoleUrl().startsWith("https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/"
                + "pipelines/demo/executions/" + job.pipeline().pipelineExecutionId() + "/timeline?region=eu-west-1"),
                action.getConsoleUrl());
        assertEquals(0, InFlightJobs.get().countFor(project));
        // The build page shows the job, a link to its execution, and its result.
        String page = j.createWebClient().getPage(build).getWebResponse().getContentAsString();
        assertTrue(page.contains("AWS CodePipeline job"), page);
        assertTrue(page.contains("codesuite/codepipeline/pipelines/demo/executions/"
                + job.pipeline().pipelineExecutionId()), page);
        assertTrue(page.contains(result.requestId()), page);
    }

    @Test
    void aJobDeclaringAnOutputArtifactNamesItAndFailsWhenTheBuildUploadsNothing() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        project.getBuildersList().add(capture);
        ReceivedJob job = BuildTestSupport.jobDeclaringOutput();

        j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));

        assertEquals(BuildTestSupport.OUTPUT, capture.getEnvVars().get(JobEnvironment.OUTPUT_ARTIFACTS));
        // A success would send the next stage looking for an artifact that is not there.
        RecordedRequest result = onlyResult(endpoint, job.jobId());
        assertEquals("PutJobFailureResult", result.operation());
        assertTrue(result.body().contains("ConfigurationError"), result.body());
        assertTrue(result.body().contains(BuildTestSupport.OUTPUT), result.body());
    }

    @Test
    void aPipelineBuildGetsTheJobsEnvironmentAndAFollowUpJobItsToken() throws Exception {
        WorkflowJob pipeline = BuildTestSupport.pipeline(j, "pipe", "echo \"id=${env.CODEPIPELINE_JOB_ID} "
                + "pipeline=${env.CODEPIPELINE_PIPELINE_NAME} stage=${env.CODEPIPELINE_STAGE_NAME} "
                + "config=${env.CODEPIPELINE_CONFIG_ProjectName} token=${env.CODEPIPELINE_CONTINUATION_TOKEN} "
                + "inputs=${env.CODEPIPELINE_INPUT_ARTIFACTS}\"");
        ReceivedJob job = BuildTestSupport.job("step-2");

        // A Pipeline build's result is sent in the background: waiting until the job is settled waits for it.
        WorkflowRun run = j.assertBuildStatusSuccess(buildUntilSettled(j, pipeline, job));

        j.assertLogContains("id=" + job.jobId() + " pipeline=demo stage=Build config=app token=step-2 inputs="
                + BuildTestSupport.INPUT, run);
        RecordedRequest result = onlyResult(endpoint, job.jobId());
        assertEquals("PutJobSuccessResult", result.operation());
        assertTrue(result.body().contains("\"externalExecutionId\":\"" + ExecutionIds.encode("pipe", 1) + "\""),
                result.body());
    }

    @Test
    void codePipelineParametersGetTheJobsValuesAndOthersTheirDefaults() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("dispatched");
        project.addProperty(new ParametersDefinitionProperty(
                new StringParameterDefinition(JobEnvironment.JOB_ID, "none"),
                new StringParameterDefinition(JobEnvironment.PIPELINE_NAME, ""),
                new StringParameterDefinition("GREETING", "hello")));
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        project.getBuildersList().add(capture);
        ReceivedJob job = BuildTestSupport.job();

        FreeStyleBuild build = j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));

        ParametersAction parameters = build.getAction(ParametersAction.class);
        assertEquals(job.jobId(), parameters.getParameter(JobEnvironment.JOB_ID).getValue());
        assertEquals("demo", parameters.getParameter(JobEnvironment.PIPELINE_NAME).getValue());
        assertEquals("hello", parameters.getParameter("GREETING").getValue());
        assertEquals(job.jobId(), capture.getEnvVars().get(JobEnvironment.JOB_ID));
        assertEquals("hello", capture.getEnvVars().get("GREETING"));
        assertEquals("PutJobSuccessResult", onlyResult(endpoint, job.jobId()).operation());
    }

    @Test
    void eachBuildResultIsReportedAutomatically() throws Exception {
        Map<String, ReceivedJob> jobs = new LinkedHashMap<>();
        List<Run<?, ?>> builds = new ArrayList<>();
        String[][] cases = {{"failure", "false"}, {"unstable", "false"}, {"unstableAsSuccess", "true"},
            {"notBuilt", "false"}};
        for (String[] c : cases) {
            FreeStyleProject project = j.createFreeStyleProject(c[0]);
            switch (c[0]) {
                case "failure" -> project.getBuildersList().add(new FailureBuilder());
                case "notBuilt" -> project.getBuildersList().add(new MockBuilder(Result.NOT_BUILT));
                default -> project.getBuildersList().add(new UnstableBuilder());
            }
            ReceivedJob job = BuildTestSupport.job();
            jobs.put(c[0], job);
            JobBuildScheduler.schedule(project, job, CONNECTION, Boolean.parseBoolean(c[1]));
            builds.add(awaitBuild(project, job.jobId()));
        }
        FreeStyleProject aborted = j.createFreeStyleProject("aborted");
        aborted.getBuildersList().add(new SleepBuilder(60_000));
        ReceivedJob abortedJob = BuildTestSupport.job();
        jobs.put("aborted", abortedJob);
        JobBuildScheduler.schedule(aborted, abortedJob, CONNECTION, false);
        FreeStyleBuild abortedBuild = awaitBuild(aborted, abortedJob.jobId());
        j.waitForMessage("Sleeping", abortedBuild);
        Executor executor = abortedBuild.getExecutor();
        assertNotNull(executor);
        executor.interrupt();
        builds.add(abortedBuild);
        for (Run<?, ?> build : builds) {
            j.waitForCompletion(build);
        }

        assertFailure(jobs.get("failure"), "FAILURE");
        assertFailure(jobs.get("unstable"), "UNSTABLE");
        assertFailure(jobs.get("notBuilt"), "NOT_BUILT");
        assertFailure(jobs.get("aborted"), "ABORTED");
        RecordedRequest unstableAsSuccess = awaitResult(endpoint, jobs.get("unstableAsSuccess").jobId());
        assertEquals("PutJobSuccessResult", unstableAsSuccess.operation());
        assertTrue(unstableAsSuccess.body().contains("UNSTABLE"), unstableAsSuccess.body());
        for (ReceivedJob job : jobs.values()) {
            awaitSettled(job.jobId());
            onlyResult(endpoint, job.jobId());
        }
    }

    private void assertFailure(ReceivedJob job, String result) throws InterruptedException {
        RecordedRequest request = awaitResult(endpoint, job.jobId());
        assertEquals("PutJobFailureResult", request.operation(), request.body());
        assertTrue(request.body().contains("\"type\":\"JobFailed\""), request.body());
        assertTrue(request.body().contains(result), request.body());
    }

    @Test
    void aStepReportsTheBuildsOwnJobWithNoArgumentsAndNothingIsSentTwice() throws Exception {
        WorkflowJob pipeline = BuildTestSupport.pipeline(j, "reporter",
                "codePipelineJobSuccess outputVariables: [IMAGE_TAG: 'v1.2.3']");
        ReceivedJob job = BuildTestSupport.job();

        WorkflowRun run = j.assertBuildStatusSuccess(buildUntilSettled(j, pipeline, job));

        RecordedRequest result = onlyResult(endpoint, job.jobId());
        assertEquals("PutJobSuccessResult", result.operation());
        assertEquals(BuildTestSupport.REGION, result.region(), "the job's region, not the default");
        assertEquals(BuildTestSupport.ACCESS_KEY, result.accessKeyId(), "the job's credentials");
        assertTrue(result.body().contains("\"outputVariables\":{\"IMAGE_TAG\":\"v1.2.3\"}"), result.body());
        assertTrue(result.body().contains("\"externalExecutionId\":\"" + ExecutionIds.encode("reporter", 1) + "\""),
                result.body());
        j.assertLogContains("region from the build's CodePipeline job", run);

        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        assertEquals("codePipelineJobSuccess", action.getReportedBy());
        assertEquals(1, run.getAction(CodePipelineReportsAction.class).getReports().size());
        // what was reported survives the build record
        CodePipelineJobAction reloaded = (CodePipelineJobAction) Run.XSTREAM2.fromXML(Run.XSTREAM2.toXML(action));
        assertTrue(reloaded.isReported());
        assertEquals(job.jobId(), reloaded.getJobId());
    }

    @Test
    void theFreestyleActionReportsTheBuildsOwnJobAndNothingIsSentTwice() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("freestyle-reporter");
        project.getPublishersList().add(new CodePipelineJobResultPublisher());
        ReceivedJob job = BuildTestSupport.job();

        FreeStyleBuild build = j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));

        assertEquals(BuildTestSupport.REGION, onlyResult(endpoint, job.jobId()).region());
        assertEquals("codePipelineJobResult", build.getAction(CodePipelineJobAction.class).getReportedBy());
    }

    @Test
    void aStepThatCannotReportMakesTheAutomaticResultAFailureWithItsReason() throws Exception {
        WorkflowJob pipeline = BuildTestSupport.pipeline(j, "refused", "codePipelineJobSuccess percentComplete: 101");
        ReceivedJob job = BuildTestSupport.job();

        WorkflowRun run = j.assertBuildStatus(Result.FAILURE, buildUntilSettled(j, pipeline, job));

        RecordedRequest result = onlyResult(endpoint, job.jobId());
        assertEquals("PutJobFailureResult", result.operation());
        assertTrue(result.body().contains("could not report its result"), result.body());
        assertTrue(result.body().contains("percentComplete"), result.body());
        assertNotNull(run.getAction(CodePipelineJobAction.class).getStepFailure());
    }

    @Test
    void twoJobsNeverMergeIntoOneQueueItem() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("busy");
        project.getBuildersList().add(new SleepBuilder(5_000));
        ReceivedJob first = BuildTestSupport.job();
        ReceivedJob second = BuildTestSupport.job();
        ReceivedJob third = BuildTestSupport.job();

        JobBuildScheduler.schedule(project, first, CONNECTION, false);
        j.waitForMessage("Sleeping", awaitBuild(project, first.jobId()));
        // The job does not run builds concurrently: both wait, blocked, and would be merged without the job action.
        JobBuildScheduler.schedule(project, second, CONNECTION, false);
        JobBuildScheduler.schedule(project, third, CONNECTION, false);
        List<Queue.Item> items = j.jenkins.getQueue().getItems(project);
        assertEquals(2, items.size(), items.toString());
        assertNotEquals(items.get(0).getAction(CodePipelineJobAction.class).getJobId(),
                items.get(1).getAction(CodePipelineJobAction.class).getJobId());
        // A second request for the same job joins its item.
        JobBuildScheduler.enqueue(project, items.get(0).getAction(CodePipelineJobAction.class), InFlightJobs.get());
        assertEquals(2, j.jenkins.getQueue().getItems(project).size());

        for (ReceivedJob job : List.of(first, second, third)) {
            j.assertBuildStatusSuccess(j.waitForCompletion(awaitBuild(project, job.jobId())));
            awaitSettled(job.jobId());
            onlyResult(endpoint, job.jobId());
        }
        assertEquals(3, project.getBuilds().size());
    }

    @Test
    void aCancelledQueueItemGetsAFailureThatSaysSo() throws Exception {
        ReceivedJob job = BuildTestSupport.job();
        ReceivedJob other = BuildTestSupport.job();
        FreeStyleProject project = BuildTestSupport.queuedFor(j, "nowhere", job);
        JobBuildScheduler.schedule(project, other, CONNECTION, false);
        List<Queue.Item> items = j.jenkins.getQueue().getItems(project);
        assertEquals(2, items.size(), "two jobs, two items");
        assertEquals(2, InFlightJobs.get().countFor(project));
        for (Queue.Item item : items) {
            assertTrue(j.jenkins.getQueue().cancel(item));
        }

        for (ReceivedJob cancelled : List.of(job, other)) {
            RecordedRequest result = awaitResult(endpoint, cancelled.jobId());
            assertEquals("PutJobFailureResult", result.operation());
            assertTrue(result.body().contains("The queue item was cancelled before it started"), result.body());
            awaitSettled(cancelled.jobId());
            onlyResult(endpoint, cancelled.jobId());
        }
        assertEquals(0, InFlightJobs.get().countFor(project));
    }

    @Test
    void aDeletedJobFailsItsJobsAtOnceWithConfigurationError() throws Exception {
        ReceivedJob queued = BuildTestSupport.job();
        FreeStyleProject project = BuildTestSupport.queuedFor(j, "doomed", queued);
        assertEquals(1, InFlightJobs.get().countFor(project));

        project.delete();

        RecordedRequest result = awaitResult(endpoint, queued.jobId());
        assertEquals("PutJobFailureResult", result.operation());
        assertTrue(result.body().contains("\"type\":\"ConfigurationError\""), result.body());
        assertTrue(result.body().contains("was deleted"), result.body());
        awaitSettled(queued.jobId());
        onlyResult(endpoint, queued.jobId());
    }

    @Test
    void aRenamedJobKeepsItsJobsInFlight() throws Exception {
        ReceivedJob job = BuildTestSupport.job();
        FreeStyleProject project = BuildTestSupport.queuedFor(j, "before", job);
        assertEquals("before", InFlightJobs.get().get(job.jobId()).orElseThrow().owner());

        project.renameTo("after");

        assertEquals("after", InFlightJobs.get().get(job.jobId()).orElseThrow().owner());
        assertEquals(1, InFlightJobs.get().countFor(project));
        project.setAssignedLabel(null);
        j.assertBuildStatusSuccess(j.waitForCompletion(awaitBuild(project, job.jobId())));
        RecordedRequest result = awaitResult(endpoint, job.jobId());
        assertTrue(result.body().contains("\"externalExecutionId\":\"" + ExecutionIds.encode("after", 1) + "\""),
                result.body());
        awaitSettled(job.jobId());
    }

    @Test
    void aJobThatCannotBeScheduledGetsConfigurationErrorSayingWhy() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("off");
        project.disable();
        ReceivedJob job = BuildTestSupport.job();

        JobBuildScheduler.schedule(project, job, CONNECTION, false);

        RecordedRequest result = awaitResult(endpoint, job.jobId());
        assertEquals("PutJobFailureResult", result.operation());
        assertTrue(result.body().contains("\"type\":\"ConfigurationError\""), result.body());
        assertTrue(result.body().contains("is disabled"), result.body());
        awaitSettled(job.jobId());
        assertTrue(project.getBuilds().isEmpty());
    }

    @Test
    void noSecretReachesTheQueueTheBuildRecordTheRecordOfJobsTheLogOrTheEnvironment() throws Exception {
        ReceivedJob job = BuildTestSupport.job();
        assertFalse(job.configuration().containsKey(BuildTestSupport.SECRET_PROPERTY));
        FreeStyleProject project = BuildTestSupport.queuedFor(j, "secrets", job);
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        project.getBuildersList().add(capture); // read when the build starts
        // Queue.save runs some time after a change (its Saver): write queue.xml now.
        j.jenkins.getQueue().save();
        File home = j.jenkins.getRootDir();
        BuildTestSupport.assertNoSecret("queue.xml", read(new File(home, "queue.xml")));
        assertTrue(read(new File(home, "queue.xml")).contains(job.jobId()), "the queue item carries the job");
        File record = new File(home, InFlightJobs.DIRECTORY + "/" + InFlightJobs.JOURNAL);
        assertTrue(read(record).contains(job.jobId()));
        BuildTestSupport.assertNoSecret("the record of jobs in flight", read(record));
        File data = new File(home, InFlightJobs.DIRECTORY + "/" + InFlightJobs.JOB_DATA + "/" + job.jobId() + ".xml");
        BuildTestSupport.assertNoSecret("the job's data", read(data));

        project.setAssignedLabel(null);
        FreeStyleBuild build = j.assertBuildStatusSuccess(j.waitForCompletion(awaitBuild(project, job.jobId())));
        awaitSettled(job.jobId());
        BuildTestSupport.assertNoSecret("build.xml", read(new File(build.getRootDir(), "build.xml")));
        assertTrue(read(new File(build.getRootDir(), "build.xml")).contains(job.jobId()));
        BuildTestSupport.assertNoSecret("the build log", JenkinsRule.getLog(build));
        for (Map.Entry<String, String> variable : capture.getEnvVars().entrySet()) {
            BuildTestSupport.assertNoSecret("the environment variable " + variable.getKey(), variable.getValue());
        }
        assertFalse(data.exists(), "the job's data is removed with its record");
    }

    private static String read(File file) throws Exception {
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
    }
}
