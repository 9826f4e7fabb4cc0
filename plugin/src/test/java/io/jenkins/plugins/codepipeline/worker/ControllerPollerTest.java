package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Label;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.worker.build.InFlightJobs;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** How many keys are polled at once, and how many jobs a trigger may hold. */
@WithJenkins
class ControllerPollerTest {

    @Test
    void parallelismGrowsWithTheKeysWithinItsBounds() {
        assertEquals(4, ControllerPoller.parallelism(0));
        assertEquals(4, ControllerPoller.parallelism(1));
        assertEquals(4, ControllerPoller.parallelism(100));
        assertEquals(5, ControllerPoller.parallelism(101));
        assertEquals(8, ControllerPoller.parallelism(200));
        assertEquals(32, ControllerPoller.parallelism(800));
        assertEquals(32, ControllerPoller.parallelism(100_000));
    }

    @Test
    void aJobWithoutConcurrentBuildsHoldsAtMostTwo(JenkinsRule j) throws Exception {
        FreeStyleProject serial = j.createFreeStyleProject("serial");
        assertEquals(2, ControllerPoller.roomLimit(serial, 5), "one building, one waiting");
        assertEquals(1, ControllerPoller.roomLimit(serial, 1));
        serial.setConcurrentBuild(true);
        assertEquals(5, ControllerPoller.roomLimit(serial, 5));
        WorkflowJob pipeline = j.createProject(WorkflowJob.class, "pipeline");
        assertEquals(5, ControllerPoller.roomLimit(pipeline, 5), "a Pipeline runs concurrent builds by default");
    }

    /** Through the trigger: five jobs wait, maxJobsInFlight is 5, but a job without concurrent builds takes two. */
    @Test
    void theTriggerTakesNoMoreThanTheQueueCanStart(JenkinsRule j) throws Exception {
        try (FakeCodePipeline endpoint = WorkerTestSupport.startEndpoint()) {
            FreeStyleProject project = j.createFreeStyleProject("serial");
            project.setAssignedLabel(Label.get("nowhere")); // the builds stay in the queue
            for (int n = 0; n < 5; n++) {
                endpoint.addJob(WorkerTestSupport.job("serial"));
            }
            CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("serial");
            trigger.setMaxJobsInFlight(5);
            WorkerTestSupport.addTrigger(project, trigger);

            waitUntil("two jobs are taken", () -> InFlightJobs.get().countFor(project) == 2);
            ControllerPoller poller = ControllerPoller.get();
            long cycles = poller.cycles();
            waitUntil("three more cycles", () -> poller.cycles() >= cycles + 3);
            assertEquals(2, InFlightJobs.get().countFor(project));
            assertEquals(3, endpoint.jobIds("Created").size(), "the other three wait in CodePipeline");
            Pattern batch = Pattern.compile("\"maxBatchSize\"\\s*:\\s*(\\d+)");
            for (FakeCodePipeline.RecordedRequest poll : endpoint.requests("PollForJobs")) {
                Matcher m = batch.matcher(poll.body());
                assertTrue(m.find(), poll.body());
                assertTrue(Integer.parseInt(m.group(1)) <= 2, poll.body());
            }
        }
    }
}
