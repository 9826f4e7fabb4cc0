package io.jenkins.plugins.codepipeline;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import java.util.Objects;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One output variable as a name/value pair: the form-friendly twin of the {@code outputVariables} map, used by the
 * Snippet Generator and the freestyle action ({@code outputVariableList: [[name: 'A', value: 'b']]}).
 */
public final class OutputVariable extends AbstractDescribableImpl<OutputVariable> {
    private final String name;
    private final String value;

    @DataBoundConstructor
    public OutputVariable(String name, String value) {
        this.name = name == null ? "" : name.trim();
        this.value = value == null ? "" : value;
    }

    public String getName() {
        return name;
    }

    public String getValue() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutputVariable o && name.equals(o.name) && value.equals(o.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value);
    }

    /** Never shows the value, which may be secret. */
    @Override
    public String toString() {
        return "OutputVariable[" + name + "]";
    }

    /** No {@code @Symbol}: Pipeline then writes the list as plain maps, {@code [[name: 'A', value: 'b']]}. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<OutputVariable> {
        @Override
        public String getDisplayName() {
            return Messages.OutputVariable_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return FormHelpers.checkVariableName(value);
        }
    }
}
