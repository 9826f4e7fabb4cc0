package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * AcknowledgeJob throttled, unavailable or dropped: retried, and the job is built once; a job that could not be
 * acknowledged at all is taken again after CodePipeline hands it out again, and still built once. The cycles are run
 * one at a time by the test (the periodic poll is set to an hour), so that each fault falls on the request meant.
 */
@WithJenkins
class TriggerFaultsTest extends WorkerTestSupport.EndpointTest {
    private ControllerPoller poller;

    @BeforeEach
    void setUp() throws Exception {
        j.jenkins.setNumExecutors(2);
        poller = ControllerPoller.get();
    }

    private long acknowledgements(String jobId) {
        return WorkerTestSupport.requests(endpoint, "AcknowledgeJob", jobId);
    }

    @Test
    void aThrottledUnavailableOrDroppedAcknowledgementStartsOneBuild() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        WorkerTestSupport.quietPoller();
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));

        // 1. throttled, then 503, then acknowledged (the first poll with a job also lists the action types)
        String first = "71111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(first));
        endpoint.enqueue(new FakeCodePipeline.Delay(0), new FakeCodePipeline.Delay(0), FakeCodePipeline.throttle(),
                new FakeCodePipeline.Error(503, "ServiceUnavailableException", "Service unavailable"));
        poller.runCycle();
        assertEquals(3, acknowledgements(first), "two failed attempts, then the acknowledgement");
        waitUntil("the first job is closed", () -> endpoint.isClosed(first));

        // 2. the connection dropped before the answer: tried again
        String second = "72222222-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(second));
        endpoint.enqueue(new FakeCodePipeline.Delay(0), new FakeCodePipeline.Drop());
        poller.runCycle();
        assertEquals(2, acknowledgements(second));
        waitUntil("the second job is closed", () -> endpoint.isClosed(second));

        // 3. every attempt fails: the job is not taken; CodePipeline hands it out again, and it is built once. Only now
        // is a job handed out again a second after it was polled: the retries of 1. wait up to a second after a
        // throttled attempt, and a job handed out again meanwhile would refuse their nonce.
        endpoint.setDispatchTimeout(Duration.ofSeconds(1));
        String third = "73333333-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(third));
        endpoint.enqueue(new FakeCodePipeline.Delay(0), FakeCodePipeline.throttle(),
                new FakeCodePipeline.Error(503, "ServiceUnavailableException", "Service unavailable"),
                new FakeCodePipeline.Drop());
        poller.runCycle();
        assertEquals(3, acknowledgements(third));
        assertFalse(WorkerTestSupport.builtJobIds(List.of(project)).contains(third), "not built while not acknowledged");
        waitUntil("the third job is taken again and closed", () -> {
            poller.runCycle();
            return endpoint.isClosed(third);
        });
        j.waitUntilNoActivity();

        List<String> built = WorkerTestSupport.builtJobIds(List.of(project));
        assertEquals(List.of(third, second, first), built, "each job built once (newest build first)");
        for (String jobId : List.of(first, second, third)) {
            assertEquals(1, WorkerTestSupport.results(endpoint, jobId), "one result for " + jobId);
        }
    }

    /** The poll interval is read on every tick: a change applies from the next poll, with no restart. */
    @Test
    void aChangedPollIntervalAppliesFromTheNextPoll() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));
        waitUntil("a poll", () -> !endpoint.requests("PollForJobs").isEmpty());
        WorkerTestSupport.quietPoller();
        int polls = endpoint.requests("PollForJobs").size();
        long cycles = poller.cycles();
        // nothing happens to wait for here: three ticks of the periodic work pass without a poll
        Thread.sleep(3 * ControllerPoller.TICK_MILLIS + 500);
        assertEquals(cycles, poller.cycles(), "no cycle within an hour's interval");
        assertEquals(polls, endpoint.requests("PollForJobs").size());

        CodePipelineJobWorkerConfiguration.get().setPollIntervalSeconds(1);
        waitUntil("the next poll, at the new interval", Duration.ofSeconds(10),
                () -> endpoint.requests("PollForJobs").size() > polls);
        assertNotNull(poller.lastCycleEnd());
    }
}
