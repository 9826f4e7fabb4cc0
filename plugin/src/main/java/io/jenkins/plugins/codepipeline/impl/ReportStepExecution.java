package io.jenkins.plugins.codepipeline.impl;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.AbstractCodePipelineJobStep;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.worker.build.FollowUpWait;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs a report step off the CPS thread (it reads files and talks to AWS). An abort interrupts it: core stops
 * retrying at once. Returns the AWS request id of the answer.
 */
public final class ReportStepExecution extends SynchronousNonBlockingStepExecution<String> {
    private static final long serialVersionUID = 1L;

    private final transient AbstractCodePipelineJobStep step;
    /** Kept across a restart, so that the message can say which job to check. */
    private final String jobId;
    private final String resultKind;
    /** Set while the step waits for the live link's follow-up job (nothing sent yet), for {@link #onResume}. */
    private volatile boolean waitingForFollowUp;

    public ReportStepExecution(StepContext context, AbstractCodePipelineJobStep step, String jobId) {
        super(context);
        this.step = step;
        this.jobId = jobId;
        this.resultKind = step.resultKind();
    }

    @Override
    protected String run() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        EnvVars environment = getContext().get(EnvVars.class);
        if (environment == null) {
            environment = new EnvVars();
        }
        // The live link: a job of the build's chain is reported once the follow-up job is attached, to that job.
        waitingForFollowUp = true;
        String current;
        try {
            current = FollowUpWait.currentJob(run, jobId, listener.getLogger());
        } finally {
            waitingForFollowUp = false;
        }
        JobResult result;
        try {
            FilePath workspace = step.needsWorkspace() ? getContext().get(FilePath.class) : null;
            result = step.toResult(run, environment, workspace, current, listener);
        } catch (IOException | RuntimeException e) {
            // A step that fails before it sends (a missing variables file, a duplicate variable, a bad
            // revisionCreated) still fails the build's own job at completion, even when the Jenkinsfile catches it.
            JobResultSender.recordStepFailure(run, current, e.getMessage(), listener.getLogger());
            throw e;
        }
        // send records its own failures the same way.
        ReportOutcome outcome = JobResultSender.send(run, listener, environment, new JobResultSender.Request(result,
                step.getRegion(), step.getCredentialsId(), step.getEndpointUrl(), step.isTruncateLongText(),
                step.logsOutputVariableValues(), step.getDescriptor().getFunctionName()));
        if (outcome.status() == ReportOutcome.Status.DELIVERED_ANSWER_LOST) {
            FlowNode node = getContext().get(FlowNode.class);
            if (node != null) {
                node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(outcome.message()));
            }
            run.setResult(Result.UNSTABLE);
        }
        return outcome.requestId();
    }

    /** A restart cut the report off: say so, and which job to check, instead of a generic resume error. */
    @Override
    public void onResume() {
        if (waitingForFollowUp) {
            getContext().onFailure(new AbortException("Jenkins restarted while this build waited for CodePipeline's "
                    + "follow-up job of job " + jobId + " to report " + resultKind + "; nothing was sent. The build's "
                    + "result goes to the follow-up job when it comes."));
            return;
        }
        getContext().onFailure(new AbortException("Jenkins restarted while this build was reporting " + resultKind
                + " for CodePipeline job " + (jobId == null ? "(unknown id)" : jobId) + ". The result may or may not "
                + "have been delivered: check the job in the pipeline's history, and report again if it is still open."));
    }
}
