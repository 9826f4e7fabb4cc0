package io.jenkins.plugins.codepipeline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Notifier;
import hudson.tasks.Publisher;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import io.jenkins.plugins.codepipeline.impl.JobResultSender;
import io.jenkins.plugins.codepipeline.worker.build.FollowUpWait;
import io.jenkins.plugins.codepipeline.impl.OutputVariablesCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Freestyle post-build action "Report to AWS CodePipeline": success when the build succeeded (or was unstable, if
 * asked), otherwise a JobFailed failure naming the result and the build. A notifier, so it runs after recorders
 * such as JUnit that can still change the result. Text fields expand {@code ${VAR}} from the build's environment.
 */
public class CodePipelineJobResultPublisher extends Notifier implements SimpleBuildStep {
    static final String SYMBOL = "codePipelineJobResult";
    private String jobId;
    private String region;
    private String credentialsId;
    private String endpointUrl;
    private String externalExecutionId;
    private String summary;
    private boolean successOnUnstable;
    private boolean truncateLongText;
    private List<OutputVariable> outputVariableList;
    private String outputVariablesFile;
    private String outputVariablesFileFormat;
    private List<String> outputVariablesFromEnv;
    private boolean logOutputVariableValues;

    @DataBoundConstructor
    public CodePipelineJobResultPublisher() {
        // every field is optional
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

    public String getExternalExecutionId() {
        return externalExecutionId;
    }

    @DataBoundSetter
    public void setExternalExecutionId(String externalExecutionId) {
        this.externalExecutionId = Util.fixEmptyAndTrim(externalExecutionId);
    }

    public String getSummary() {
        return summary;
    }

    @DataBoundSetter
    public void setSummary(String summary) {
        this.summary = Util.fixEmpty(summary);
    }

    public boolean isSuccessOnUnstable() {
        return successOnUnstable;
    }

    @DataBoundSetter
    public void setSuccessOnUnstable(boolean successOnUnstable) {
        this.successOnUnstable = successOnUnstable;
    }

    public boolean isTruncateLongText() {
        return truncateLongText;
    }

    @DataBoundSetter
    public void setTruncateLongText(boolean truncateLongText) {
        this.truncateLongText = truncateLongText;
    }

    public List<OutputVariable> getOutputVariableList() {
        return outputVariableList;
    }

    @DataBoundSetter
    public void setOutputVariableList(List<OutputVariable> outputVariableList) {
        this.outputVariableList = outputVariableList == null || outputVariableList.isEmpty()
                ? null : new ArrayList<>(outputVariableList);
    }

    public String getOutputVariablesFile() {
        return outputVariablesFile;
    }

    @DataBoundSetter
    public void setOutputVariablesFile(String outputVariablesFile) {
        this.outputVariablesFile = Util.fixEmptyAndTrim(outputVariablesFile);
    }

    public String getOutputVariablesFileFormat() {
        return outputVariablesFileFormat;
    }

    @DataBoundSetter
    public void setOutputVariablesFileFormat(String outputVariablesFileFormat) {
        String format = Util.fixEmptyAndTrim(outputVariablesFileFormat);
        this.outputVariablesFileFormat = format == null || format.equalsIgnoreCase("auto") ? null : format;
    }

    public List<String> getOutputVariablesFromEnv() {
        return outputVariablesFromEnv;
    }

    @DataBoundSetter
    public void setOutputVariablesFromEnv(List<String> outputVariablesFromEnv) {
        this.outputVariablesFromEnv = FormHelpers.environmentSelectors(outputVariablesFromEnv);
    }

    public String getOutputVariablesFromEnvText() {
        return outputVariablesFromEnv == null ? "" : String.join("\n", outputVariablesFromEnv);
    }

    public boolean isLogOutputVariableValues() {
        return logOutputVariableValues;
    }

    @DataBoundSetter
    public void setLogOutputVariableValues(boolean logOutputVariableValues) {
        this.logOutputVariableValues = logOutputVariableValues;
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        Result result = run.getResult() == null ? Result.SUCCESS : run.getResult();
        boolean success = result == Result.SUCCESS || (successOnUnstable && result == Result.UNSTABLE);
        // The live link: a job of the build's chain is reported once the follow-up job is attached, to that job.
        String resolvedJobId = FollowUpWait.currentJob(run, JobResultSender.jobId(run, env.expand(jobId), env).value(),
                listener.getLogger());
        String externalId = externalExecutionId != null ? env.expand(externalExecutionId)
                : JobResultSender.defaultExternalExecutionId(run);
        JobResult jobResult;
        try {
            jobResult = result(run, env, workspace, listener, result, success, resolvedJobId, externalId);
        } catch (IOException | RuntimeException e) {
            // Failed before sending (for example a missing variables file): the build's own job still gets a failure
            // with this reason at completion, rather than a success.
            JobResultSender.recordStepFailure(run, resolvedJobId, e.getMessage(), listener.getLogger());
            throw e;
        }
        ReportOutcome outcome = JobResultSender.send(run, listener, env, new JobResultSender.Request(jobResult,
                env.expand(region), env.expand(credentialsId), env.expand(endpointUrl), truncateLongText,
                logOutputVariableValues, SYMBOL));
        if (outcome.status() == ReportOutcome.Status.DELIVERED_ANSWER_LOST) {
            run.setResult(Result.UNSTABLE);
        }
    }

    private JobResult result(Run<?, ?> run, EnvVars env, FilePath workspace, TaskListener listener, Result result,
            boolean success, String resolvedJobId, String externalId) throws IOException, InterruptedException {
        JobResult jobResult;
        if (success) {
            jobResult = SuccessResult.builder().jobId(resolvedJobId)
                    .executionDetails(ExecutionDetails.builder()
                            .summary(summary != null ? env.expand(summary)
                                    : "Jenkins build " + run.getFullDisplayName() + ": " + result)
                            .externalExecutionId(externalId).build())
                    .outputVariables(OutputVariablesCollector.collect(new OutputVariablesCollector.Sources(null,
                            expanded(env), env.expand(outputVariablesFile), outputVariablesFileFormat,
                            outputVariablesFromEnv), env, workspace, listener))
                    .build();
        } else {
            String root = Jenkins.get().getRootUrl();
            jobResult = FailureResult.builder().jobId(resolvedJobId).type(FailureType.JOB_FAILED)
                    .message("Jenkins build " + run.getFullDisplayName() + " ended " + result
                            + (root == null ? "" : ": " + root + run.getUrl()))
                    .externalExecutionId(externalId).build();
        }
        return jobResult;
    }

    private List<OutputVariable> expanded(EnvVars env) {
        if (outputVariableList == null) {
            return null;
        }
        return outputVariableList.stream().map(v -> new OutputVariable(env.expand(v.getName()), env.expand(v.getValue())))
                .toList();
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
            return Messages.CodePipelineJobResultPublisher_DisplayName();
        }

        /** The form sends the environment names as one text. */
        @Override
        public Publisher newInstance(StaplerRequest2 req, JSONObject formData) throws Descriptor.FormException {
            Object names = formData.remove("outputVariablesFromEnv");
            CodePipelineJobResultPublisher publisher = (CodePipelineJobResultPublisher) super.newInstance(req, formData);
            publisher.setOutputVariablesFromEnv(FormHelpers.splitNames(names));
            return publisher;
        }

        @POST
        public ListBoxModel doFillRegionItems(@AncestorInPath Item item, @QueryParameter String region) {
            FormHelpers.checkConfigurePermission(item);
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
        public ListBoxModel doFillOutputVariablesFileFormatItems(@AncestorInPath Item item) {
            FormHelpers.checkConfigurePermission(item);
            return FormHelpers.fileFormatItems();
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
