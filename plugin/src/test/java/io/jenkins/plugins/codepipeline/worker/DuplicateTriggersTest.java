package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.util.FormValidation;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import java.util.List;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Two triggers for the same jobs are a configuration error on both, and neither polls; a trigger without value is
 * refused while another trigger of its type has one.
 */
@WithJenkins
class DuplicateTriggersTest extends WorkerTestSupport.EndpointTest {

    private static TriggerRegistry.Evaluation evaluation(FreeStyleProject project) {
        List<TriggerRegistry.Evaluation> evaluations = TriggerRegistry.get().evaluate(project);
        assertEquals(1, evaluations.size(), evaluations.toString());
        return evaluations.get(0);
    }

    @Test
    void duplicatesAreShownOnBothAndNeitherPolls() throws Exception {
        // No poll while the triggers are added one after the other: a alone would poll (rightly) until b exists.
        WorkerTestSupport.quietPoller();
        FreeStyleProject a = j.createFreeStyleProject("a");
        FreeStyleProject b = j.createFreeStyleProject("b");
        WorkerTestSupport.addTrigger(a, WorkerTestSupport.trigger("app"));
        WorkerTestSupport.addTrigger(b, WorkerTestSupport.trigger("app"));
        endpoint.addJob(WorkerTestSupport.job("app"));

        TriggerRegistry.Evaluation ea = evaluation(a);
        TriggerRegistry.Evaluation eb = evaluation(b);
        assertEquals(TriggerRegistry.State.DUPLICATE, ea.state());
        assertEquals(TriggerRegistry.State.DUPLICATE, eb.state());
        assertTrue(ea.reason().contains("the trigger of b"), ea.reason());
        assertTrue(eb.reason().contains("the trigger of a"), eb.reason());

        // Counted from here: both triggers exist.
        ControllerPoller poller = ControllerPoller.get();
        int pollsBefore = endpoint.requests("PollForJobs").size();
        long cycles = poller.cycles();
        CodePipelineJobWorkerConfiguration.get().setPollIntervalSeconds(1);
        waitUntil("three polls", () -> poller.cycles() >= cycles + 3);
        assertEquals(pollsBefore, endpoint.requests("PollForJobs").size(), "neither polls");
        assertNull(a.getLastBuild());
        assertNull(b.getLastBuild());

        // on both job pages
        JenkinsRule.WebClient wc = j.createWebClient();
        for (FreeStyleProject project : List.of(a, b)) {
            HtmlPage page = wc.getPage(project, "codepipeline-polling/");
            assertTrue(page.asNormalizedText().contains("Two triggers for the same jobs are a configuration error"),
                    page.asNormalizedText());
        }
        // and in the form of a third job
        FormValidation check = checkProjectName(j.createFreeStyleProject("c"), "app");
        assertEquals(FormValidation.Kind.ERROR, check.kind, check.getMessage());
        assertTrue(check.getMessage().contains("a, b") || check.getMessage().contains("b, a"), check.getMessage());

        // resolved: b takes another value, both poll
        b.getTrigger(CodePipelineJobsTrigger.class).stop();
        CodePipelineJobsTrigger other = WorkerTestSupport.trigger("other");
        WorkerTestSupport.addTrigger(b, other);
        assertEquals(TriggerRegistry.State.POLLING, evaluation(a).state());
        assertEquals(TriggerRegistry.State.POLLING, evaluation(b).state());
        waitUntil("a builds the job", () -> a.getLastBuild() != null);
    }

    @Test
    void aTriggerInAnotherRegionIsNoDuplicate() throws Exception {
        FreeStyleProject a = j.createFreeStyleProject("a");
        FreeStyleProject b = j.createFreeStyleProject("b");
        WorkerTestSupport.addTrigger(a, WorkerTestSupport.trigger("app"));
        CodePipelineJobsTrigger west = WorkerTestSupport.trigger("app");
        west.setRegion("eu-west-1");
        WorkerTestSupport.addTrigger(b, west);
        assertEquals(TriggerRegistry.State.POLLING, evaluation(a).state());
        assertEquals(TriggerRegistry.State.POLLING, evaluation(b).state());
    }

    @Test
    void aTriggerWithoutValueIsRefusedWhileAnotherHasOne() throws Exception {
        FreeStyleProject valued = j.createFreeStyleProject("valued");
        WorkerTestSupport.addTrigger(valued, WorkerTestSupport.trigger("app"));
        FreeStyleProject all = j.createFreeStyleProject("all");
        FormValidation check = checkProjectName(all, "");
        assertEquals(FormValidation.Kind.WARNING, check.kind, check.getMessage());
        assertTrue(check.getMessage().contains("valued"), check.getMessage());

        WorkerTestSupport.addTrigger(all, WorkerTestSupport.trigger(null));
        assertEquals(TriggerRegistry.State.POLLING, evaluation(valued).state());
        TriggerRegistry.Evaluation refused = evaluation(all);
        assertEquals(TriggerRegistry.State.REFUSED_CATCH_ALL, refused.state());
        assertTrue(refused.reason().contains("valued"), refused.reason());

        // the catch-all alone polls
        valued.getTrigger(CodePipelineJobsTrigger.class).stop();
        assertEquals(TriggerRegistry.State.POLLING, evaluation(all).state());
    }

    @Test
    void aDisabledJobIsNoDuplicate() throws Exception {
        FreeStyleProject a = j.createFreeStyleProject("a");
        FreeStyleProject b = j.createFreeStyleProject("b");
        WorkerTestSupport.addTrigger(a, WorkerTestSupport.trigger("app"));
        WorkerTestSupport.addTrigger(b, WorkerTestSupport.trigger("app"));
        b.makeDisabled(true);
        assertEquals(TriggerRegistry.State.POLLING, evaluation(a).state());
        assertEquals(TriggerRegistry.State.JOB_DISABLED, evaluation(b).state());
    }

    @Test
    void aDeletedJobStopsPolling() throws Exception {
        FreeStyleProject a = j.createFreeStyleProject("a");
        WorkerTestSupport.addTrigger(a, WorkerTestSupport.trigger("app"));
        FreeStyleProject b = j.createFreeStyleProject("b");
        WorkerTestSupport.addTrigger(b, WorkerTestSupport.trigger("app"));
        assertEquals(TriggerRegistry.State.DUPLICATE, evaluation(a).state());
        b.delete();
        assertEquals(TriggerRegistry.State.POLLING, evaluation(a).state());
        assertTrue(TriggerRegistry.get().started().stream().noneMatch(t -> t.getJob() == b));
    }

    private FormValidation checkProjectName(FreeStyleProject project, String value) {
        CodePipelineJobsTrigger.DescriptorImpl descriptor =
                j.jenkins.getDescriptorByType(CodePipelineJobsTrigger.DescriptorImpl.class);
        return descriptor.doCheckProjectName(project, value, "ProjectName", "Build", "Jenkins", "1", "us-east-1", "");
    }
}
