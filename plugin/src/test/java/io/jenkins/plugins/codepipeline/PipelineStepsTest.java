package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class PipelineStepsTest {
    private JenkinsRule j;
    private FakeCodePipeline endpoint;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        endpoint = TestSupport.startEndpoint();
    }

    @AfterEach
    void tearDown() throws Exception {
        endpoint.close();
    }

    private WorkflowJob pipeline(String script) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    @Test
    void scriptedSuccessPublishesVariablesFromEverySourceAndReturnsTheRequestId() throws Exception {
        WorkflowJob job = pipeline("node {\n"
                + "  writeFile file: 'build/outputs.env', text: 'FROM_FILE=file-value\\n'\n"
                + "  withEnv(['CPTEST_IMAGE_TAG=v1.2.3', 'CPTEST_IMAGE_DIGEST=sha256-abc', 'OTHER=x']) {\n"
                + "    def id = codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys',\n"
                + "        region: 'eu-west-1', outputVariables: [FROM_MAP: 'map-value', COUNT: 3],\n"
                + "        outputVariablesFile: 'build/outputs.env', outputVariablesFromEnv: ['CPTEST_IMAGE_*']\n"
                + "    echo \"request id: ${id}\"\n"
                + "  }\n"
                + "}");
        WorkflowRun run = j.buildAndAssertSuccess(job);

        RecordedRequest request = endpoint.lastRequest();
        assertEquals("CodePipeline_20150709.PutJobSuccessResult", request.header("X-Amz-Target"));
        assertEquals(TestSupport.ACCESS_KEY, request.accessKeyId());
        assertTrue(request.header("Authorization").contains("/eu-west-1/codepipeline/"), request.header("Authorization"));
        String body = request.body();
        assertTrue(body.contains("\"outputVariables\":{\"FROM_MAP\":\"map-value\",\"COUNT\":\"3\","
                + "\"FROM_FILE\":\"file-value\",\"CPTEST_IMAGE_DIGEST\":\"sha256-abc\",\"CPTEST_IMAGE_TAG\":\"v1.2.3\"}"), body);
        assertTrue(body.contains("\"externalExecutionId\":\"1\""), body);
        assertTrue(body.contains("\"summary\":\"Jenkins build " + job.getFullDisplayName() + " #1\""), body);

        j.assertLogContains("request id: " + request.requestId(), run);
        j.assertLogContains("output variables: FROM_MAP, COUNT, FROM_FILE, CPTEST_IMAGE_DIGEST, CPTEST_IMAGE_TAG", run);
        j.assertLogNotContains("map-value", run);
        j.assertLogNotContains("sha256-abc", run);
        j.assertLogNotContains(TestSupport.SECRET_KEY, run);

        CodePipelineReportsAction action = run.getAction(CodePipelineReportsAction.class);
        assertNotNull(action);
        assertEquals(1, action.getReports().size());
        assertEquals(request.requestId(), action.getReports().get(0).getRequestId());
        assertEquals(List.of("FROM_MAP", "COUNT", "FROM_FILE", "CPTEST_IMAGE_DIGEST", "CPTEST_IMAGE_TAG"),
                action.getReports().get(0).getVariableNames());

        // The action survives build.xml: written and read back with the XStream Jenkins uses for builds.
        String xml = Run.XSTREAM2.toXML(action);
        assertFalse(xml.contains("map-value"), xml);
        CodePipelineReportsAction reloaded = (CodePipelineReportsAction) Run.XSTREAM2.fromXML(xml);
        assertEquals(request.requestId(), reloaded.getReports().get(0).getRequestId());
        assertEquals(List.of("FROM_MAP", "COUNT", "FROM_FILE", "CPTEST_IMAGE_DIGEST", "CPTEST_IMAGE_TAG"),
                reloaded.getReports().get(0).getVariableNames());
    }

    @Test
    void valuesAreLoggedOnlyWhenAskedFor() throws Exception {
        WorkflowJob job = pipeline("codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys',"
                + " outputVariableList: [[name: 'TAG', value: 'visible-value']], logOutputVariableValues: true");
        WorkflowRun run = j.buildAndAssertSuccess(job);
        j.assertLogContains("output variables: TAG=visible-value", run);
    }

    @Test
    void declarativeTakesJobIdAndRegionFromTheEnvironmentAndReportsAFailureInPost() throws Exception {
        WorkflowJob job = pipeline("pipeline {\n"
                + "  agent none\n"
                + "  environment {\n"
                + "    CODEPIPELINE_JOB_ID = '" + TestSupport.JOB + "'\n"
                + "    AWS_REGION = 'eu-central-1'\n"
                + "  }\n"
                + "  stages {\n"
                + "    stage('Build') { steps { error 'the build broke' } }\n"
                + "  }\n"
                + "  post {\n"
                + "    success { codePipelineJobSuccess credentialsId: 'keys' }\n"
                + "    failure { codePipelineJobFailure credentialsId: 'keys', type: 'ConfigurationError', message: 'compile failed' }\n"
                + "  }\n"
                + "}");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);

        assertEquals(1, endpoint.requests().size());
        RecordedRequest request = endpoint.lastRequest();
        assertEquals("CodePipeline_20150709.PutJobFailureResult", request.header("X-Amz-Target"));
        assertTrue(request.header("Authorization").contains("/eu-central-1/codepipeline/"));
        assertEquals("{\"jobId\":\"" + TestSupport.JOB + "\",\"failureDetails\":{\"type\":\"ConfigurationError\","
                + "\"message\":\"compile failed\",\"externalExecutionId\":\"1\"}}", request.body());
        j.assertLogContains("region from environment variable AWS_REGION", run);
    }

    @Test
    void declarativeSuccessInPost() throws Exception {
        WorkflowJob job = pipeline("pipeline {\n"
                + "  agent none\n"
                + "  stages { stage('Build') { steps { echo 'ok' } } }\n"
                + "  post {\n"
                + "    success {\n"
                + "      codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys',\n"
                + "          outputVariables: [RESULT: currentBuild.currentResult]\n"
                + "    }\n"
                + "  }\n"
                + "}");
        j.buildAndAssertSuccess(job);
        assertTrue(endpoint.lastRequest().body().contains("\"outputVariables\":{\"RESULT\":\"SUCCESS\"}"),
                endpoint.lastRequest().body());
    }

    @Test
    void aContinuationTokenIsSentWithoutVariables() throws Exception {
        WorkflowJob job = pipeline("codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys',"
                + " continuationToken: 'step-2', percentComplete: 50");
        j.buildAndAssertSuccess(job);
        String body = endpoint.lastRequest().body();
        assertTrue(body.contains("\"continuationToken\":\"step-2\""), body);
        assertTrue(body.contains("\"percentComplete\":50"), body);
        assertFalse(body.contains("outputVariables"), body);
    }

    @Test
    void anInvalidResultFailsTheBuildAndSendsNothing() throws Exception {
        WorkflowJob job = pipeline("codePipelineJobSuccess jobId: 'NOT-A-JOB', credentialsId: 'keys',"
                + " percentComplete: 101, continuationToken: 't', outputVariables: [A: 'b']");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("PutJobSuccessResult not sent, 3 problems", run);
        j.assertLogContains("jobId: 'NOT-A-JOB' is not a job id", run);
        j.assertLogContains("executionDetails.percentComplete: is 101 (limit: 0–100)", run);
        j.assertLogContains("outputVariables: are given together with a continuationToken", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void aMissingJobIdSaysWhereItIsLookedFor() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline("codePipelineJobSuccess credentialsId: 'keys'"));
        j.assertLogContains("No CodePipeline job id: give jobId, or run the build with a CODEPIPELINE_JOB_ID", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void aRefusalFailsTheBuildWithAnActionableMessageAndNoStackTrace() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Error(400, "JobNotFoundException", "No job with id"));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE,
                pipeline("codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys', region: 'us-west-2'"));
        j.assertLogContains("CodePipeline has no job " + TestSupport.JOB + " in region us-west-2", run);
        j.assertLogNotContains("ProxyException", run);
        j.assertLogNotContains("software.amazon.awssdk", run);
    }

    @Test
    void throttlingIsRetriedAndLogged() throws Exception {
        endpoint.enqueue(FakeCodePipeline.throttle());
        WorkflowRun run = j.buildAndAssertSuccess(
                pipeline("codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys'"));
        assertEquals(2, endpoint.requests().size());
        j.assertLogContains("Attempt 1 of 3 failed (ThrottlingException", run);
    }

    @Test
    void anAbortStopsTheRetriesAtOnce() throws Exception {
        CodePipelineJobWorkerConfiguration.get().setMaxAttempts(20);
        for (int i = 0; i < 20; i++) {
            endpoint.enqueue(FakeCodePipeline.throttle());
        }
        WorkflowJob job = pipeline("codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys'");
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Attempt 2 of 20 failed (ThrottlingException", run);
        int sentBeforeAbort = endpoint.requests().size();
        long aborted = System.nanoTime();
        run.getExecutor().interrupt();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));
        assertTrue(System.nanoTime() - aborted < java.util.concurrent.TimeUnit.SECONDS.toNanos(10),
                "the abort took too long");
        // The reporting thread itself must end, not only the step: no retry loop may live on.
        for (int i = 0; i < 100 && reporterThreadAlive(); i++) {
            Thread.sleep(100);
        }
        assertFalse(reporterThreadAlive(), "a report is still running after the abort");
        assertTrue(endpoint.requests().size() <= sentBeforeAbort + 1,
                "requests after the abort: " + (endpoint.requests().size() - sentBeforeAbort));
    }

    private static boolean reporterThreadAlive() {
        return Thread.getAllStackTraces().values().stream().flatMap(java.util.Arrays::stream)
                .anyMatch(frame -> frame.getClassName().equals("io.jenkins.plugins.codepipeline.core.JobResultReporter"));
    }

    @Test
    void aLostAnswerMarksTheBuildUnstable() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.LoseResponse());
        WorkflowRun run = j.buildAndAssertStatus(Result.UNSTABLE, pipeline(
                "def id = codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys'\n"
                        + "echo \"request id: ${id}\""));
        j.assertLogContains("most likely delivered", run);
        j.assertLogContains("request id: " + endpoint.lastRequest().requestId(), run);
        assertTrue(endpoint.isClosed(TestSupport.JOB));
    }

    @Test
    void aWorkspaceFileOutsideNodeIsExplained() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(
                "codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys', outputVariablesFile: 'x.env'"));
        j.assertLogContains("report inside node", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void twoReportsInOneBuildAreBothShown() throws Exception {
        WorkflowRun run = j.buildAndAssertSuccess(pipeline(
                "codePipelineJobSuccess jobId: '" + TestSupport.JOB + "', credentialsId: 'keys', continuationToken: 'next'\n"
                        + "codePipelineJobFailure jobId: '" + TestSupport.OTHER_JOB + "', credentialsId: 'keys'"));
        CodePipelineReportsAction action = run.getAction(CodePipelineReportsAction.class);
        assertEquals(List.of("success", "failure"), action.getReports().stream().map(CodePipelineReportsAction.Report::getResult).toList());
        assertTrue(endpoint.lastRequest().body().contains("\"type\":\"JobFailed\""));
        assertTrue(endpoint.lastRequest().body().contains("\"message\":\"Jenkins build " + run.getFullDisplayName()
                + " failed"), endpoint.lastRequest().body());
    }

    @Test
    void overLongTextIsShortenedWhenAskedFor() throws Exception {
        WorkflowRun run = j.buildAndAssertSuccess(pipeline("codePipelineJobFailure jobId: '" + TestSupport.JOB
                + "', credentialsId: 'keys', truncateLongText: true, message: '" + "x".repeat(6000) + "'"));
        j.assertLogContains("Shortened to CodePipeline's limits: failureDetails.message", run);
        assertTrue(endpoint.lastRequest().body().contains("…[truncated]"));
    }
}
