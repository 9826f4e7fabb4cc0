package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.FAILURE;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.SUCCESS;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.acknowledgements;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.assertEarlyReport;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.assertFinalResult;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitBuild;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitClosed;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitFollowUp;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.body;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.onlyResult;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.results;
import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.Util;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import io.jenkins.plugins.codepipeline.worker.build.InFlightJobs;
import java.io.File;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * The live link across a restart: Jenkins stops after the early report and before the follow-up job is polled (the
 * test runs the poll cycles of the first session by hand, so that the follow-up job waits in CodePipeline). After the
 * restart the follow-up job is picked up and attached, and the chain's last job gets exactly one final result.
 */
class LiveLinkRestartTest {
    private static final String PIPELINE_JOB = "91111111-2222-3333-4444-555555555555";
    private static final String FREESTYLE_JOB = "92222222-2222-3333-4444-555555555555";
    private static final String VANISHING_JOB = "93333333-2222-3333-4444-555555555555";

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private FakeCodePipeline endpoint;

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = new FakeCodePipeline();
    }

    @AfterEach
    void stopEndpoint() throws Exception {
        endpoint.close();
    }

    /** The endpoint, the keys and the action type; then the periodic polls stop (cycles only by hand). */
    private void setUpQuiet(JenkinsRule j) throws Exception {
        WorkerTestSupport.useEndpoint(endpoint);
        WorkerTestSupport.addGlobalKeys();
        WorkerTestSupport.addActionType(endpoint);
        j.jenkins.setNumExecutors(2);
        WorkerTestSupport.quietPoller();
    }

    private static boolean awaiting(hudson.model.Run<?, ?> build) {
        CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
        return action != null && action.isAwaitingFollowUp();
    }

    @Test
    void aBuildResumedAfterARestartGetsItsFollowUpJobAndReportsOnceOnIt() throws Throwable {
        String[] followUps = new String[2];
        sessions.then(j -> {
            setUpQuiet(j);
            // The sleep must outlast this session and its shutdown: a report step caught by the restart while it
            // waits for the follow-up job would fail on resume (ReportStepExecution.onResume). The sleep resumes with
            // the time it has left.
            WorkflowJob pipeline = LiveLinkSupport.pipeline(j, "resumed",
                    LiveLinkSupport.trigger("resumed", "always"),
                    "sleep time: 30, unit: 'SECONDS'\n"
                    + "codePipelineJobSuccess summary: 'after the restart', outputVariables: [PHASE: 'resumed']\n"
                    + "echo \"current job ${env.CODEPIPELINE_JOB_ID}\"\n");
            FreeStyleProject ended = j.createFreeStyleProject("ended");
            WorkerTestSupport.addTrigger(ended, LiveLinkSupport.trigger("ended", "always"));
            endpoint.addJob(WorkerTestSupport.job("resumed").withId(PIPELINE_JOB));
            endpoint.addJob(WorkerTestSupport.job("ended").withId(FREESTYLE_JOB));

            ControllerPoller.get().runCycle(); // takes both jobs
            WorkflowRun run = awaitBuild(pipeline, PIPELINE_JOB);
            FreeStyleBuild build = awaitBuild(ended, FREESTYLE_JOB);
            followUps[0] = awaitFollowUp(endpoint, PIPELINE_JOB);
            followUps[1] = awaitFollowUp(endpoint, FREESTYLE_JOB);
            assertEarlyReport(endpoint, PIPELINE_JOB, run);
            assertEarlyReport(endpoint, FREESTYLE_JOB, build);
            j.waitForMessage("Sleeping for", run);
            // the freestyle build ends before the restart: its automatic report waits for the follow-up job
            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            waitUntil("both builds wait for their follow-up jobs", () -> awaiting(run) && awaiting(build));
            for (String followUp : followUps) {
                assertEquals("Created", endpoint.jobStatus(followUp), "not polled before the restart");
                assertEquals(List.of(), results(endpoint, followUp));
            }
            assertFalse(InFlightJobs.get().entries().isEmpty(), "the chains are in flight");
        });
        sessions.then(j -> {
            WorkerTestSupport.useEndpoint(endpoint); // polls every second again
            WorkflowJob pipeline = j.jenkins.getItemByFullName("resumed", WorkflowJob.class);
            FreeStyleProject ended = j.jenkins.getItemByFullName("ended", FreeStyleProject.class);

            // the Pipeline build resumes; its step waits for the follow-up job and reports on it
            WorkflowRun run = pipeline.getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(run));
            awaitClosed(endpoint, followUps[0]);
            RecordedRequest stepResult = assertFinalResult(endpoint, followUps[0]);
            assertEquals(SUCCESS, stepResult.operation());
            JsonNode body = body(stepResult);
            assertEquals("after the restart", body.path("executionDetails").path("summary").asText(),
                    stepResult.body());
            assertEquals("resumed", body.path("outputVariables").path("PHASE").asText(), stepResult.body());
            j.assertLogContains("current job " + followUps[0], run);
            assertEquals(List.of(PIPELINE_JOB, followUps[0]), run.getAction(CodePipelineJobAction.class).getChain());

            // the freestyle build's automatic report, kept across the restart, goes to its follow-up job
            awaitClosed(endpoint, followUps[1]);
            assertEquals(SUCCESS, assertFinalResult(endpoint, followUps[1]).operation());
            CodePipelineJobAction action = ended.getBuildByNumber(1).getAction(CodePipelineJobAction.class);
            assertEquals(followUps[1], action.getJobId());
            assertEquals(List.of(FREESTYLE_JOB, followUps[1]), action.getChain());

            waitUntil("no job in flight", () -> InFlightJobs.get().entries().isEmpty());
            ControllerPoller poller = ControllerPoller.get();
            long cycles = poller.cycles();
            waitUntil("two more polls", () -> poller.cycles() >= cycles + 2);
            assertEquals(1, pipeline.getBuilds().size(), "resumed, not built again");
            assertEquals(1, ended.getBuilds().size());
            for (String jobId : List.of(PIPELINE_JOB, FREESTYLE_JOB, followUps[0], followUps[1])) {
                assertEquals(1, acknowledgements(endpoint, jobId), "acknowledged once: " + jobId);
                onlyResult(endpoint, jobId);
            }
            assertNull(endpoint.followUpJobId(followUps[0]));
            assertNull(endpoint.followUpJobId(followUps[1]));
        });
    }

    @Test
    void aFollowUpJobWhoseBuildIsGoneIsFailedSayingSo() throws Throwable {
        String[] followUp = new String[1];
        sessions.then(j -> {
            setUpQuiet(j);
            FreeStyleProject project = j.createFreeStyleProject("vanishing");
            WorkerTestSupport.addTrigger(project, LiveLinkSupport.trigger("vanishing", "always"));
            endpoint.addJob(WorkerTestSupport.job("vanishing").withId(VANISHING_JOB));
            ControllerPoller.get().runCycle();
            FreeStyleBuild build = awaitBuild(project, VANISHING_JOB);
            followUp[0] = awaitFollowUp(endpoint, VANISHING_JOB);
            assertEarlyReport(endpoint, VANISHING_JOB, build);
            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            waitUntil("the build waits for its follow-up job", () -> awaiting(build));
            assertEquals("Created", endpoint.jobStatus(followUp[0]));
        });
        // The build is deleted while Jenkins is stopped.
        Util.deleteRecursive(new File(sessions.getHome(), "jobs/vanishing/builds/1"));
        sessions.then(j -> {
            WorkerTestSupport.useEndpoint(endpoint);
            awaitClosed(endpoint, followUp[0]);
            RecordedRequest failure = onlyResult(endpoint, followUp[0]);
            assertEquals(FAILURE, failure.operation(), failure.body());
            JsonNode details = body(failure).path("failureDetails");
            assertEquals("ConfigurationError", details.path("type").asText(), failure.body());
            assertTrue(details.path("message").asText().contains("gone"), failure.body());
            assertEquals(1, acknowledgements(endpoint, followUp[0]));
            waitUntil("no job in flight", () -> InFlightJobs.get().entries().isEmpty());
            FreeStyleProject project = j.jenkins.getItemByFullName("vanishing", FreeStyleProject.class);
            assertTrue(project.getBuilds().isEmpty(), "no new build for the follow-up job");
            // the early report is the only result CodePipeline took for the first job
            assertEquals(1, results(endpoint, VANISHING_JOB).stream().filter(r -> "ok".equals(r.verdict())).count());
        });
    }
}
