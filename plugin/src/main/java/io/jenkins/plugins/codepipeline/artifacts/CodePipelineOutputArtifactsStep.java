package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code codePipelineOutputArtifacts(artifacts: [[name: 'BuildOutput', path: 'target/app']])}: uploads each output
 * artifact the job declares to its place in the pipeline's artifact store, a directory zipped (file modes and empty
 * directories kept) while it is sent, a file as is, encrypted with SSE-KMS. Every declared output must be given.
 * Returns artifact name to {@code s3://bucket/key}. A failed upload fails the build, and the job with it.
 */
public class CodePipelineOutputArtifactsStep extends AbstractArtifactsStep {
    private List<OutputArtifact> artifacts;

    @DataBoundConstructor
    public CodePipelineOutputArtifactsStep() {
        // artifacts may be left out for a job that declares no output artifact
    }

    public List<OutputArtifact> getArtifacts() {
        return artifacts;
    }

    @DataBoundSetter
    public void setArtifacts(List<OutputArtifact> artifacts) {
        this.artifacts = artifacts == null || artifacts.isEmpty() ? null : new ArrayList<>(artifacts);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    @Override
    Map<String, String> transfer(Run<?, ?> run, FilePath workspace, EnvVars environment, TaskListener listener)
            throws Exception {
        return ArtifactTransferSession.upload(run, workspace, environment, listener, arguments(), pairs(artifacts,
                null));
    }

    @Override
    String doing() {
        return "uploading CodePipeline output artifacts";
    }

    /** Name/path pairs as given, expanded against {@code environment} when there is one (freestyle). */
    static List<Map.Entry<String, String>> pairs(List<OutputArtifact> artifacts, EnvVars environment) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (artifacts != null) {
            for (OutputArtifact artifact : artifacts) {
                String name = environment == null ? artifact.getName() : environment.expand(artifact.getName());
                String path = environment == null ? artifact.getPath() : environment.expand(artifact.getPath());
                pairs.add(new AbstractMap.SimpleImmutableEntry<>(name, path));
            }
        }
        return pairs;
    }

    @Extension
    public static final class DescriptorImpl extends AbstractDescriptor {
        @Override
        public String getFunctionName() {
            return "codePipelineOutputArtifacts";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodePipelineOutputArtifactsStep_DisplayName();
        }
    }
}
