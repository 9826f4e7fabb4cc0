package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.FAILURE;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.SUCCESS;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.acknowledgements;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.assertEarlyReport;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.assertFinalResult;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitAttached;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitBuild;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitClosed;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.awaitFollowUp;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.body;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.onlyResult;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.results;
import static io.jenkins.plugins.codepipeline.worker.LiveLinkSupport.token;
import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobCause;
import io.jenkins.plugins.codepipeline.worker.build.InFlightJobs;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.SleepBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The live link (issue 10) against core's fake CodePipeline, which queues a follow-up job when a success carries a
 * continuation token: with the trigger's {@code reportProgress} on, the build's first job gets an early success with
 * the worker's {@code jcp1:} token and the build's execution details, the follow-up job is acknowledged and attached
 * to the same build, and exactly one final result goes to the chain's last job. The chain is checked at the endpoint.
 * The poll interval is one second; every wait has a time limit.
 */
@WithJenkins
class LiveLinkTest extends WorkerTestSupport.EndpointTest {
    @BeforeEach
    void setUp() throws Exception {
        j.jenkins.setNumExecutors(2);
    }

    /** Waits for {@code n} more poll cycles. */
    private static void moreCycles(int n) throws InterruptedException {
        ControllerPoller poller = ControllerPoller.get();
        long now = poller.cycles();
        waitUntil(n + " more poll cycles", () -> poller.cycles() >= now + n);
    }

    private static void awaitNothingInFlight() throws InterruptedException {
        waitUntil("no job in flight", () -> InFlightJobs.get().entries().isEmpty());
    }

    @Test
    void theEarlyReportLinksTheBuildAndTheFinalResultGoesToTheFollowUpJob() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        // a duration: the second build's estimate, and the early report's line lands in a log still open
        project.getBuildersList().add(new SleepBuilder(1500));
        WorkerTestSupport.addTrigger(project, LiveLinkSupport.trigger("app", "always"));
        String first = "a1111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(first));

        FreeStyleBuild build = awaitBuild(project, first);
        String followUp = awaitFollowUp(endpoint, first);
        String token = assertEarlyReport(endpoint, first, build);
        // no estimate yet: the first build of the job
        assertNull(body(onlyResult(endpoint, first)).path("executionDetails").get("percentComplete"),
                "no percentComplete without an estimated duration");
        assertTrue(endpoint.jobData(followUp).contains(token), "the follow-up job carries the token");

        awaitClosed(endpoint, followUp);
        j.assertBuildStatusSuccess(j.waitForCompletion(build));
        RecordedRequest result = assertFinalResult(endpoint, followUp);
        assertEquals(SUCCESS, result.operation());
        assertNull(token(result), result.body());
        assertNull(endpoint.followUpJobId(followUp), "the chain ends with the final result");
        assertEquals(1, acknowledgements(endpoint, first));
        assertEquals(1, acknowledgements(endpoint, followUp), "the follow-up job is acknowledged once");

        CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
        assertEquals(followUp, action.getJobId(), "the build's current job is the follow-up job");
        assertEquals(first, action.getFirstJobId());
        assertEquals(List.of(first, followUp), action.getChain());
        assertTrue(action.isReportProgress());
        assertFalse(action.isAwaitingFollowUp());
        assertEquals(first, build.getCause(CodePipelineJobCause.class).getJobId(), "started by the first job");
        j.assertLogContains("Reported progress to CodePipeline", build);

        // the follow-up job started no build, then or later
        awaitNothingInFlight();
        moreCycles(3);
        assertEquals(1, project.getBuilds().size(), "one build for the chain");
        onlyResult(endpoint, first); // the early report, nothing more
        assertEquals(List.of(first, followUp), endpoint.requests("AcknowledgeJob").stream()
                .map(RecordedRequest::jobId).toList(), "nothing else was acknowledged");

        // The next build has an estimate (the first one's duration): its early report says how far it is.
        String second = "a2222222-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(second));
        FreeStyleBuild build2 = awaitBuild(project, second);
        String followUp2 = awaitFollowUp(endpoint, second);
        String token2 = assertEarlyReport(endpoint, second, build2);
        assertNotEquals(token, token2, "one record per chain");
        assertEquals(ContinuationTokens.parse(token).orElseThrow().fingerprint(),
                ContinuationTokens.parse(token2).orElseThrow().fingerprint(), "one fingerprint per instance");
        JsonNode percent = body(onlyResult(endpoint, second)).path("executionDetails").get("percentComplete");
        assertNotNull(percent, "percentComplete from the estimated duration");
        assertTrue(percent.asInt() >= 0 && percent.asInt() <= 99, percent.toString());
        awaitClosed(endpoint, followUp2);
        j.assertBuildStatusSuccess(j.waitForCompletion(build2));
        assertEquals(SUCCESS, assertFinalResult(endpoint, followUp2).operation());
        assertEquals(2, build2.getNumber());
        awaitNothingInFlight();
        assertEquals(2, project.getBuilds().size());
    }

    /**
     * A build waiting for its follow-up job counts as in flight: with no free room left the trigger still polls, for
     * the follow-up job only, and a new job that this poll hands out is not acknowledged. The poll cycles run by hand.
     */
    @Test
    void aNewJobFindingNoFreeRoomIsNotAcknowledgedWhileTheFollowUpJobIs() throws Exception {
        endpoint.setDispatchTimeout(Duration.ZERO); // a job handed out and not acknowledged stays handed out
        FreeStyleProject project = j.createFreeStyleProject("full");
        project.getBuildersList().add(new SleepBuilder(600_000)); // runs until the test aborts it
        CodePipelineJobsTrigger trigger = LiveLinkSupport.trigger("full", "always");
        trigger.setMaxJobsInFlight(1);
        WorkerTestSupport.quietPoller();
        WorkerTestSupport.addTrigger(project, trigger);
        ControllerPoller poller = ControllerPoller.get();
        // The new job comes first in CodePipeline's order (before the follow-up job), hidden until the build waits.
        String newJob = "05555555-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("full").withId(newJob));
        endpoint.setJobStatus(newJob, "Dispatched");
        String first = "04444444-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("full").withId(first));

        poller.runCycle(); // room for one job: the first one
        FreeStyleBuild build = awaitBuild(project, first);
        String followUp = awaitFollowUp(endpoint, first);
        assertEarlyReport(endpoint, first, build);
        assertEquals(1, InFlightJobs.get().awaitingFor(project), "the build waits for its follow-up job");
        endpoint.setJobStatus(newJob, "Created");

        long polls = endpoint.requests("PollForJobs").size();
        poller.runCycle(); // no free room, one follow-up job awaited: a batch of one, which is the new job
        assertEquals(polls + 1, endpoint.requests("PollForJobs").size(), "polled while the build waits");
        assertEquals("Dispatched", endpoint.jobStatus(newJob), "handed out");
        assertEquals(0, acknowledgements(endpoint, newJob), "not acknowledged: no free room");
        assertEquals("Created", endpoint.jobStatus(followUp));

        poller.runCycle(); // the new job stays handed out: the follow-up job comes, and is attached
        assertEquals(1, acknowledgements(endpoint, followUp));
        assertEquals(followUp, build.getAction(CodePipelineJobAction.class).getJobId());
        polls = endpoint.requests("PollForJobs").size();
        poller.runCycle(); // neither free room nor an awaited follow-up job: no poll
        assertEquals(polls, endpoint.requests("PollForJobs").size(), "no poll without room or awaited job");
        assertEquals(0, acknowledgements(endpoint, newJob));
        assertEquals(1, project.getBuilds().size(), "no build for the new job");

        // The build ends (aborted): its result goes to the follow-up job.
        build.getExecutor().interrupt();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
        awaitClosed(endpoint, followUp);
        assertEquals(FAILURE, assertFinalResult(endpoint, followUp).operation());
        awaitNothingInFlight();
        onlyResult(endpoint, first);
        assertEquals(0, acknowledgements(endpoint, newJob));
        assertEquals("Dispatched", endpoint.jobStatus(newJob));
    }

    @Test
    void aReportStepInTheBuildLandsOnTheCurrentJobAndTheEnvironmentFollowsTheChain() throws Exception {
        WorkflowJob job = LiveLinkSupport.pipeline(j, "steps", LiveLinkSupport.trigger("steps", "always"),
                "stage('report') {\n"
                + "  codePipelineJobSuccess summary: 'reported by the step', outputVariables: [IMAGE_TAG: 'v42']\n"
                + "}\n"
                + "stage('later') {\n"
                + "  echo \"current job ${env.CODEPIPELINE_JOB_ID}\"\n"
                + "}\n");
        String first = "b1111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("steps").withId(first));

        WorkflowRun run = awaitBuild(job, first);
        String followUp = awaitFollowUp(endpoint, first);
        assertEarlyReport(endpoint, first, run);
        j.assertBuildStatusSuccess(j.waitForCompletion(run));
        awaitClosed(endpoint, followUp);

        RecordedRequest result = assertFinalResult(endpoint, followUp);
        assertEquals(SUCCESS, result.operation(), result.body());
        JsonNode body = body(result);
        assertEquals("reported by the step", body.path("executionDetails").path("summary").asText(), result.body());
        assertEquals("v42", body.path("outputVariables").path("IMAGE_TAG").asText(),
                "output variables on the final report: " + result.body());
        assertNull(token(result));
        j.assertLogContains("current job " + followUp, run);
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        assertEquals("codePipelineJobSuccess", action.getReportedBy());
        assertEquals(followUp, action.getJobId());
        assertEquals(List.of(first, followUp), action.getChain());

        awaitNothingInFlight();
        moreCycles(2);
        onlyResult(endpoint, first); // the early report only: the automatic report sent nothing more
        onlyResult(endpoint, followUp);
        assertEquals(1, job.getBuilds().size());
    }

    /**
     * A user's own continuation token (a step's {@code continuationToken} on the final report) still makes
     * CodePipeline queue a job that starts a new build, which has its own chain.
     */
    @Test
    void aUsersOwnTokenStillStartsANewBuild() throws Exception {
        WorkflowJob job = LiveLinkSupport.pipeline(j, "own-token", LiveLinkSupport.trigger("own-token", "always"),
                "if (currentBuild.number == 1) {\n"
                + "  codePipelineJobSuccess continuationToken: 'my-own-token'\n"
                + "} else {\n"
                + "  echo 'second pass'\n"
                + "}\n");
        String first = "c1111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("own-token").withId(first));

        WorkflowRun run1 = awaitBuild(job, first);
        String attached = awaitFollowUp(endpoint, first);
        assertEarlyReport(endpoint, first, run1);
        j.assertBuildStatusSuccess(j.waitForCompletion(run1));
        awaitClosed(endpoint, attached);
        RecordedRequest withUserToken = assertFinalResult(endpoint, attached);
        assertEquals("my-own-token", token(withUserToken), withUserToken.body());

        // CodePipeline queues a job with the user's token: a new build, with a chain of its own
        String userFollowUp = awaitFollowUp(endpoint, attached);
        assertTrue(endpoint.jobData(userFollowUp).contains("my-own-token"));
        WorkflowRun run2 = awaitBuild(job, userFollowUp);
        assertEquals(2, run2.getNumber());
        assertEquals(userFollowUp, run2.getCause(CodePipelineJobCause.class).getJobId());
        String last = awaitFollowUp(endpoint, userFollowUp);
        assertEarlyReport(endpoint, userFollowUp, run2);
        j.assertBuildStatusSuccess(j.waitForCompletion(run2));
        j.assertLogContains("second pass", run2);
        awaitClosed(endpoint, last);
        assertEquals(SUCCESS, assertFinalResult(endpoint, last).operation());
        assertEquals(List.of(userFollowUp, last), run2.getAction(CodePipelineJobAction.class).getChain());

        awaitNothingInFlight();
        moreCycles(2);
        assertEquals(2, job.getBuilds().size(), "two builds: one per job without the worker's token");
        for (String jobId : List.of(first, attached, userFollowUp, last)) {
            assertEquals(1, acknowledgements(endpoint, jobId), "acknowledged once: " + jobId);
            onlyResult(endpoint, jobId);
        }
    }

    @Test
    void aFollowUpJobNamingAnotherInstanceIsLeftAlone() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("shared");
        WorkerTestSupport.addTrigger(project, LiveLinkSupport.trigger("shared", "always"));
        // Another controller's token (its fingerprint is not ours; the chance of a clash is 2^-64).
        String foreign = "d1111111-2222-3333-4444-555555555555";
        String foreignToken = ContinuationTokens.issue("0123456789abcdef", UUID.randomUUID().toString());
        endpoint.addJob(WorkerTestSupport.job("shared").withId(foreign).withContinuationToken(foreignToken));

        waitUntil("the foreign job was handed out", () -> "Dispatched".equals(endpoint.jobStatus(foreign)));
        moreCycles(3);
        assertEquals(0, acknowledgements(endpoint, foreign), "never acknowledged");
        assertEquals(List.of(), results(endpoint, foreign), "never answered");
        assertTrue(Set.of("Created", "Dispatched").contains(endpoint.jobStatus(foreign)),
                endpoint.jobStatus(foreign));
        assertTrue(project.getBuilds().isEmpty(), "no build");

        // the trigger goes on taking its own jobs
        String own = "d2222222-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("shared").withId(own));
        FreeStyleBuild build = awaitBuild(project, own);
        String ownToken = assertEarlyReport(endpoint, own, build);
        assertNotEquals(ContinuationTokens.parse(foreignToken).orElseThrow().fingerprint(),
                ContinuationTokens.parse(ownToken).orElseThrow().fingerprint(), "the other instance is another one");
        String followUp = awaitFollowUp(endpoint, own);
        awaitClosed(endpoint, followUp);
        assertFinalResult(endpoint, followUp);
        moreCycles(2);
        assertEquals(0, acknowledgements(endpoint, foreign), "still never acknowledged");
        assertEquals(1, project.getBuilds().size());
    }

    @Test
    void aFollowUpJobOfThisInstanceWhoseRecordIsGoneIsFailedSayingSo() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("gone");
        WorkerTestSupport.addTrigger(project, LiveLinkSupport.trigger("gone", "always"));
        // one chain, for this instance's fingerprint
        String first = "e1111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("gone").withId(first));
        FreeStyleBuild build = awaitBuild(project, first);
        String ours = assertEarlyReport(endpoint, first, build);
        awaitClosed(endpoint, awaitFollowUp(endpoint, first));
        awaitNothingInFlight();

        // a follow-up job with this instance's fingerprint and a record it does not have
        String orphan = "e2222222-2222-3333-4444-555555555555";
        String token = ContinuationTokens.issue(ContinuationTokens.parse(ours).orElseThrow().fingerprint(),
                UUID.randomUUID().toString());
        endpoint.addJob(WorkerTestSupport.job("gone").withId(orphan).withContinuationToken(token));

        awaitClosed(endpoint, orphan);
        RecordedRequest failure = onlyResult(endpoint, orphan);
        assertEquals(FAILURE, failure.operation(), failure.body());
        assertEquals("ConfigurationError", body(failure).path("failureDetails").path("type").asText(), failure.body());
        assertTrue(body(failure).path("failureDetails").path("message").asText().contains("gone"), failure.body());
        assertEquals(1, acknowledgements(endpoint, orphan), "acknowledged, to be failed");
        awaitNothingInFlight();
        moreCycles(2);
        assertEquals(1, project.getBuilds().size(), "no build for it");
        onlyResult(endpoint, orphan);
    }

    @Test
    void theStepRefusesAUserTokenThatStartsWithTheWorkersPrefix() throws Exception {
        WorkflowJob job = LiveLinkSupport.pipeline(j, "refusing", LiveLinkSupport.trigger("refusing", ""),
                "try {\n"
                + "  codePipelineJobSuccess continuationToken: 'jcp1:0123456789abcdef:mine'\n"
                + "} catch (e) {\n"
                + "  echo \"refused: ${e.message}\"\n"
                + "}\n");
        String jobId = "f1111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("refusing").withId(jobId));

        WorkflowRun run = j.waitForCompletion(awaitBuild(job, jobId));
        awaitClosed(endpoint, jobId);
        j.assertLogContains("refused: ", run);
        j.assertLogContains("reserved", run);
        RecordedRequest result = onlyResult(endpoint, jobId);
        assertEquals(FAILURE, result.operation(), "the step failed before sending: " + result.body());
        assertNull(token(result), "the refused token was not sent: " + result.body());
        for (RecordedRequest r : endpoint.requests()) {
            assertFalse(r.body().contains("jcp1:0123456789abcdef:mine"), r.operation() + " " + r.body());
        }
        assertNull(endpoint.followUpJobId(jobId));
    }

    @Test
    void withTheOptionOffNothingChanges() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("plain");
        assertFalse(CodePipelineJobWorkerConfiguration.get().isReportProgress(), "off by default");
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("plain")); // the global default
        String jobId = "01111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("plain").withId(jobId));

        FreeStyleBuild build = j.waitForCompletion(awaitBuild(project, jobId));
        j.assertBuildStatusSuccess(build);
        awaitClosed(endpoint, jobId);
        awaitNothingInFlight();
        moreCycles(2);
        RecordedRequest result = onlyResult(endpoint, jobId);
        assertEquals(SUCCESS, result.operation());
        assertNull(token(result), result.body());
        assertNull(endpoint.followUpJobId(jobId), "no follow-up job");
        CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
        assertFalse(action.isReportProgress());
        assertEquals(jobId, action.getJobId());
        assertEquals(jobId, action.getFirstJobId());
        assertEquals(List.of(jobId), action.getChain());
        j.assertLogNotContains("Reported progress to CodePipeline", build);
        assertEquals(1, project.getBuilds().size());
    }

    /** The global default applies to triggers that leave the option at "" ; "never" and "always" win over it. */
    @Test
    void theGlobalDefaultAppliesUnlessTheTriggerSaysOtherwise() throws Exception {
        CodePipelineJobWorkerConfiguration.get().setReportProgress(true);
        FreeStyleProject byDefault = j.createFreeStyleProject("by-default");
        WorkerTestSupport.addTrigger(byDefault, LiveLinkSupport.trigger("by-default", ""));
        FreeStyleProject never = j.createFreeStyleProject("never");
        WorkerTestSupport.addTrigger(never, LiveLinkSupport.trigger("never", "never"));
        String linked = "02222222-2222-3333-4444-555555555555";
        String plain = "03333333-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("by-default").withId(linked));
        endpoint.addJob(WorkerTestSupport.job("never").withId(plain));

        FreeStyleBuild linkedBuild = awaitBuild(byDefault, linked);
        String followUp = awaitFollowUp(endpoint, linked);
        assertEarlyReport(endpoint, linked, linkedBuild);
        awaitClosed(endpoint, followUp);
        assertFinalResult(endpoint, followUp);

        FreeStyleBuild plainBuild = j.waitForCompletion(awaitBuild(never, plain));
        awaitClosed(endpoint, plain);
        awaitNothingInFlight();
        assertNull(token(onlyResult(endpoint, plain)), "'never' wins over the global default");
        assertNull(endpoint.followUpJobId(plain));
        assertFalse(plainBuild.getAction(CodePipelineJobAction.class).isReportProgress());
    }
}
