package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Publisher;
import hudson.tasks.Recorder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Freestyle post-build action "Upload AWS CodePipeline output artifacts", as {@link CodePipelineOutputArtifactsStep}
 * does. A recorder: it runs before the notifiers (the "Report to AWS CodePipeline" action is one) and before the job
 * worker's automatic report, so the result is reported only once the outputs are uploaded. A build that already
 * failed uploads nothing. Text fields expand {@code ${VAR}} from the build's environment.
 */
public class CodePipelineOutputArtifactsRecorder extends Recorder implements SimpleBuildStep {
    static final String SYMBOL = "codePipelineOutputArtifactsRecorder";
    private List<OutputArtifact> artifacts;
    private String jobId;
    private String region;
    private String credentialsId;
    private String endpointUrl;

    @DataBoundConstructor
    public CodePipelineOutputArtifactsRecorder() {
        // every field is optional
    }

    public List<OutputArtifact> getArtifacts() {
        return artifacts;
    }

    @DataBoundSetter
    public void setArtifacts(List<OutputArtifact> artifacts) {
        this.artifacts = artifacts == null || artifacts.isEmpty() ? null : new ArrayList<>(artifacts);
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
        Result result = run.getResult();
        if (result != null && result.isWorseThan(Result.UNSTABLE)) {
            listener.getLogger().println(ArtifactTransferSession.PREFIX + "Output artifacts not uploaded: the build "
                    + "already ended " + result + ".");
            return;
        }
        ArtifactTransferSession.upload(run, workspace, env, listener,
                FreestyleConnection.expand(env, jobId, region, credentialsId, endpointUrl),
                CodePipelineOutputArtifactsStep.pairs(artifacts, env));
    }

    @Extension
    @Symbol(SYMBOL)
    public static final class DescriptorImpl extends BuildStepDescriptor<Publisher> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodePipelineOutputArtifactsRecorder_DisplayName();
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
