package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.triggers.Trigger;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import java.util.List;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The trigger's form keeps every field, in a freestyle job and in a Pipeline job's trigger property. */
@WithJenkins
class TriggerConfigRoundTripTest {
    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        WorkerTestSupport.noNetwork();
        WorkerTestSupport.addGlobalKeys(); // so that the credentials list offers "keys"
    }

    private static CodePipelineJobsTrigger everyField() {
        CodePipelineJobsTrigger trigger = new CodePipelineJobsTrigger("Deploy", "JenkinsDeploy", "2");
        trigger.setProjectName("app-1");
        trigger.setQueryPropertyName("Target");
        trigger.setRegion("eu-west-1");
        trigger.setCredentialsId("keys");
        trigger.setEndpointUrl("http://127.0.0.1:9");
        trigger.setMaxJobsInFlight(5);
        trigger.setUnstableAsSuccess(true);
        trigger.setBranches("main release-*");
        trigger.setReportProgress("always");
        return trigger;
    }

    @Test
    void freestyleKeepsEveryField() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("p");
        CodePipelineJobsTrigger before = everyField();
        WorkerTestSupport.addTrigger(project, before);

        j.configRoundtrip(project);

        CodePipelineJobsTrigger after = project.getTrigger(CodePipelineJobsTrigger.class);
        assertNotNull(after);
        assertNotSame(before, after);
        j.assertEqualDataBoundBeans(before, after);
        assertEquals(5, after.getMaxJobsInFlight());
        assertEquals("main release-*", after.getBranches());
        assertEquals("always", after.getReportProgress());
        // the form stopped the old instance and started the new one
        assertSame(project, after.getJob());
        List<CodePipelineJobsTrigger> started = TriggerRegistry.get().started();
        assertTrue(started.contains(after), started.toString());
        assertFalse(started.stream().anyMatch(t -> t == before), started.toString());
    }

    @Test
    void freestyleKeepsTheDefaults() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("p");
        CodePipelineJobsTrigger before = new CodePipelineJobsTrigger("Build", "Jenkins", "1");
        WorkerTestSupport.addTrigger(project, before);

        j.configRoundtrip(project);

        CodePipelineJobsTrigger after = project.getTrigger(CodePipelineJobsTrigger.class);
        j.assertEqualDataBoundBeans(before, after);
        assertNull(after.getProjectName());
        assertEquals("ProjectName", after.getQueryPropertyName());
        assertNull(after.getRegion());
        assertNull(after.getCredentialsId());
        assertNull(after.getEndpointUrl());
        assertEquals(CodePipelineJobsTrigger.DEFAULT_MAX_JOBS_IN_FLIGHT, after.getMaxJobsInFlight());
        assertFalse(after.isUnstableAsSuccess());
        assertNull(after.getBranches());
        assertEquals("", after.getReportProgress(), "the global default");
    }

    @Test
    void pipelineTriggerPropertyKeepsEveryField() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "pipeline");
        CodePipelineJobsTrigger before = everyField();
        job.addProperty(new PipelineTriggersJobProperty(List.of(before)));
        assertSame(job, before.getJob(), "adding the property starts its triggers");

        j.configRoundtrip(job);

        CodePipelineJobsTrigger after = ParameterizedJobMixIn.getTrigger(job, CodePipelineJobsTrigger.class);
        assertNotNull(after);
        j.assertEqualDataBoundBeans(before, after);
        assertSame(job, after.getJob());
        assertTrue(TriggerRegistry.get().started().contains(after));
    }

    @Test
    void snippetGeneratorWritesTheSymbol() throws Exception {
        String groovy = Snippetizer.object2Groovy(WorkerTestSupport.trigger("app"));
        assertTrue(groovy.startsWith("codePipelineJobs"), groovy);
        for (String argument : List.of("category: 'Build'", "provider: 'Jenkins'", "version: '1'",
                "projectName: 'app'", "region: 'us-east-1'", "credentialsId: 'keys'")) {
            assertTrue(groovy.contains(argument), groovy);
        }
        Trigger<?> trigger = WorkerTestSupport.trigger("app");
        assertTrue(trigger.getDescriptor().isApplicable(j.createFreeStyleProject()));
        assertTrue(trigger.getDescriptor().isApplicable(j.createProject(WorkflowJob.class)));
    }

    @Test
    void snippetGeneratorWritesReportProgressAndDeclarativeTakesIt() throws Exception {
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("app");
        trigger.setReportProgress("always");
        String groovy = Snippetizer.object2Groovy(trigger);
        assertTrue(groovy.contains("reportProgress: 'always'"), groovy);

        WorkflowJob job = j.createProject(WorkflowJob.class, "declarative");
        job.setDefinition(new CpsFlowDefinition("pipeline {\n"
                + "  agent none\n"
                + "  triggers {\n"
                + "    codePipelineJobs(category: 'Build', provider: 'Jenkins', version: '1', projectName: 'decl',\n"
                + "        credentialsId: 'keys', reportProgress: 'never')\n"
                + "  }\n"
                + "  stages { stage('build') { steps { echo 'configured' } } }\n"
                + "}", true));
        j.buildAndAssertSuccess(job);
        CodePipelineJobsTrigger set = ParameterizedJobMixIn.getTrigger(job, CodePipelineJobsTrigger.class);
        assertNotNull(set);
        assertEquals("never", set.getReportProgress());
        assertFalse(set.reportsProgress());
    }

    @Test
    void reportProgressFollowsTheGlobalDefaultUnlessChosen() {
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("app");
        assertEquals("", trigger.getReportProgress());
        assertFalse(trigger.reportsProgress(), "off by default");
        CodePipelineJobWorkerConfiguration.get().setReportProgress(true);
        assertTrue(trigger.reportsProgress(), "the global default");
        trigger.setReportProgress("never");
        assertFalse(trigger.reportsProgress());
        CodePipelineJobWorkerConfiguration.get().setReportProgress(false);
        trigger.setReportProgress("always");
        assertTrue(trigger.reportsProgress());
        trigger.setReportProgress("");
        assertEquals("", trigger.getReportProgress());
        assertFalse(trigger.reportsProgress());
    }

    @Test
    void maxJobsInFlightOutOfRangeCountsAsTheDefault() {
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("app");
        trigger.setMaxJobsInFlight(0);
        assertEquals(CodePipelineJobsTrigger.DEFAULT_MAX_JOBS_IN_FLIGHT, trigger.getMaxJobsInFlight());
        trigger.setMaxJobsInFlight(101);
        assertEquals(CodePipelineJobsTrigger.DEFAULT_MAX_JOBS_IN_FLIGHT, trigger.getMaxJobsInFlight());
        trigger.setMaxJobsInFlight(100);
        assertEquals(100, trigger.getMaxJobsInFlight());
    }

    @Test
    void branchGlobs() {
        assertTrue(CodePipelineJobsTrigger.matchesGlob("main", "main"));
        assertFalse(CodePipelineJobsTrigger.matchesGlob("main", "mainline"));
        assertTrue(CodePipelineJobsTrigger.matchesGlob("release-*", "release-1.2"));
        assertTrue(CodePipelineJobsTrigger.matchesGlob("release/*", "release/1.x"));
        assertTrue(CodePipelineJobsTrigger.matchesGlob("PR-?", "PR-7"));
        assertFalse(CodePipelineJobsTrigger.matchesGlob("PR-?", "PR-17"));
        assertFalse(CodePipelineJobsTrigger.matchesGlob("a.c", "abc"), "a dot is a dot");
    }
}
