package io.jenkins.plugins.codepipeline.worker.build;

import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.CONNECTION;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitBuild;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitResult;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.awaitSettled;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.onlyResult;
import static io.jenkins.plugins.codepipeline.worker.build.BuildTestSupport.results;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Util;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Queue;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.File;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.SleepBuilder;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** Every acknowledged job ends with exactly one result, whatever a restart does to its build. */
class RestartTest {
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

    @Test
    void queuedRunningAndResumedBuildsEachGetExactlyOneResult() throws Throwable {
        ReceivedJob queued = BuildTestSupport.job();
        ReceivedJob killed = BuildTestSupport.job();
        ReceivedJob resumed = BuildTestSupport.job();
        sessions.then(j -> {
            BuildTestSupport.configure(endpoint);
            j.jenkins.setNumExecutors(4);
            FreeStyleProject waiting = BuildTestSupport.queuedFor(j, "waiting", queued);
            FreeStyleProject running = j.createFreeStyleProject("running");
            running.getBuildersList().add(new SleepBuilder(600_000));
            WorkflowJob pipeline = BuildTestSupport.pipeline(j, "pipeline",
                    "sleep time: 10, unit: 'SECONDS'\necho 'resumed and done'");

            JobBuildScheduler.schedule(running, killed, CONNECTION, false);
            JobBuildScheduler.schedule(pipeline, resumed, CONNECTION, false);
            j.waitForMessage("Sleeping", awaitBuild(running, killed.jobId()));
            j.waitForMessage("Sleeping for", awaitBuild(pipeline, resumed.jobId()));
            assertEquals(1, j.jenkins.getQueue().getItems(waiting).size());
            assertEquals(3, InFlightJobs.get().entries().size());
            assertTrue(endpoint.requests().isEmpty(), endpoint.requests().toString());
        });
        sessions.then(j -> {
            // The killed freestyle build: a failure that says so.
            RecordedRequest killedResult = awaitResult(endpoint, killed.jobId());
            assertEquals("PutJobFailureResult", killedResult.operation());
            assertTrue(killedResult.body().contains("killed by a Jenkins restart"), killedResult.body());

            // The queued build: restored from queue.xml, not queued twice, and it runs once its node comes.
            FreeStyleProject waiting = j.jenkins.getItemByFullName("waiting", FreeStyleProject.class);
            BuildTestSupport.awaitRecovery(); // the recovery has looked at the queue
            List<Queue.Item> items = j.jenkins.getQueue().getItems(waiting);
            assertEquals(1, items.size(), items.toString());
            assertEquals(queued.jobId(), items.get(0).getAction(CodePipelineJobAction.class).getJobId());
            waiting.setAssignedLabel(null);
            FreeStyleBuild build = awaitBuild(waiting, queued.jobId());
            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            assertEquals("PutJobSuccessResult", awaitResult(endpoint, queued.jobId()).operation());
            j.waitUntilNoActivity();
            assertEquals(1, waiting.getBuilds().size(), "the job ran once");
            assertTrue(j.jenkins.getQueue().getItems(waiting).isEmpty());

            // The Pipeline build: resumed, and reported when it ends.
            WorkflowJob pipeline = j.jenkins.getItemByFullName("pipeline", WorkflowJob.class);
            WorkflowRun run = pipeline.getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(run));
            j.assertLogContains("resumed and done", run);
            assertEquals("PutJobSuccessResult", awaitResult(endpoint, resumed.jobId()).operation());

            for (ReceivedJob job : List.of(queued, killed, resumed)) {
                awaitSettled(job.jobId());
                onlyResult(endpoint, job.jobId());
            }
            assertTrue(InFlightJobs.get().entries().isEmpty(), InFlightJobs.get().entries().toString());
        });
    }

    @Test
    void aQueueItemLostWithTheQueueIsQueuedAgainWithItsData() throws Throwable {
        ReceivedJob job = BuildTestSupport.job();
        sessions.then(j -> {
            BuildTestSupport.configure(endpoint);
            FreeStyleProject waiting = BuildTestSupport.queuedFor(j, "waiting", job);
            assertEquals(1, j.jenkins.getQueue().getItems(waiting).size());
        });
        // As if Jenkins had crashed before it saved its queue.
        File queue = new File(sessions.getHome(), "queue.xml");
        assertTrue(!queue.exists() || queue.delete());
        sessions.then(j -> {
            FreeStyleProject waiting = j.jenkins.getItemByFullName("waiting", FreeStyleProject.class);
            waiting.setAssignedLabel(null);
            FreeStyleBuild build = awaitBuild(waiting, job.jobId());
            j.assertBuildStatusSuccess(j.waitForCompletion(build));
            j.assertLogContains("Started by AWS CodePipeline: pipeline demo", build);
            assertEquals("demo", build.getAction(CodePipelineJobAction.class).getPipelineName());
            awaitSettled(job.jobId());
            assertEquals("PutJobSuccessResult", onlyResult(endpoint, job.jobId()).operation());
            assertEquals(1, waiting.getBuilds().size());
        });
    }

    @Test
    void aJobWhoseJenkinsJobIsGoneAfterTheRestartGetsConfigurationError() throws Throwable {
        ReceivedJob job = BuildTestSupport.job();
        sessions.then(j -> {
            BuildTestSupport.configure(endpoint);
            BuildTestSupport.queuedFor(j, "vanishing", job);
        });
        // Deleted while Jenkins was stopped (with the queue item that named it).
        Util.deleteRecursive(new File(sessions.getHome(), "jobs/vanishing"));
        File queue = new File(sessions.getHome(), "queue.xml");
        assertTrue(!queue.exists() || queue.delete());
        sessions.then(j -> {
            RecordedRequest result = awaitResult(endpoint, job.jobId());
            assertEquals("PutJobFailureResult", result.operation());
            assertTrue(result.body().contains("\"type\":\"ConfigurationError\""), result.body());
            assertTrue(result.body().contains("no longer exists"), result.body());
            awaitSettled(job.jobId());
            onlyResult(endpoint, job.jobId());
        });
    }

    @Test
    void aResultBeingSentWhenJenkinsStoppedIsSentAfterTheRestartOrFoundDelivered() throws Throwable {
        ReceivedJob unsent = BuildTestSupport.job();
        ReceivedJob arrived = BuildTestSupport.job();
        FakeCodePipeline.Fault unavailable = new FakeCodePipeline.Error(503, "ServiceUnavailableException",
                "Service unavailable");
        try (BuildTestSupport.RetryDelay notBeforeTheRestart = BuildTestSupport.retryDelay(600_000)) {
            sessions.then(j -> {
                BuildTestSupport.configure(endpoint);
                FreeStyleProject project = j.createFreeStyleProject("reporting");
                for (ReceivedJob job : List.of(unsent, arrived)) {
                    endpoint.enqueue(unavailable, unavailable, unavailable);
                    JobBuildScheduler.schedule(project, job, CONNECTION, false);
                    FreeStyleBuild build = j.assertBuildStatusSuccess(j.waitForCompletion(awaitBuild(project,
                            job.jobId())));
                    BuildTestSupport.await("three failed attempts", () -> results(endpoint, job.jobId()).size() == 3);
                    assertEquals(JobJournal.State.REPORTING, InFlightJobs.get().get(job.jobId()).orElseThrow().state());
                    assertNotNull(build.getAction(CodePipelineJobAction.class).getRetrying());
                }
            });
        }
        // As if the second result had arrived before Jenkins stopped, its answer lost.
        endpoint.setJobStatus(arrived.jobId(), "Succeeded");
        sessions.then(j -> {
            BuildTestSupport.awaitRecovery();
            FreeStyleProject project = j.jenkins.getItemByFullName("reporting", FreeStyleProject.class);

            RecordedRequest sent = BuildTestSupport.awaitAccepted(endpoint, unsent.jobId());
            assertEquals("PutJobSuccessResult", sent.operation(), "the build's own result, not 'killed'");
            awaitSettled(unsent.jobId());
            CodePipelineJobAction unsentAction = project.getBuildByNumber(1).getAction(CodePipelineJobAction.class);
            assertEquals(AutomaticReport.REPORTER, unsentAction.getReportedBy());
            assertEquals(1, BuildTestSupport.accepted(endpoint, unsent.jobId()).size());

            awaitSettled(arrived.jobId());
            CodePipelineJobAction arrivedAction = project.getBuildByNumber(2).getAction(CodePipelineJobAction.class);
            assertTrue(arrivedAction.isReported(), "a closed job means the result most likely arrived");
            assertTrue(arrivedAction.getReportedDetail().contains("most likely delivered earlier"),
                    arrivedAction.getReportedDetail());
            assertNull(arrivedAction.getUndelivered());
            assertEquals(List.of(), BuildTestSupport.accepted(endpoint, arrived.jobId()));
            assertTrue(InFlightJobs.get().entries().isEmpty(), InFlightJobs.get().entries().toString());
        });
    }

    @Test
    void aJobRecordedBeforeItsAcknowledgementIsFailedAfterTheRestartUnlessItWasNeverOurs() throws Throwable {
        ReceivedJob taken = BuildTestSupport.job();
        ReceivedJob notOurs = BuildTestSupport.job();
        sessions.then(j -> {
            BuildTestSupport.configure(endpoint);
            FreeStyleProject project = j.createFreeStyleProject("taking");
            // Jenkins stops between the record and the acknowledgement's answer.
            JobBuildScheduler.prepare(project, taken, CONNECTION);
            JobBuildScheduler.prepare(project, notOurs, CONNECTION);
            assertEquals(2, InFlightJobs.get().countFor(project), "a pending job takes its room");
            assertTrue(InFlightJobs.get().isPending(InFlightJobs.get().get(taken.jobId()).orElseThrow()));
        });
        // The second acknowledgement never went through: CodePipeline has the job closed for this controller.
        endpoint.setJobStatus(notOurs.jobId(), "TimedOut");
        sessions.then(j -> {
            BuildTestSupport.awaitRecovery();
            RecordedRequest failure = BuildTestSupport.awaitAccepted(endpoint, taken.jobId());
            assertEquals("PutJobFailureResult", failure.operation());
            assertTrue(failure.body().contains("Jenkins stopped while taking this CodePipeline job"), failure.body());
            awaitSettled(taken.jobId());
            awaitSettled(notOurs.jobId());
            assertEquals(1, results(endpoint, notOurs.jobId()).size(), "tried once, refused harmlessly");
            FreeStyleProject project = j.jenkins.getItemByFullName("taking", FreeStyleProject.class);
            assertTrue(project.getBuilds().isEmpty(), "no build for a job that may not be ours");
            assertTrue(j.jenkins.getQueue().getItems(project).isEmpty());
            assertEquals(0, InFlightJobs.get().countFor(project));
        });
    }
}
