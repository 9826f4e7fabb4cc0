package io.jenkins.plugins.codepipeline.artifacts;

import hudson.EnvVars;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.Messages;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;

/** The connection fields of the two freestyle build steps, and their form lists and checks. */
final class FreestyleConnection {
    private FreestyleConnection() {
    }

    /** The fields with {@code ${VAR}} expanded against the build's environment. */
    static ArtifactTransferSession.Arguments expand(EnvVars env, String jobId, String region, String credentialsId,
            String endpointUrl) {
        return new ArtifactTransferSession.Arguments(expanded(env, jobId), expanded(env, region),
                expanded(env, credentialsId), expanded(env, endpointUrl));
    }

    static String expanded(EnvVars env, String value) {
        return value == null ? null : Util.fixEmptyAndTrim(env.expand(value));
    }

    static ListBoxModel regionItems(Item item, String region) {
        FormHelpers.checkConfigurePermission(item);
        return FormHelpers.regionItems(region, Messages.FormHelpers_RegionFromEnvironment());
    }

    static FormValidation checkJobId(Item item, String value) {
        FormHelpers.checkConfigurePermission(item);
        return FormHelpers.checkJobId(value);
    }

    static FormValidation checkEndpointUrl(Item item, String value) {
        FormHelpers.checkConfigurePermission(item);
        return FormHelpers.checkEndpointUrl(value);
    }
}
