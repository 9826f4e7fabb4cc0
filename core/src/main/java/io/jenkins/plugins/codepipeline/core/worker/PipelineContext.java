package io.jenkins.plugins.codepipeline.core.worker;

import java.io.Serializable;

/** Where in a pipeline a job comes from; any member may be null. */
public record PipelineContext(String pipelineName, String pipelineArn, String pipelineExecutionId,
        String stageName, String actionName, String actionExecutionId) implements Serializable {

    static PipelineContext fromSdk(software.amazon.awssdk.services.codepipeline.model.PipelineContext context) {
        if (context == null) {
            return new PipelineContext(null, null, null, null, null, null);
        }
        return new PipelineContext(context.pipelineName(), context.pipelineArn(), context.pipelineExecutionId(),
                context.stage() == null ? null : context.stage().name(),
                context.action() == null ? null : context.action().name(),
                context.action() == null ? null : context.action().actionExecutionId());
    }

    /** {@code pipeline/stage/action}, for lists and logs; a missing part shows as {@code ?}. */
    public String describe() {
        return orUnknown(pipelineName) + "/" + orUnknown(stageName) + "/" + orUnknown(actionName);
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }
}
