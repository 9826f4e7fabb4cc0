package io.jenkins.plugins.codepipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import io.jenkins.plugins.codepipeline.impl.JobResultSender;
import io.jenkins.plugins.codepipeline.impl.ReportStepExecution;
import java.io.IOException;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What both report steps share: which job, where to send, with which credentials. Every argument is optional: in a
 * build started by the job worker's trigger they default to that build's CodePipeline job (its id, region, endpoint
 * and credentials together); otherwise the job id defaults to the build's {@code CODEPIPELINE_JOB_ID}, region and
 * endpoint to the build's environment and the global configuration.
 */
public abstract class AbstractCodePipelineJobStep extends Step {
    private String jobId;
    private String region;
    private String credentialsId;
    private String endpointUrl;
    private String externalExecutionId;
    private boolean truncateLongText;

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

    public String getExternalExecutionId() {
        return externalExecutionId;
    }

    @DataBoundSetter
    public void setExternalExecutionId(String externalExecutionId) {
        this.externalExecutionId = Util.fixEmptyAndTrim(externalExecutionId);
    }

    public boolean isTruncateLongText() {
        return truncateLongText;
    }

    @DataBoundSetter
    public void setTruncateLongText(boolean truncateLongText) {
        this.truncateLongText = truncateLongText;
    }

    /**
     * Resolves the job id on the CPS thread (a lookup), so that the execution knows it even after a restart and can
     * name the job to check: the argument, else the build's CodePipeline job (in a build started by the job worker's
     * trigger), else {@code CODEPIPELINE_JOB_ID} from the environment.
     */
    @Override
    public StepExecution start(StepContext context) throws Exception {
        EnvVars environment = context.get(EnvVars.class);
        Run<?, ?> run = context.get(Run.class);
        String resolvedJobId = JobResultSender.jobId(run, jobId, environment).value();
        return new ReportStepExecution(context, this, resolvedJobId);
    }

    /** Whether a workspace file has to be read. */
    public boolean needsWorkspace() {
        return false;
    }

    /** Whether the log may show output-variable values. */
    public boolean logsOutputVariableValues() {
        return false;
    }

    /** "success" or "failure", for messages. */
    public abstract String resultKind();

    /**
     * The result to send, from the arguments and the build's defaults.
     *
     * @param jobId     the resolved job id, possibly null (the validator then says what is missing)
     * @param workspace the workspace, when {@link #needsWorkspace()}
     */
    public abstract JobResult toResult(Run<?, ?> run, EnvVars environment, @CheckForNull FilePath workspace,
            @CheckForNull String jobId, TaskListener listener) throws IOException, InterruptedException;

    /**
     * The external execution id: the argument; else, in a build started by the job worker's trigger, the id the
     * {@code /codepipeline/build/} redirect resolves; else the build number.
     */
    protected String externalExecutionIdOr(Run<?, ?> run) {
        return externalExecutionId != null ? externalExecutionId : JobResultSender.defaultExternalExecutionId(run);
    }

    /** Form lists and checks shared by the two step descriptors. */
    public abstract static class AbstractDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            // Not FilePath: the steps also run outside node {}; the workspace is asked for only when a file is read.
            return Set.of(Run.class, TaskListener.class);
        }

        @POST
        public ListBoxModel doFillRegionItems(@AncestorInPath Item item, @QueryParameter String region) {
            FormHelpers.checkReadPermission(item);
            return FormHelpers.regionItems(region, Messages.FormHelpers_RegionFromEnvironment());
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return FormHelpers.credentialsItems(item, credentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return FormHelpers.checkCredentialsId(item, value);
        }

        @POST
        public FormValidation doCheckJobId(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return FormHelpers.checkJobId(value);
        }

        @POST
        public FormValidation doCheckEndpointUrl(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return FormHelpers.checkEndpointUrl(value);
        }
    }
}
