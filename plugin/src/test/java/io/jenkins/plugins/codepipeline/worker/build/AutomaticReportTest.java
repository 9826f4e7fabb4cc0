package io.jenkins.plugins.codepipeline.worker.build;

import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.CONNECTION;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.REGION;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.accepted;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.await;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitAccepted;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitBuild;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitSettled;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.buildUntilSettled;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.onlyResult;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.results;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.AcknowledgedJobHandler;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeCatalog;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobEnvironment;
import io.jenkins.plugins.codepipeline.core.worker.JobPoller;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.core.worker.PollOutcome;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import io.jenkins.plugins.codepipeline.impl.SharedReporter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the automatic report does when a step fails before sending, when CodePipeline refuses the result, when it
 * fails for a while, and a follow-up job from poll to second build.
 */
@WithJenkins
class AutomaticReportTest extends BuildTestSupport {
    @Test
    void aStepThatFailsBeforeSendingFailsTheJobEvenWhenTheJenkinsfileCatchesIt() throws Exception {
        WorkflowJob pipeline = BuildTestSupport.pipeline(j, "caught", "node {\n"
                + "  try {\n"
                + "    codePipelineJobSuccess outputVariablesFile: 'missing.env'\n"
                + "  } catch (e) {\n"
                + "    echo \"caught: ${e.message}\"\n"
                + "  }\n"
                + "}\n");
        ReceivedJob job = BuildTestSupport.job();

        WorkflowRun run = j.assertBuildStatusSuccess(buildUntilSettled(j, pipeline, job));
        j.assertLogContains("caught: outputVariablesFile 'missing.env' does not exist", run);

        RecordedRequest result = onlyResult(endpoint, job.jobId());
        assertEquals("PutJobFailureResult", result.operation(), "not a success: the step failed");
        assertTrue(result.body().contains("could not report its result"), result.body());
        assertTrue(result.body().contains("missing.env"), result.body());
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        assertTrue(action.getStepFailure().contains("missing.env"), action.getStepFailure());
        assertEquals(AutomaticReport.REPORTER, action.getReportedBy());
    }

    @Test
    void aResultCodePipelineNoLongerTakesIsSaidInTheBuildLogAndOnTheBuildPage() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("late");
        ReceivedJob job = BuildTestSupport.job();
        // The job timed out in CodePipeline while the build ran.
        endpoint.setJobStatus(job.jobId(), "TimedOut");

        FreeStyleBuild build = j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));

        onlyResult(endpoint, job.jobId()); // a refusal is not sent again
        j.assertLogContains("The automatic result for CodePipeline job " + job.jobId() + " could not be delivered",
                build);
        CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
        assertNotNull(action.getUndelivered());
        assertFalse(action.isReported());
        String page = j.createWebClient().getPage(build).asNormalizedText();
        assertTrue(page.contains("The result could not be delivered"), page);
        assertTrue(page.contains(job.jobId()), page);
    }

    @Test
    void aResultThatFailsForAWhileIsSentAgainLaterAndDeliveredOnce() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("busy-endpoint");
        ReceivedJob job = BuildTestSupport.job();
        // Every attempt of the first report (3, the configured limit), and the first one of the second, fail.
        FakeCodePipeline.Fault unavailable = new FakeCodePipeline.Error(503, "ServiceUnavailableException",
                "Service unavailable");
        endpoint.enqueue(unavailable, unavailable, unavailable, unavailable);

        FreeStyleBuild build;
        try (BuildTestSupport.RetryDelay soon = BuildTestSupport.retryDelay(300)) {
            build = j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));
        }
        j.assertLogContains("is not delivered yet", build);

        RecordedRequest delivered = awaitAccepted(endpoint, job.jobId());
        assertEquals("PutJobSuccessResult", delivered.operation());
        CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
        await("the build records the delivery", action::isReported);
        assertEquals(1, accepted(endpoint, job.jobId()).size(), "delivered once");
        assertEquals(5, results(endpoint, job.jobId()).size(), results(endpoint, job.jobId()).toString());
        assertEquals(AutomaticReport.REPORTER, action.getReportedBy());
        assertNull(action.getUndelivered());
        assertNull(action.getRetrying());
    }

    @Test
    void aFollowUpJobStartsANewBuildWithTheContinuationToken() throws Exception {
        endpoint.addActionType(REGION, "Build", "Jenkins", "1", Map.of("ProjectName", false));
        FakeJob first = FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", "app")).withRegion(REGION);
        endpoint.addJob(first);
        WorkflowJob pipeline = BuildTestSupport.pipeline(j, "continued",
                "echo \"token=${env.CODEPIPELINE_CONTINUATION_TOKEN}\"\n"
                + "if (env.CODEPIPELINE_CONTINUATION_TOKEN == null) {\n"
                + "  codePipelineJobSuccess continuationToken: 't1'\n"
                + "} else {\n"
                + "  codePipelineJobSuccess summary: 'continued'\n"
                + "}\n");

        // The trigger's loop, by hand: record the job before the acknowledgement, then schedule its build.
        CodePipelineClientCache clients = SharedReporter.clients();
        JobPoller poller = new JobPoller(clients, new ActionTypeCatalog(clients, Clock.systemUTC()));
        PollKey key = new PollKey(ConnectionSettings.builder().region(REGION).endpoint(endpoint.endpoint()).build(),
                "test::" + BuildTestSupport.CREDENTIALS_ID, new ActionTypeId("Build", "Jenkins", "1"),
                new JobQuery(null, "app"));
        AwsCredentialsProvider keys = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                BuildTestSupport.ACCESS_KEY, BuildTestSupport.SECRET_KEY));
        AcknowledgedJobHandler trigger = new AcknowledgedJobHandler() {
            @Override
            public void beforeAcknowledge(ReceivedJob job) {
                JobBuildScheduler.prepare(pipeline, job, CONNECTION);
            }

            @Override
            public void acknowledged(ReceivedJob job) {
                JobBuildScheduler.schedule(pipeline, job, CONNECTION, false);
            }

            @Override
            public void notAcknowledged(ReceivedJob job, String reason) {
                JobBuildScheduler.notAcknowledged(job, reason);
            }
        };

        PollOutcome taken = poller.poll(key, keys, 1, trigger);
        assertEquals(List.of(first.jobId()), taken.acknowledged().stream().map(ReceivedJob::jobId).toList());
        WorkflowRun run1 = awaitBuild(pipeline, first.jobId());
        j.assertBuildStatusSuccess(j.waitForCompletion(run1));
        j.assertLogContains("token=null", run1);
        awaitSettled(first.jobId());
        assertEquals("Succeeded", endpoint.jobStatus(first.jobId()));
        assertEquals("codePipelineJobSuccess", run1.getAction(CodePipelineJobAction.class).getReportedBy());
        String followUp = endpoint.followUpJobId(first.jobId());
        assertNotNull(followUp, "CodePipeline queued a follow-up job");

        PollOutcome second = poller.poll(key, keys, 1, trigger);
        assertEquals(List.of(followUp), second.acknowledged().stream().map(ReceivedJob::jobId).toList());
        WorkflowRun run2 = awaitBuild(pipeline, followUp);
        j.assertBuildStatusSuccess(j.waitForCompletion(run2));
        assertEquals(2, run2.getNumber(), "a new build of the same job");
        j.assertLogContains("token=t1", run2);
        CodePipelineJobAction action = run2.getAction(CodePipelineJobAction.class);
        assertEquals("t1", action.getContinuationToken());
        assertEquals("t1", action.getVariables().get(JobEnvironment.CONTINUATION_TOKEN));
        awaitSettled(followUp);
        assertEquals("Succeeded", endpoint.jobStatus(followUp));
        assertEquals(1, accepted(endpoint, followUp).size());
        assertEquals(Result.SUCCESS, run2.getResult());
    }

    @Test
    void aBuildOfAJobAnsweredAlreadyIsStoppedAndReportsNothing() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("twice");
        ReceivedJob job = BuildTestSupport.job();
        j.assertBuildStatusSuccess(buildUntilSettled(j, project, job));

        // A second item for the same job, as one restored from an older queue.xml.
        JobBuildScheduler.enqueue(project, new CodePipelineJobAction(job, CONNECTION, false), InFlightJobs.get());
        BuildTestSupport.await("a second build", () -> project.getBuildByNumber(2) != null);
        FreeStyleBuild second = j.waitForCompletion(project.getBuildByNumber(2));

        j.assertBuildStatus(Result.NOT_BUILT, second);
        j.assertLogContains("This build does not run CodePipeline job " + job.jobId(), second);
        assertNotNull(second.getAction(CodePipelineJobAction.class).getDuplicateOf());
        j.waitUntilNoActivity();
        onlyResult(endpoint, job.jobId()); // from the first build
        assertTrue(InFlightJobs.get().get(job.jobId()).isEmpty());
    }

    @Test
    void theSweepQueuesAgainAJobLeftWithNeitherAQueueItemNorABuild() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("stuck");
        ReceivedJob job = BuildTestSupport.job();
        InFlightJobs inFlight = InFlightJobs.get();
        // Recorded and acknowledged, but its queue item went without a build (an executor's node went away, say).
        inFlight.acknowledged(project, new CodePipelineJobAction(job, CONNECTION, false));
        BuildTestSupport.awaitRecovery();

        StartupRecovery.sweep(inFlight, 0);

        j.assertBuildStatusSuccess(j.waitForCompletion(awaitBuild(project, job.jobId())));
        assertEquals("PutJobSuccessResult", awaitAccepted(endpoint, job.jobId()).operation());
        awaitSettled(job.jobId());
        StartupRecovery.sweep(inFlight, 0);
        j.waitUntilNoActivity();
        assertEquals(1, project.getBuilds().size(), "queued once");
        onlyResult(endpoint, job.jobId());
    }
}
