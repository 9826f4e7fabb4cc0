package io.jenkins.plugins.codepipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code codePipelineJobFailure}: reports a CodePipeline job as failed ({@code PutJobFailureResult}) with a failure
 * type and message, and returns the AWS request id.
 */
public class CodePipelineJobFailureStep extends AbstractCodePipelineJobStep {
    private String type = FailureType.JOB_FAILED.awsName();
    private String message;

    @DataBoundConstructor
    public CodePipelineJobFailureStep() {
        // every argument is optional
    }

    public String getType() {
        return type;
    }

    /** One of JobFailed (the default), ConfigurationError, PermissionError, RevisionOutOfSync, RevisionUnavailable, SystemUnavailable. */
    @DataBoundSetter
    public void setType(String type) {
        String given = Util.fixEmptyAndTrim(type);
        this.type = given == null ? FailureType.JOB_FAILED.awsName() : given;
    }

    public String getMessage() {
        return message;
    }

    @DataBoundSetter
    public void setMessage(String message) {
        this.message = Util.fixEmpty(message);
    }

    @Override
    public String resultKind() {
        return "failure";
    }

    @Override
    public JobResult toResult(Run<?, ?> run, EnvVars environment, @CheckForNull FilePath workspace,
            @CheckForNull String jobId, TaskListener listener) throws AbortException {
        FailureType failureType;
        try {
            failureType = FailureType.fromName(type);
        } catch (IllegalArgumentException e) {
            throw new AbortException("type: " + e.getMessage());
        }
        return FailureResult.builder().jobId(jobId).type(failureType)
                .message(message != null ? message : defaultMessage(run))
                .externalExecutionId(externalExecutionIdOr(run))
                .build();
    }

    /** "Jenkins build folder » job #3 failed: https://jenkins/job/…/3/" */
    static String defaultMessage(Run<?, ?> run) {
        String root = Jenkins.get().getRootUrl();
        return "Jenkins build " + run.getFullDisplayName() + " failed" + (root == null ? "" : ": " + root + run.getUrl());
    }

    @Extension
    public static final class DescriptorImpl extends AbstractDescriptor {
        @Override
        public String getFunctionName() {
            return "codePipelineJobFailure";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CodePipelineJobFailureStep_DisplayName();
        }

        @POST
        public ListBoxModel doFillTypeItems(@AncestorInPath Item item) {
            FormHelpers.checkReadPermission(item);
            return FormHelpers.failureTypeItems();
        }
    }
}
