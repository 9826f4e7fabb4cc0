package io.jenkins.plugins.codepipeline.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.worker.build.JobConnection;
import java.util.Map;

/**
 * Where a step's CodePipeline calls go, and why: the region, the endpoint and the credentials id, each from the step's
 * argument, then the build's own CodePipeline job (when the step names that job), then the build's environment
 * (region and endpoint only), then the global configuration. The report steps and the artifact steps resolve the
 * same way. Holds no secret: the credentials are looked up by id afterwards.
 *
 * @param credentialsId     null for the controller's own credentials
 * @param credentialsSource where the credentials id came from, for messages
 */
public record ConnectionSources(SettingSources.Setting region, SettingSources.Setting endpoint,
        @CheckForNull String credentialsId, String credentialsSource) {
    public static final String FROM_JOB = "the build's CodePipeline job";

    /**
     * @param ownJob the connection the build's own job was polled with, when the step is for that job; else null
     */
    public static ConnectionSources resolve(@CheckForNull JobConnection ownJob, @CheckForNull String region,
            @CheckForNull String endpointUrl, @CheckForNull String credentialsId, Map<String, String> environment) {
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        SettingSources.Setting regionSetting;
        SettingSources.Setting endpointSetting;
        if (ownJob != null) {
            regionSetting = Util.fixEmptyAndTrim(region) != null
                    ? new SettingSources.Setting(region.trim(), "argument")
                    : new SettingSources.Setting(ownJob.getRegion(), FROM_JOB);
            if (Util.fixEmptyAndTrim(endpointUrl) != null) {
                endpointSetting = new SettingSources.Setting(endpointUrl.trim(), "argument");
            } else if (ownJob.getEndpointUrl() != null) {
                endpointSetting = new SettingSources.Setting(ownJob.getEndpointUrl(), FROM_JOB);
            } else {
                endpointSetting = SettingSources.endpoint(null, Map.of(), global.getDefaultEndpointUrl());
            }
        } else {
            regionSetting = SettingSources.region(region, environment, global.getDefaultRegion());
            endpointSetting = SettingSources.endpoint(endpointUrl, environment, global.getDefaultEndpointUrl());
        }

        String id = Util.fixEmptyAndTrim(credentialsId);
        String source = "argument";
        if (id == null && ownJob != null && ownJob.getCredentialsId() != null) {
            id = ownJob.getCredentialsId();
            source = FROM_JOB;
        }
        if (id == null) {
            id = global.getDefaultCredentialsId();
            source = "global configuration";
        }
        return new ConnectionSources(regionSetting, endpointSetting, id, source);
    }
}
