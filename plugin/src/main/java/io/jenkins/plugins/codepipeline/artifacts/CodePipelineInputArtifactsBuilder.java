package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import java.io.IOException;
import java.util.List;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Freestyle build step "Get AWS CodePipeline input artifacts": the job's input artifacts into the workspace, as
 * {@link CodePipelineInputArtifactsStep} does. Text fields expand {@code ${VAR}} from the build's environment.
 */
public class CodePipelineInputArtifactsBuilder extends Builder implements SimpleBuildStep {
    static final String SYMBOL = "codePipelineInputArtifactsBuilder";
    private String artifactNames;
    private String dir;
    private String jobId;
    private String region;
    private String credentialsId;
    private String endpointUrl;

    @DataBoundConstructor
    public CodePipelineInputArtifactsBuilder() {
        // every field is optional
    }

    /** Names separated by commas or spaces; blank for every input artifact of the job. */
    public String getArtifactNames() {
        return artifactNames;
    }

    @DataBoundSetter
    public void setArtifactNames(String artifactNames) {
        this.artifactNames = Util.fixEmptyAndTrim(artifactNames);
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Util.fixEmptyAndTrim(dir);
    }

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

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        List<String> names = ArtifactNames.split(FreestyleConnection.expanded(env, artifactNames));
        ArtifactTransferSession.download(run, workspace, env, listener,
                FreestyleConnection.expand(env, jobId, region, credentialsId, endpointUrl), names,
                FreestyleConnection.expanded(env, dir));
    }

    @Extension
    @Symbol(SYMBOL)
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodePipelineInputArtifactsBuilder_DisplayName();
        }

        @POST
        public FormValidation doCheckDir(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return ArtifactNames.checkInputDir(value);
        }

        @POST
        public ListBoxModel doFillRegionItems(@AncestorInPath Item item, @QueryParameter String region) {
            return FreestyleConnection.regionItems(item, region);
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
            return FreestyleConnection.checkJobId(item, value);
        }

        @POST
        public FormValidation doCheckEndpointUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return FreestyleConnection.checkEndpointUrl(item, value);
        }
    }
}
