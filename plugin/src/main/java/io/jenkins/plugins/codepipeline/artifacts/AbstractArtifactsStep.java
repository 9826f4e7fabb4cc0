package io.jenkins.plugins.codepipeline.artifacts;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.AbstractCodePipelineJobStep;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What both artifact steps share: which job, and where and how GetJobDetails is called. Every argument is optional,
 * with the defaults of the report steps: in a build started by the job worker's trigger, the build's CodePipeline job
 * (its id, region, endpoint and credentials together); otherwise the build's {@code CODEPIPELINE_JOB_ID}, region and
 * endpoint from the build's environment and the global configuration. S3 itself is reached with the job's artifact
 * credentials, at {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL} or the global S3 endpoint when one is set.
 */
public abstract class AbstractArtifactsStep extends Step {
    private String jobId;
    private String region;
    private String credentialsId;
    private String endpointUrl;

    public String getJobId() {
        return jobId;
    }

    @DataBoundSetter
    public void setJobId(String jobId) {
        this.jobId = Util.fixEmptyAndTrim(jobId);
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = Util.fixEmptyAndTrim(region);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getEndpointUrl() {
        return endpointUrl;
    }

    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = Util.fixEmptyAndTrim(endpointUrl);
    }

    ArtifactTransferSession.Arguments arguments() {
        return new ArtifactTransferSession.Arguments(jobId, region, credentialsId, endpointUrl);
    }

    /** The transfer, on the step's thread: the workspace and the build's environment are given. */
    abstract Map<String, String> transfer(Run<?, ?> run, FilePath workspace, EnvVars environment,
            TaskListener listener) throws Exception;

    /** "downloading input artifacts", for messages. */
    abstract String doing();

    /**
     * Runs a transfer off the CPS thread (it waits on S3 and the agent). An abort interrupts it: the agent-side call
     * is cancelled and a multipart upload is aborted.
     */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, String>> {
        private static final long serialVersionUID = 1L;

        private final transient AbstractArtifactsStep step;
        private final String doing;

        Execution(StepContext context, AbstractArtifactsStep step) {
            super(context);
            this.step = step;
            this.doing = step.doing();
        }

        @Override
        protected Map<String, String> run() throws Exception {
            StepContext context = getContext();
            EnvVars environment = context.get(EnvVars.class);
            return step.transfer(context.get(Run.class), context.get(FilePath.class),
                    environment == null ? new EnvVars() : environment, context.get(TaskListener.class));
        }

        /** A restart cut the transfer off: say so, instead of a generic resume error. */
        @Override
        public void onResume() {
            getContext().onFailure(new AbortException("Jenkins restarted while this build was " + doing + ". Run the "
                    + "step again: a download empties its directories first, an upload starts again."));
        }
    }

    /** Form lists and checks shared with the report steps; a workspace is required. */
    public abstract static class AbstractDescriptor extends AbstractCodePipelineJobStep.AbstractDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Run.class, TaskListener.class, EnvVars.class);
        }
    }
}
