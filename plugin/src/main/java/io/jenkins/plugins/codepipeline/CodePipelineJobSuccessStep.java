package io.jenkins.plugins.codepipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.core.CurrentRevision;
import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import io.jenkins.plugins.codepipeline.impl.OutputVariablesCollector;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code codePipelineJobSuccess}: reports a CodePipeline job as succeeded ({@code PutJobSuccessResult}), with the
 * revision, execution details, a continuation token or output variables, and returns the AWS request id.
 */
public class CodePipelineJobSuccessStep extends AbstractCodePipelineJobStep {
    private String revision;
    private String changeIdentifier;
    private String revisionSummary;
    private String revisionCreated;
    private String continuationToken;
    private String summary;
    private Integer percentComplete;
    private Map<String, String> outputVariables;
    private List<OutputVariable> outputVariableList;
    private String outputVariablesFile;
    private String outputVariablesFileFormat;
    private List<String> outputVariablesFromEnv;
    private boolean logOutputVariableValues;

    @DataBoundConstructor
    public CodePipelineJobSuccessStep() {
        // every argument is optional
    }

    public String getRevision() {
        return revision;
    }

    @DataBoundSetter
    public void setRevision(String revision) {
        this.revision = Util.fixEmptyAndTrim(revision);
    }

    public String getChangeIdentifier() {
        return changeIdentifier;
    }

    @DataBoundSetter
    public void setChangeIdentifier(String changeIdentifier) {
        this.changeIdentifier = Util.fixEmptyAndTrim(changeIdentifier);
    }

    public String getRevisionSummary() {
        return revisionSummary;
    }

    @DataBoundSetter
    public void setRevisionSummary(String revisionSummary) {
        this.revisionSummary = Util.fixEmpty(revisionSummary);
    }

    public String getRevisionCreated() {
        return revisionCreated;
    }

    /** ISO-8601 instant, such as {@code 2026-11-25T10:00:00Z}. */
    @DataBoundSetter
    public void setRevisionCreated(String revisionCreated) {
        this.revisionCreated = Util.fixEmptyAndTrim(revisionCreated);
    }

    public String getContinuationToken() {
        return continuationToken;
    }

    @DataBoundSetter
    public void setContinuationToken(String continuationToken) {
        this.continuationToken = Util.fixEmpty(continuationToken);
    }

    public String getSummary() {
        return summary;
    }

    @DataBoundSetter
    public void setSummary(String summary) {
        this.summary = Util.fixEmpty(summary);
    }

    public Integer getPercentComplete() {
        return percentComplete;
    }

    @DataBoundSetter
    public void setPercentComplete(Integer percentComplete) {
        this.percentComplete = percentComplete;
    }

    /** The Jenkinsfile shorthand: {@code outputVariables: [IMAGE_TAG: tag]}. */
    public Map<String, String> getOutputVariables() {
        return outputVariables;
    }

    /** Groovy may pass numbers or booleans as values: they are published as their text. */
    @DataBoundSetter
    public void setOutputVariables(Map<String, String> outputVariables) {
        if (outputVariables == null || outputVariables.isEmpty()) {
            this.outputVariables = null;
            return;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> variable : ((Map<?, ?>) outputVariables).entrySet()) {
            Object value = variable.getValue();
            copy.put(String.valueOf(variable.getKey()), value == null ? null : value.toString());
        }
        this.outputVariables = copy;
    }

    /** The form's name/value list, merged with the map. */
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

    /** {@code auto} (by extension; the default), {@code properties}, {@code dotenv} or {@code json}. */
    @DataBoundSetter
    public void setOutputVariablesFileFormat(String outputVariablesFileFormat) {
        String format = Util.fixEmptyAndTrim(outputVariablesFileFormat);
        this.outputVariablesFileFormat = format == null || format.equalsIgnoreCase("auto") ? null : format;
    }

    public List<String> getOutputVariablesFromEnv() {
        return outputVariablesFromEnv;
    }

    /** Names or globs ({@code IMAGE_*}) of environment variables to publish. */
    @DataBoundSetter
    public void setOutputVariablesFromEnv(List<String> outputVariablesFromEnv) {
        this.outputVariablesFromEnv = FormHelpers.environmentSelectors(outputVariablesFromEnv);
    }

    /** For the form's text area: one name or glob per line. */
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
    public boolean needsWorkspace() {
        return sources().needsWorkspace();
    }

    @Override
    public boolean logsOutputVariableValues() {
        return logOutputVariableValues;
    }

    @Override
    public String resultKind() {
        return "success";
    }

    private OutputVariablesCollector.Sources sources() {
        return new OutputVariablesCollector.Sources(outputVariables, outputVariableList, outputVariablesFile,
                outputVariablesFileFormat, outputVariablesFromEnv);
    }

    @Override
    public JobResult toResult(Run<?, ?> run, EnvVars environment, @CheckForNull FilePath workspace,
            @CheckForNull String jobId, TaskListener listener) throws IOException, InterruptedException {
        try {
            ContinuationTokens.requireUserToken(continuationToken, "continuationToken");
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        SuccessResult.Builder result = SuccessResult.builder().jobId(jobId).continuationToken(continuationToken);
        if (revision != null || changeIdentifier != null || revisionSummary != null || revisionCreated != null) {
            result.currentRevision(CurrentRevision.builder().revision(revision).changeIdentifier(changeIdentifier)
                    .revisionSummary(revisionSummary).created(parseCreated(revisionCreated)).build());
        }
        result.executionDetails(ExecutionDetails.builder()
                .summary(summary != null ? summary : "Jenkins build " + run.getFullDisplayName())
                .externalExecutionId(externalExecutionIdOr(run))
                .percentComplete(percentComplete)
                .build());
        result.outputVariables(OutputVariablesCollector.collect(sources(), environment, workspace, listener));
        return result.build();
    }

    static Instant parseCreated(@CheckForNull String created) throws AbortException {
        if (created == null) {
            return null;
        }
        try {
            return Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new AbortException("revisionCreated '" + created + "' is not an ISO-8601 instant such as "
                    + "2026-11-25T10:00:00Z");
        }
    }

    @Extension
    public static final class DescriptorImpl extends AbstractDescriptor {
        @Override
        public String getFunctionName() {
            return "codePipelineJobSuccess";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodePipelineJobSuccessStep_DisplayName();
        }

        /** The form sends the environment names as one text; Pipeline sends a list. */
        @Override
        public Step newInstance(StaplerRequest2 req, JSONObject formData) throws Descriptor.FormException {
            Object names = formData.remove("outputVariablesFromEnv");
            CodePipelineJobSuccessStep step = (CodePipelineJobSuccessStep) super.newInstance(req, formData);
            step.setOutputVariablesFromEnv(FormHelpers.splitNames(names));
            return step;
        }

        @POST
        public ListBoxModel doFillOutputVariablesFileFormatItems(@AncestorInPath Item item) {
            FormHelpers.checkReadPermission(item);
            return FormHelpers.fileFormatItems();
        }

        @POST
        public FormValidation doCheckPercentComplete(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            return FormHelpers.checkPercentComplete(value);
        }

        @POST
        public FormValidation doCheckContinuationToken(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            try {
                ContinuationTokens.requireUserToken(Util.fixEmpty(value), "continuationToken");
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckRevisionCreated(@AncestorInPath Item item, @QueryParameter String value) {
            FormHelpers.checkConfigurePermission(item);
            try {
                parseCreated(Util.fixEmptyAndTrim(value));
                return FormValidation.ok();
            } catch (AbortException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
