package io.jenkins.plugins.codepipeline.worker.build;

import hudson.model.Cause;
import java.util.Objects;

/**
 * "Started by AWS CodePipeline: pipeline demo, execution 1234…, stage Build, action Jenkins". Equal for the same
 * CodePipeline job, so that the queue never counts one job's cause twice.
 */
public final class CodePipelineJobCause extends Cause {
    private final String jobId;
    private final String pipelineName;
    private final String pipelineExecutionId;
    private final String stageName;
    private final String actionName;

    public CodePipelineJobCause(String jobId, String pipelineName, String pipelineExecutionId, String stageName,
            String actionName) {
        this.jobId = jobId;
        this.pipelineName = pipelineName;
        this.pipelineExecutionId = pipelineExecutionId;
        this.stageName = stageName;
        this.actionName = actionName;
    }

    static CodePipelineJobCause of(CodePipelineJobAction action) {
        return new CodePipelineJobCause(action.getJobId(), action.getPipelineName(), action.getPipelineExecutionId(),
                action.getStageName(), action.getActionName());
    }

    public String getJobId() {
        return jobId;
    }

    public String getPipelineName() {
        return pipelineName;
    }

    public String getPipelineExecutionId() {
        return pipelineExecutionId;
    }

    public String getStageName() {
        return stageName;
    }

    public String getActionName() {
        return actionName;
    }

    @Override
    public String getShortDescription() {
        return Messages.CodePipelineJobCause_ShortDescription(orUnknown(pipelineName), orUnknown(pipelineExecutionId),
                orUnknown(stageName), orUnknown(actionName), jobId);
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CodePipelineJobCause c && Objects.equals(jobId, c.jobId);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(jobId);
    }
}
