package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code codePipelineInputArtifacts}: downloads the job's input artifacts into the workspace (by default every one,
 * into {@code codepipeline/input/<Name>}), each directory emptied first, a zip, tar or tar.gz extracted with its file
 * modes. Returns artifact name to directory, relative to the workspace. Needs a workspace ({@code node}).
 */
public class CodePipelineInputArtifactsStep extends AbstractArtifactsStep {
    private List<String> artifacts;
    private String dir;

    @DataBoundConstructor
    public CodePipelineInputArtifactsStep() {
        // every argument is optional
    }

    /** The input artifacts to download, in this order; null (or empty) for all of them. */
    public List<String> getArtifacts() {
        return artifacts;
    }

    /** Groovy may pass GStrings: they are kept as their text. */
    @DataBoundSetter
    public void setArtifacts(List<String> artifacts) {
        if (artifacts == null) {
            this.artifacts = null;
            return;
        }
        List<String> names = new ArrayList<>();
        for (Object name : (List<?>) artifacts) {
            String text = name == null ? null : Util.fixEmptyAndTrim(name.toString());
            if (text != null) {
                names.add(text);
            }
        }
        this.artifacts = names.isEmpty() ? null : names;
    }

    /** For the form's text area: one name per line. */
    public String getArtifactsText() {
        return artifacts == null ? "" : String.join("\n", artifacts);
    }

    public String getDir() {
        return dir;
    }

    /**
     * Where to put the artifacts, relative to the workspace: a single artifact goes into it, several into
     * {@code dir/<Name>}. Not the workspace itself: the directory is emptied first.
     */
    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Util.fixEmptyAndTrim(dir);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    @Override
    Map<String, String> transfer(Run<?, ?> run, FilePath workspace, EnvVars environment, TaskListener listener)
            throws Exception {
        return ArtifactTransferSession.download(run, workspace, environment, listener, arguments(), artifacts, dir);
    }

    @Override
    String doing() {
        return "downloading CodePipeline input artifacts";
    }

    @Extension
    public static final class DescriptorImpl extends AbstractDescriptor {
        @Override
        public String getFunctionName() {
            return "codePipelineInputArtifacts";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodePipelineInputArtifactsStep_DisplayName();
        }

        /** The form sends the names as one text; Pipeline sends a list. */
        @Override
        public Step newInstance(StaplerRequest2 req, JSONObject formData) throws Descriptor.FormException {
            Object names = formData.remove("artifacts");
            CodePipelineInputArtifactsStep step = (CodePipelineInputArtifactsStep) super.newInstance(req, formData);
            step.setArtifacts(ArtifactNames.split(names));
            return step;
        }

        @POST
        public FormValidation doCheckDir(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return ArtifactNames.checkInputDir(value);
        }
    }
}
