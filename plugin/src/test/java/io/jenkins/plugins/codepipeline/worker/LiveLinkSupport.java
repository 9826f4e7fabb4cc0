package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import io.jenkins.plugins.codepipeline.core.worker.ExecutionIds;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What the live link's tests share (the trigger's {@code reportProgress}, issue 10): reading the early report and the
 * final result of a chain of jobs at core's fake endpoint, which queues a follow-up job when a success carries a
 * continuation token ({@link FakeCodePipeline#followUpJobId}).
 */
final class LiveLinkSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUCCESS = "PutJobSuccessResult";
    static final String FAILURE = "PutJobFailureResult";

    private LiveLinkSupport() {
    }

    /** The trigger of {@link WorkerTestSupport#trigger} with {@code reportProgress} set ("always", "never", ""). */
    static CodePipelineJobsTrigger trigger(String projectName, String reportProgress) {
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger(projectName);
        trigger.setReportProgress(reportProgress);
        return trigger;
    }

    /** A Pipeline job running {@code script} in the sandbox, with the trigger in its trigger property (started). */
    static WorkflowJob pipeline(JenkinsRule j, String name, CodePipelineJobsTrigger trigger, String script)
            throws IOException {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        job.addProperty(new PipelineTriggersJobProperty(List.of(trigger))); // adding the property starts the trigger
        return job;
    }

    /** The request's body as JSON. */
    static JsonNode body(RecordedRequest request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            return fail("not JSON: " + request.body(), e);
        }
    }

    /** The results (success and failure) the endpoint received for a job, in order. */
    static List<RecordedRequest> results(FakeCodePipeline endpoint, String jobId) {
        return endpoint.requests().stream()
                .filter(r -> SUCCESS.equals(r.operation()) || FAILURE.equals(r.operation()))
                .filter(r -> jobId.equals(r.jobId()))
                .toList();
    }

    /** The one result the endpoint received for a job; fails for none or several. */
    static RecordedRequest onlyResult(FakeCodePipeline endpoint, String jobId) {
        List<RecordedRequest> results = results(endpoint, jobId);
        assertEquals(1, results.size(), "one result for " + jobId + ": " + results);
        return results.get(0);
    }

    /** How many AcknowledgeJob requests named the job. */
    static long acknowledgements(FakeCodePipeline endpoint, String jobId) {
        return WorkerTestSupport.requests(endpoint, "AcknowledgeJob", jobId);
    }

    /** The continuation token of a result, or null. */
    static String token(RecordedRequest result) {
        JsonNode token = body(result).get("continuationToken");
        return token == null || token.isNull() ? null : token.asText();
    }

    /** A token as the worker issues it for a chain whose first job is {@code firstJobId}. */
    static Pattern tokenOf(String firstJobId) {
        return Pattern.compile("jcp1:[0-9a-f]{16}:" + Pattern.quote(firstJobId));
    }

    /**
     * Checks the early report on {@code jobId} (the first job of a chain) made for {@code build}: one success, accepted,
     * with the worker's token, the build's external execution id, a "... running" summary naming the build, and no
     * output variables. Returns the token.
     */
    static String assertEarlyReport(FakeCodePipeline endpoint, String jobId, Run<?, ?> build)
            throws InterruptedException {
        awaitResult(endpoint, jobId); // sent from a background pool once the build started
        RecordedRequest early = onlyResult(endpoint, jobId);
        assertEquals(SUCCESS, early.operation(), early.body());
        assertEquals("ok", early.verdict(), early.toString());
        String token = token(early);
        assertNotNull(token, "the early report carries a continuation token: " + early.body());
        assertTrue(tokenOf(jobId).matcher(token).matches(), token);
        assertTrue(token.length() < 2048, token);
        assertTrue(ContinuationTokens.parse(token).isPresent(), token);
        JsonNode details = body(early).path("executionDetails");
        assertEquals(ExecutionIds.encode(build.getParent().getFullName(), build.getNumber()),
                details.path("externalExecutionId").asText(), early.body());
        String summary = details.path("summary").asText();
        assertTrue(summary.endsWith(" running"), summary);
        assertTrue(summary.contains(build.getDisplayName()), summary + " names " + build.getDisplayName());
        JsonNode percent = details.get("percentComplete");
        if (percent != null && !percent.isNull()) {
            assertTrue(percent.asInt() >= 0 && percent.asInt() <= 99, early.body());
        }
        assertTrue(body(early).path("outputVariables").isMissingNode() || body(early).path("outputVariables").isEmpty(),
                "no output variables with a token: " + early.body());
        return token;
    }

    /** The final result on the chain's last job: exactly one, accepted, and without a continuation token of ours. */
    static RecordedRequest assertFinalResult(FakeCodePipeline endpoint, String jobId) throws InterruptedException {
        awaitResult(endpoint, jobId);
        RecordedRequest result = onlyResult(endpoint, jobId);
        assertEquals("ok", result.verdict(), result.toString());
        String token = token(result);
        assertFalse(token != null && token.startsWith(ContinuationTokens.PREFIX), "not an early report: " + token);
        return result;
    }

    /**
     * Waits until the endpoint recorded a result for the job. The fake changes the job's state (closed, follow-up
     * queued) before it records the request, so a state seen does not yet mean the request is in
     * {@link FakeCodePipeline#requests()}.
     */
    static void awaitResult(FakeCodePipeline endpoint, String jobId) throws InterruptedException {
        WorkerTestSupport.waitUntil("a result for " + jobId + " is recorded", () -> !results(endpoint, jobId).isEmpty());
    }

    /** The follow-up job CodePipeline queued after the early report on {@code jobId}, once there is one. */
    static String awaitFollowUp(FakeCodePipeline endpoint, String jobId) throws InterruptedException {
        WorkerTestSupport.waitUntil("a follow-up job of " + jobId, () -> endpoint.followUpJobId(jobId) != null);
        awaitResult(endpoint, jobId);
        return endpoint.followUpJobId(jobId);
    }

    /** Waits until the job's result was accepted by the endpoint (it is closed) and the request is recorded. */
    static void awaitClosed(FakeCodePipeline endpoint, String jobId) throws InterruptedException {
        WorkerTestSupport.waitUntil("job " + jobId + " is closed", () -> endpoint.isClosed(jobId));
        awaitResult(endpoint, jobId);
    }

    /** The build of {@code job} whose chain started with {@code firstJobId}, once it exists. */
    static <J extends Job<J, R>, R extends Run<J, R>> R awaitBuild(J job, String firstJobId) throws InterruptedException {
        WorkerTestSupport.waitUntil("a build of " + job.getFullName() + " for " + firstJobId,
                () -> buildOf(job, firstJobId) != null);
        return buildOf(job, firstJobId);
    }

    private static <J extends Job<J, R>, R extends Run<J, R>> R buildOf(J job, String firstJobId) {
        for (R run : job.getBuilds()) {
            CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
            if (action != null && firstJobId.equals(action.getFirstJobId())) {
                return run;
            }
        }
        return null;
    }

    /** Waits until the build's current job is {@code jobId} (the follow-up job is attached). */
    static void awaitAttached(Run<?, ?> build, String jobId) throws InterruptedException {
        WorkerTestSupport.waitUntil(build + " runs job " + jobId, () -> {
            CodePipelineJobAction action = build.getAction(CodePipelineJobAction.class);
            return action != null && jobId.equals(action.getJobId());
        });
    }
}
