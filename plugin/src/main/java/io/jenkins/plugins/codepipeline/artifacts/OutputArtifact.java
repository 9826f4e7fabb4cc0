package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import java.util.Objects;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One output artifact to upload: the job's artifact name and the path in the workspace, a directory (zipped) or a
 * file (uploaded as is). In a Jenkinsfile {@code [name: 'BuildOutput', path: 'target/app']} or
 * {@code outputArtifact(name: 'BuildOutput', path: 'target/app')}.
 */
public final class OutputArtifact extends AbstractDescribableImpl<OutputArtifact> {
    private final String name;
    private final String path;

    @DataBoundConstructor
    public OutputArtifact(String name, String path) {
        this.name = name == null ? "" : name.trim();
        this.path = path == null ? "" : path.trim();
    }

    public String getName() {
        return name;
    }

    public String getPath() {
        return path;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutputArtifact o && name.equals(o.name) && path.equals(o.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, path);
    }

    @Override
    public String toString() {
        return "OutputArtifact[" + name + "=" + path + "]";
    }

    @Extension
    @Symbol("outputArtifact")
    public static final class DescriptorImpl extends Descriptor<OutputArtifact> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.OutputArtifact_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return ArtifactNames.checkName(value);
        }

        @POST
        public FormValidation doCheckPath(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return ArtifactNames.checkOutputPath(value);
        }
    }
}
