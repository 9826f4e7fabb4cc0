package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Action;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Queue;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.SleepBuilder;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What the job's polling log says: the results the worker sent by itself, delivered or not (also for a job that
 * never got a build), a build that could not be scheduled, and poll errors, whose access key id only those who may
 * configure the job see in full.
 */
@WithJenkins
class TriggerPollingLogTest extends WorkerTestSupport.EndpointTest {

    private static String log(FreeStyleProject project) {
        JobPollingStatus status = ControllerPoller.get().statusOrNull(project.getFullName());
        return status == null ? "" : status.events().stream().map(JobPollingStatus.Event::getText)
                .collect(Collectors.joining("\n"));
    }

    @Test
    void aDeliveredAndAnUndeliveredResultAreInThePollingLog() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        project.getBuildersList().add(new SleepBuilder(4000));
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));

        // delivered
        String delivered = "61111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(delivered));
        waitUntil("the result of " + delivered + " is in the polling log",
                () -> log(project).contains("Reported success for job " + delivered));
        assertTrue(log(project).contains("Received job " + delivered), log(project));
        assertTrue(log(project).contains("its build is queued"), log(project));

        // the job times out in CodePipeline while its build runs: the result cannot be delivered
        String late = "62222222-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(late));
        waitUntil("the build of " + late + " runs", () -> project.getBuildByNumber(2) != null
                && project.getBuildByNumber(2).isBuilding());
        endpoint.setJobStatus(late, "TimedOut");
        j.waitForCompletion(project.getBuildByNumber(2));
        waitUntil("the undelivered result is in the polling log",
                () -> log(project).contains("The result of job " + late + " could not be delivered"));

        String page = j.createWebClient().getPage(project, "codepipeline-polling/").asNormalizedText();
        assertTrue(page.contains("could not be delivered"), page);
        assertTrue(page.contains("UNDELIVERED"), page);
        assertTrue(page.contains("REPORTED SUCCESS"), page);
    }

    /** A build the queue refuses: the job is failed at once, and the log does not say its build is queued. */
    @Test
    void aJobWhoseBuildCannotBeScheduledIsFailedAndLoggedSo() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("refused");
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("refused"));
        String jobId = "63333333-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("refused").withId(jobId));

        waitUntil("the job is failed", () -> endpoint.isClosed(jobId));
        List<RecordedRequest> results = endpoint.requests("PutJobFailureResult").stream()
                .filter(r -> jobId.equals(r.jobId())).toList();
        assertEquals(1, results.size(), results.toString());
        assertTrue(results.get(0).body().contains("ConfigurationError"), results.get(0).body());
        waitUntil("the result is in the polling log", () -> log(project).contains("Reported failure for job " + jobId));
        String log = log(project);
        assertTrue(log.contains("its build could not be scheduled"), log);
        assertFalse(log.contains("its build is queued"), log);
        assertNull(project.getLastBuild());
    }

    /** Refuses every build of the job named "refused", as a queue decision handler may. */
    @TestExtension("aJobWhoseBuildCannotBeScheduledIsFailedAndLoggedSo")
    public static final class RefuseBuilds extends Queue.QueueDecisionHandler {
        @Override
        public boolean shouldSchedule(Queue.Task p, List<Action> actions) {
            return !"refused".equals(p.getName());
        }
    }

    /** The access key id in a poll error: in full for those who may configure the job, masked for other readers. */
    @Test
    void pollErrorsShowTheAccessKeyIdOnlyToThoseWhoMayConfigure() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("dev"));
        // the next request is the trigger's first PollForJobs (no job yet, so no ListActionTypes before it)
        endpoint.enqueue(new FakeCodePipeline.Error(400, "AccessDeniedException", "not authorized to poll"));
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));
        waitUntil("a failed poll", () -> log(project).contains("Poll failed"));
        assertTrue(log(project).contains("access key " + WorkerTestSupport.ACCESS_KEY), log(project));

        String forDev = j.createWebClient().login("dev").getPage(project, "codepipeline-polling/")
                .getWebResponse().getContentAsString();
        assertTrue(forDev.contains(WorkerTestSupport.ACCESS_KEY), forDev);
        String forReader = j.createWebClient().login("reader").getPage(project, "codepipeline-polling/")
                .getWebResponse().getContentAsString();
        assertFalse(forReader.contains(WorkerTestSupport.ACCESS_KEY), forReader);
        assertTrue(forReader.contains("access key AKID****"), forReader);
    }
}
