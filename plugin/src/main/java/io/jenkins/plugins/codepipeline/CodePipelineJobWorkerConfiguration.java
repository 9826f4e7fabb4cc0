package io.jenkins.plugins.codepipeline;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins » System » AWS CodePipeline Job Worker: defaults for every report (and the S3 endpoint of artifact
 * transfers), and whether the controller's own
 * AWS credentials may be used. {@code unclassified: codePipelineJobWorker:} in Configuration as Code.
 */
@Extension
@Symbol("codePipelineJobWorker")
public class CodePipelineJobWorkerConfiguration extends GlobalConfiguration {
    /** How often the triggers poll CodePipeline for jobs, by default. */
    public static final int DEFAULT_POLL_INTERVAL_SECONDS = 10;
    public static final int MAX_POLL_INTERVAL_SECONDS = 3600;
    private String defaultRegion;
    private String defaultCredentialsId;
    private String defaultEndpointUrl;
    private String s3EndpointUrl;
    private boolean allowControllerCredentials;
    private int maxAttempts = ConnectionSettings.DEFAULT_MAX_ATTEMPTS;
    private int timeoutSeconds = (int) ConnectionSettings.DEFAULT_TIMEOUT.toSeconds();
    private int pollIntervalSeconds = DEFAULT_POLL_INTERVAL_SECONDS;
    /** The live link's default for the triggers that do not choose: off. */
    private boolean reportProgress;

    public CodePipelineJobWorkerConfiguration() {
        load();
    }

    public static CodePipelineJobWorkerConfiguration get() {
        return ExtensionList.lookupSingleton(CodePipelineJobWorkerConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return Messages.CodePipelineJobWorkerConfiguration_DisplayName();
    }

    public String getDefaultRegion() {
        return defaultRegion;
    }

    @DataBoundSetter
    public void setDefaultRegion(String defaultRegion) {
        this.defaultRegion = Util.fixEmptyAndTrim(defaultRegion);
        save();
    }

    public String getDefaultCredentialsId() {
        return defaultCredentialsId;
    }

    @DataBoundSetter
    public void setDefaultCredentialsId(String defaultCredentialsId) {
        this.defaultCredentialsId = Util.fixEmptyAndTrim(defaultCredentialsId);
        save();
    }

    public String getDefaultEndpointUrl() {
        return defaultEndpointUrl;
    }

    @DataBoundSetter
    public void setDefaultEndpointUrl(String defaultEndpointUrl) {
        this.defaultEndpointUrl = Util.fixEmptyAndTrim(defaultEndpointUrl);
        save();
    }

    /**
     * The S3 endpoint of artifact transfers when the build's environment names none ({@code AWS_ENDPOINT_URL_S3},
     * {@code AWS_ENDPOINT_URL}): a VPC endpoint, or an S3-compatible server in tests. Null for the region's S3.
     */
    public String getS3EndpointUrl() {
        return s3EndpointUrl;
    }

    @DataBoundSetter
    public void setS3EndpointUrl(String s3EndpointUrl) {
        this.s3EndpointUrl = Util.fixEmptyAndTrim(s3EndpointUrl);
        save();
    }

    public boolean isAllowControllerCredentials() {
        return allowControllerCredentials;
    }

    @DataBoundSetter
    public void setAllowControllerCredentials(boolean allowControllerCredentials) {
        this.allowControllerCredentials = allowControllerCredentials;
        save();
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** Values outside 1–20 fall back to the default, so a bad import never stops reports. */
    @DataBoundSetter
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts >= 1 && maxAttempts <= ConnectionSettings.MAX_ATTEMPTS_LIMIT
                ? maxAttempts : ConnectionSettings.DEFAULT_MAX_ATTEMPTS;
        save();
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds >= 1 ? timeoutSeconds : (int) ConnectionSettings.DEFAULT_TIMEOUT.toSeconds();
        save();
    }

    /**
     * Seconds between two polls of the CodePipeline job triggers, 1–3600; a value saved before this setting existed, or
     * out of range, counts as the default. Read by the poller on each tick, so a change applies from the next poll.
     */
    public int getPollIntervalSeconds() {
        return pollIntervalSeconds >= 1 && pollIntervalSeconds <= MAX_POLL_INTERVAL_SECONDS
                ? pollIntervalSeconds : DEFAULT_POLL_INTERVAL_SECONDS;
    }

    /** Values outside 1–3600 fall back to the default, so a bad import never stops polling. */
    @DataBoundSetter
    public void setPollIntervalSeconds(int pollIntervalSeconds) {
        this.pollIntervalSeconds = pollIntervalSeconds >= 1 && pollIntervalSeconds <= MAX_POLL_INTERVAL_SECONDS
                ? pollIntervalSeconds : DEFAULT_POLL_INTERVAL_SECONDS;
        save();
    }

    /**
     * Whether builds started by the job triggers report progress when they start (the live link), unless a trigger
     * chooses otherwise. Off by default: the job id changes during the build (see the help).
     */
    public boolean isReportProgress() {
        return reportProgress;
    }

    @DataBoundSetter
    public void setReportProgress(boolean reportProgress) {
        this.reportProgress = reportProgress;
        save();
    }

    @POST
    public ListBoxModel doFillDefaultRegionItems(@QueryParameter String defaultRegion) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.regionItems(defaultRegion, Messages.FormHelpers_DefaultRegion());
    }

    @POST
    public ListBoxModel doFillDefaultCredentialsIdItems(@QueryParameter String defaultCredentialsId) {
        return FormHelpers.credentialsItems(null, defaultCredentialsId);
    }

    @POST
    public FormValidation doCheckDefaultCredentialsId(@QueryParameter String value) {
        return FormHelpers.checkCredentialsId(null, value);
    }

    @POST
    public FormValidation doCheckDefaultRegion(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.checkRegion(value);
    }

    @POST
    public FormValidation doCheckDefaultEndpointUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.checkEndpointUrl(value);
    }

    @POST
    public FormValidation doCheckS3EndpointUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.checkEndpointUrl(value);
    }

    @POST
    public FormValidation doCheckMaxAttempts(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.checkIntegerRange(value, 1, ConnectionSettings.MAX_ATTEMPTS_LIMIT);
    }

    @POST
    public FormValidation doCheckTimeoutSeconds(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.checkIntegerRange(value, 1, 3600);
    }

    @POST
    public FormValidation doCheckPollIntervalSeconds(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormHelpers.checkIntegerRange(value, 1, MAX_POLL_INTERVAL_SECONDS);
    }
}
