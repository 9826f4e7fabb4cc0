package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobCause;
import java.util.List;
import jenkins.model.ParameterizedJobMixIn;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The trigger against core's in-process CodePipeline: it polls, acknowledges, and the build side starts the build.
 * The poll interval is one second; every wait has a time limit, none a fixed length.
 */
@WithJenkins
class TriggerPollingTest extends WorkerTestSupport.EndpointTest {
    private static final String FOLDER_ACCESS_KEY = "AKIDFOLDERTEST";

    private static Run<?, ?> waitForBuild(Job<?, ?> job, int number) throws InterruptedException {
        waitUntil(job.getFullName() + " #" + number + " exists", () -> job.getBuildByNumber(number) != null);
        return job.getBuildByNumber(number);
    }

    @Test
    void aFreestyleJobIsBuiltForItsJob() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));
        String jobId = "11111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(jobId));

        FreeStyleBuild build = (FreeStyleBuild) waitForBuild(project, 1);
        j.waitForCompletion(build);
        CodePipelineJobCause cause = build.getCause(CodePipelineJobCause.class);
        assertNotNull(cause, "started by the job");
        assertEquals(jobId, cause.getJobId());
        waitUntil("the job is closed", () -> endpoint.isClosed(jobId));

        List<RecordedRequest> acks = endpoint.requests("AcknowledgeJob");
        assertEquals(1, acks.stream().filter(r -> jobId.equals(r.jobId())).count(), "acknowledged once");
        assertEquals(WorkerTestSupport.ACCESS_KEY, acks.get(0).accessKeyId());
        assertEquals("us-east-1", acks.get(0).region());
        for (RecordedRequest poll : endpoint.requests("PollForJobs")) {
            assertTrue(poll.body().contains("\"ProjectName\":\"app\""), poll.body());
            assertTrue(poll.body().contains("\"provider\":\"Jenkins\""), poll.body());
        }

        // the polling page shows the job and its build, and no secret
        JenkinsRule.WebClient wc = j.createWebClient();
        HtmlPage page = wc.getPage(project, "codepipeline-polling/");
        String text = page.asNormalizedText();
        assertTrue(text.contains(jobId), text);
        assertTrue(text.contains("Polling"), text);
        assertTrue(text.contains(build.getFullDisplayName()), text);
        assertTrue(!page.getWebResponse().getContentAsString().contains(WorkerTestSupport.SECRET_KEY));
        assertNull(project.getBuildByNumber(2), "one build for one job");
    }

    @Test
    void throttledPollsAreRetriedAndTheJobRunsOnce() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));
        ControllerPoller poller = ControllerPoller.get();
        long cycles = poller.cycles();
        waitUntil("a first poll", () -> poller.cycles() > cycles);
        int pollsBefore = endpoint.requests("PollForJobs").size();

        endpoint.enqueue(FakeCodePipeline.throttle(), FakeCodePipeline.throttle());
        String jobId = "21111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("app").withId(jobId));

        FreeStyleBuild build = (FreeStyleBuild) waitForBuild(project, 1);
        j.waitForCompletion(build);
        waitUntil("the job is closed", () -> endpoint.isClosed(jobId));
        assertTrue(endpoint.requests("PollForJobs").size() >= pollsBefore + 3, "two throttled polls, then one more");
        assertEquals(1, endpoint.requests("AcknowledgeJob").stream().filter(r -> jobId.equals(r.jobId())).count());
        // a few more polls: the job is not taken again
        long now = poller.cycles();
        waitUntil("three more polls", () -> poller.cycles() >= now + 3);
        assertNull(project.getBuildByNumber(2), "one build for one job");
    }

    @Test
    void aDisabledJobDoesNotPoll() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        project.makeDisabled(true);
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));
        ControllerPoller poller = ControllerPoller.get();
        long cycles = poller.cycles();
        waitUntil("three polls", () -> poller.cycles() >= cycles + 3);
        assertEquals(0, endpoint.requests("PollForJobs").size(), "a disabled job does not poll");
        assertEquals(TriggerRegistry.State.JOB_DISABLED, TriggerRegistry.get().evaluate(project).get(0).state());
    }

    @Test
    void aDeclarativeTriggerTakesEffectAfterOneRun() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "declarative");
        job.setDefinition(new CpsFlowDefinition("pipeline {\n"
                + "  agent none\n"
                + "  triggers {\n"
                + "    codePipelineJobs(category: 'Build', provider: 'Jenkins', version: '1', projectName: 'decl',\n"
                + "        region: 'us-east-1', credentialsId: 'keys')\n"
                + "  }\n"
                + "  stages { stage('build') { steps { echo \"job ${env.CODEPIPELINE_JOB_ID}\" } } }\n"
                + "}", true));
        assertNull(ParameterizedJobMixIn.getTrigger(job, CodePipelineJobsTrigger.class), "not before a run");

        j.buildAndAssertSuccess(job);
        CodePipelineJobsTrigger trigger = ParameterizedJobMixIn.getTrigger(job, CodePipelineJobsTrigger.class);
        assertNotNull(trigger, "the run set the trigger");
        assertEquals(TriggerRegistry.State.POLLING, TriggerRegistry.get().evaluate(job).get(0).state());

        String jobId = "31111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("decl").withId(jobId));
        WorkflowRun run = (WorkflowRun) waitForBuild(job, 2);
        j.waitForCompletion(run);
        j.assertBuildStatusSuccess(run);
        j.assertLogContains("job " + jobId, run);
        assertNotNull(run.getCause(CodePipelineJobCause.class));
        waitUntil("the job is closed", () -> endpoint.isClosed(jobId));
    }

    @Test
    void aScriptedPipelineTriggerTakesEffectAfterOneRun() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "scripted");
        job.setDefinition(new CpsFlowDefinition("properties([pipelineTriggers([codePipelineJobs(category: 'Build', "
                + "provider: 'Jenkins', version: '1', projectName: 'scripted', region: 'us-east-1', "
                + "credentialsId: 'keys')])])\n"
                + "echo \"job ${env.CODEPIPELINE_JOB_ID}\"", true));
        j.buildAndAssertSuccess(job);
        assertNotNull(ParameterizedJobMixIn.getTrigger(job, CodePipelineJobsTrigger.class));

        String jobId = "41111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("scripted").withId(jobId));
        WorkflowRun run = (WorkflowRun) waitForBuild(job, 2);
        j.waitForCompletion(run);
        j.assertLogContains("job " + jobId, run);
    }

    /** A job in a folder polls, acknowledges and reports with the folder's credentials, which other jobs do not see. */
    @Test
    void aFolderJobUsesTheFoldersCredentials() throws Exception {
        Folder folder = j.jenkins.createProject(Folder.class, "team");
        CredentialsStore store = null;
        for (CredentialsStore s : CredentialsProvider.lookupStores(folder)) {
            if (s.getContext() == folder) {
                store = s;
            }
        }
        assertNotNull(store, "the folder's credentials store");
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                "folder-keys", "the folder's keys", FOLDER_ACCESS_KEY, "f0lder-Secret-Key"));
        FreeStyleProject project = folder.createProject(FreeStyleProject.class, "app");
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("team-app");
        trigger.setCredentialsId("folder-keys");
        WorkerTestSupport.addTrigger(project, trigger);
        FreeStyleProject outside = j.createFreeStyleProject("outside");
        CodePipelineJobsTrigger outsideTrigger = WorkerTestSupport.trigger("outside");
        outsideTrigger.setCredentialsId("folder-keys");
        WorkerTestSupport.addTrigger(outside, outsideTrigger);

        String jobId = "51111111-2222-3333-4444-555555555555";
        endpoint.addJob(WorkerTestSupport.job("team-app").withId(jobId));
        FreeStyleBuild build = (FreeStyleBuild) waitForBuild(project, 1);
        j.waitForCompletion(build);
        assertEquals("team/app", build.getParent().getFullName());
        assertNotNull(build.getCause(CodePipelineJobCause.class));
        waitUntil("the job is closed", () -> endpoint.isClosed(jobId));
        for (RecordedRequest r : endpoint.requests()) {
            if (jobId.equals(r.jobId())) {
                assertEquals(FOLDER_ACCESS_KEY, r.accessKeyId(), r.operation() + " signed with the folder's keys");
            }
        }
        // the job outside the folder does not see them
        ControllerPoller poller = ControllerPoller.get();
        waitUntil("the outside job's failed poll", () -> {
            JobPollingStatus status = poller.statusOrNull("outside");
            return status != null && status.lastOutcome() != null && status.lastOutcome().failed();
        });
        assertTrue(poller.statusOrNull("outside").lastOutcome().errorMessage()
                .contains("Credentials 'folder-keys' were not found"));
        assertNull(outside.getLastBuild());
    }

    @Test
    void missingCredentialsShowOnTheJobPage() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("app");
        trigger.setCredentialsId("nope");
        WorkerTestSupport.addTrigger(project, trigger);
        ControllerPoller poller = ControllerPoller.get();
        waitUntil("a failed poll", () -> {
            JobPollingStatus status = poller.statusOrNull(project.getFullName());
            return status != null && status.lastOutcome() != null && status.lastOutcome().failed();
        });
        assertEquals(0, endpoint.requests("PollForJobs").size());
        HtmlPage page = j.createWebClient().getPage(project, "codepipeline-polling/");
        String text = page.asNormalizedText();
        assertTrue(text.contains("Credentials 'nope' were not found"), text);
        // logged once, not once per poll
        long cycles = poller.cycles();
        waitUntil("two more polls", () -> poller.cycles() >= cycles + 2);
        long failures = poller.statusOrNull(project.getFullName()).events().stream()
                .filter(e -> e.getText().contains("'nope'")).count();
        assertEquals(1, failures, "the failure is in the polling log once");
    }
}
