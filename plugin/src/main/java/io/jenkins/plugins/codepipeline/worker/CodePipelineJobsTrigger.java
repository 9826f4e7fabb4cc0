package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Job;
import hudson.triggers.Trigger;
import hudson.triggers.TriggerDescriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.impl.FormHelpers;
import io.jenkins.plugins.codepipeline.impl.SharedReporter;
import io.jenkins.plugins.codepipeline.worker.build.JobConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * "Build when AWS CodePipeline has a job for this project": the job takes the jobs of a custom action type (and,
 * usually, of one value of its queryable property) from CodePipeline. The trigger itself polls nothing: {@link #start}
 * registers it with the controller's one poller ({@link ControllerPoller}), {@link #stop} takes it out.
 *
 * <p>{@code codePipelineJobs(category: 'Build', provider: 'Jenkins', version: '1', projectName: 'app',
 * region: 'eu-west-1', credentialsId: 'cp-worker')} in a Jenkinsfile's {@code triggers {}} or
 * {@code properties([pipelineTriggers([...])])}; a trigger declared in a Jenkinsfile takes effect after one run.
 */
public class CodePipelineJobsTrigger extends Trigger<Job<?, ?>> {
    public static final int DEFAULT_MAX_JOBS_IN_FLIGHT = 2;
    public static final int MAX_JOBS_IN_FLIGHT_LIMIT = 100;
    private static final Pattern BRANCH_SEPARATORS = Pattern.compile("[\\s,]+");

    private final String category;
    private final String provider;
    private final String version;
    private String projectName;
    private String queryPropertyName;
    private String region;
    private String credentialsId;
    private String endpointUrl;
    private int maxJobsInFlight = DEFAULT_MAX_JOBS_IN_FLIGHT;
    private boolean unstableAsSuccess;
    private String branches;
    /** The live link: "" (null) for the global default, {@link #REPORT_PROGRESS_ALWAYS} or {@link #REPORT_PROGRESS_NEVER}. */
    private String reportProgress;

    /** {@code reportProgress} values: on for this trigger, whatever the global default. */
    public static final String REPORT_PROGRESS_ALWAYS = "always";
    /** {@code reportProgress} values: off for this trigger, whatever the global default. */
    public static final String REPORT_PROGRESS_NEVER = "never";

    @DataBoundConstructor
    public CodePipelineJobsTrigger(String category, String provider, String version) {
        this.category = Util.fixEmptyAndTrim(category);
        this.provider = Util.fixEmptyAndTrim(provider);
        this.version = Util.fixEmptyAndTrim(version);
    }

    public String getCategory() {
        return category;
    }

    public String getProvider() {
        return provider;
    }

    public String getVersion() {
        return version;
    }

    /** The value of the queryable property that this job's jobs have; null takes every job of the type. */
    public String getProjectName() {
        return projectName;
    }

    @DataBoundSetter
    public void setProjectName(String projectName) {
        this.projectName = Util.fixEmptyAndTrim(projectName);
    }

    /** The queryable property's name; never null ({@code ProjectName} when not set). */
    public String getQueryPropertyName() {
        return queryPropertyName == null ? JobQuery.DEFAULT_NAME : queryPropertyName;
    }

    @DataBoundSetter
    public void setQueryPropertyName(String queryPropertyName) {
        String name = Util.fixEmptyAndTrim(queryPropertyName);
        this.queryPropertyName = JobQuery.DEFAULT_NAME.equals(name) ? null : name;
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

    /** 1–100; a value outside (an old or hand-written configuration) counts as the default, 2. */
    public int getMaxJobsInFlight() {
        return maxJobsInFlight >= 1 && maxJobsInFlight <= MAX_JOBS_IN_FLIGHT_LIMIT
                ? maxJobsInFlight : DEFAULT_MAX_JOBS_IN_FLIGHT;
    }

    @DataBoundSetter
    public void setMaxJobsInFlight(int maxJobsInFlight) {
        this.maxJobsInFlight = maxJobsInFlight;
    }

    public boolean isUnstableAsSuccess() {
        return unstableAsSuccess;
    }

    @DataBoundSetter
    public void setUnstableAsSuccess(boolean unstableAsSuccess) {
        this.unstableAsSuccess = unstableAsSuccess;
    }

    /** Space-separated branch names or globs of a multibranch project; null: only the primary branch polls. */
    public String getBranches() {
        return branches;
    }

    @DataBoundSetter
    public void setBranches(String branches) {
        String text = Util.fixEmptyAndTrim(branches);
        this.branches = text == null ? null : String.join(" ", BRANCH_SEPARATORS.split(text));
    }

    /**
     * Whether builds report progress when they start (the live link: CodePipeline links the execution to the build):
     * {@code ""} for the global default, {@code always} or {@code never}. Never null.
     */
    public String getReportProgress() {
        return reportProgress == null ? "" : reportProgress;
    }

    /** {@code ""} (or null, or {@code default}) for the global default, {@code always}, {@code never}; any other value
     *  counts as the global default. */
    @DataBoundSetter
    public void setReportProgress(String reportProgress) {
        String value = Util.fixEmptyAndTrim(reportProgress);
        if (value != null) {
            value = value.toLowerCase(java.util.Locale.ROOT);
        }
        this.reportProgress = REPORT_PROGRESS_ALWAYS.equals(value) || REPORT_PROGRESS_NEVER.equals(value) ? value : null;
    }

    /** The option, resolved: the trigger's, else the global default (off unless an administrator turned it on). */
    public boolean reportsProgress() {
        if (REPORT_PROGRESS_ALWAYS.equals(reportProgress)) {
            return true;
        }
        if (REPORT_PROGRESS_NEVER.equals(reportProgress)) {
            return false;
        }
        return CodePipelineJobWorkerConfiguration.get().isReportProgress();
    }

    /** The job this trigger was started for; null before {@link #start}. */
    @CheckForNull
    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public void start(Job<?, ?> project, boolean newInstance) {
        super.start(project, newInstance);
        TriggerRegistry registry = TriggerRegistry.getOrNull();
        if (registry != null) {
            registry.register(this);
        }
    }

    @Override
    public void stop() {
        TriggerRegistry registry = TriggerRegistry.getOrNull();
        if (registry != null) {
            registry.unregister(this);
        }
    }

    /**
     * The polling page is added by {@link CodePipelinePollingAction.Factory}, once per job, whatever the number of
     * triggers; none here.
     */
    @Override
    public Collection<? extends hudson.model.Action> getProjectActions() {
        return Collections.emptyList();
    }

    // ---- what the trigger polls, resolved ----

    /** The action type; IllegalArgumentException names what is wrong. */
    public ActionTypeId actionType() {
        return new ActionTypeId(category, provider, version);
    }

    /** The query; IllegalArgumentException names what is wrong. */
    public JobQuery query() {
        return new JobQuery(queryPropertyName, projectName);
    }

    /** The region polled: the trigger's, else AWS_REGION / AWS_DEFAULT_REGION of the controller, else global, else us-east-1. */
    public String effectiveRegion() {
        return SettingSources.region(region, System.getenv(),
                CodePipelineJobWorkerConfiguration.get().getDefaultRegion()).value();
    }

    /** The endpoint polled, or null for the region's AWS endpoint. */
    @CheckForNull
    public String effectiveEndpointUrl() {
        return SettingSources.endpoint(endpointUrl, System.getenv(),
                CodePipelineJobWorkerConfiguration.get().getDefaultEndpointUrl()).value();
    }

    /** The credentials id: the trigger's, else the global default; null means the controller's own credentials. */
    @CheckForNull
    public String effectiveCredentialsId() {
        return credentialsId != null ? credentialsId
                : Util.fixEmptyAndTrim(CodePipelineJobWorkerConfiguration.get().getDefaultCredentialsId());
    }

    /** Region, endpoint, retries and HTTP settings, as the reports use them; IllegalArgumentException when malformed. */
    public ConnectionSettings connectionSettings() {
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        return ConnectionSettings.builder()
                .region(effectiveRegion())
                .endpoint(effectiveEndpointUrl())
                .maxAttempts(global.getMaxAttempts())
                .timeout(Duration.ofSeconds(global.getTimeoutSeconds()))
                .http(SharedReporter.httpSettings())
                .build();
    }

    /** What one PollForJobs call is made for; IllegalArgumentException names what is wrong. */
    public PollKey pollKey() {
        Job<?, ?> owner = job;
        return new PollKey(connectionSettings(), credentialsKey(owner), actionType(), query());
    }

    /**
     * Not secret: where the credentials are looked up (the job's folder) and their id; {@code controller} for the
     * controller's own credentials.
     */
    String credentialsKey(@CheckForNull Job<?, ?> owner) {
        String id = effectiveCredentialsId();
        if (id == null) {
            return "controller";
        }
        String context = owner == null ? "" : owner.getParent().getFullName();
        return context + "::" + id;
    }

    /** How this trigger's jobs report their results: the region and endpoint they were polled in, the credentials. */
    public JobConnection getConnection() {
        return new JobConnection(effectiveRegion(), effectiveEndpointUrl(), effectiveCredentialsId());
    }

    /** The branch names and globs; empty when not set. */
    List<String> branchPatterns() {
        if (branches == null) {
            return List.of();
        }
        List<String> patterns = new ArrayList<>();
        for (String part : BRANCH_SEPARATORS.split(branches)) {
            if (!part.isEmpty()) {
                patterns.add(part);
            }
        }
        return patterns;
    }

    /** {@code Build/Custom/Jenkins/1 ProjectName=app in eu-west-1}, or the raw fields when they are malformed. */
    public String describe() {
        try {
            return actionType().describe() + " " + query().describe() + " in " + effectiveRegion();
        } catch (IllegalArgumentException e) {
            return category + "/Custom/" + provider + "/" + version + " " + getQueryPropertyName() + "="
                    + (projectName == null ? "*" : projectName);
        }
    }

    @Override
    public String toString() {
        Job<?, ?> owner = job;
        return "codePipelineJobs(" + describe() + ")" + (owner == null ? "" : " of " + owner.getFullName());
    }

    @Extension
    @Symbol("codePipelineJobs")
    public static final class DescriptorImpl extends TriggerDescriptor {

        @Override
        public boolean isApplicable(Item item) {
            return item instanceof Job && item instanceof ParameterizedJobMixIn.ParameterizedJob;
        }

        @Override
        public String getDisplayName() {
            return Messages.CodePipelineJobsTrigger_DisplayName();
        }

        @POST
        public ListBoxModel doFillCategoryItems(@AncestorInPath Item item, @QueryParameter String category) {
            FormHelpers.checkReadPermission(item);
            ListBoxModel items = new ListBoxModel();
            String current = Util.fixEmptyAndTrim(category);
            for (String known : ActionTypeId.CATEGORIES) {
                // a new trigger starts with Build, the usual category of a Jenkins action
                items.add(new ListBoxModel.Option(known, known, current == null && "Build".equals(known)));
            }
            if (current != null && items.stream().noneMatch(o -> o.value.equalsIgnoreCase(current))) {
                items.add(current); // kept, so that the form does not change it silently; the check says why
            }
            return items;
        }

        @POST
        public ListBoxModel doFillRegionItems(@AncestorInPath Item item, @QueryParameter String region) {
            return FormHelpers.regionItems(item, region, Messages.CodePipelineJobsTrigger_RegionDefault());
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return FormHelpers.credentialsItems(item, credentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            if (Util.fixEmptyAndTrim(value) == null) {
                if (!FormHelpers.mayConfigure(item)) {
                    return FormValidation.ok();
                }
                CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
                if (Util.fixEmptyAndTrim(global.getDefaultCredentialsId()) == null
                        && !global.isAllowControllerCredentials()) {
                    return FormValidation.warning(Messages.CodePipelineJobsTrigger_NoCredentials());
                }
                return FormValidation.ok();
            }
            return FormHelpers.checkCredentialsId(item, value);
        }

        @POST
        public FormValidation doCheckCategory(@AncestorInPath Item item, @QueryParameter String value) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            return checkActionType(value, "Jenkins", "1");
        }

        @POST
        public FormValidation doCheckProvider(@AncestorInPath Item item, @QueryParameter String value) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            return checkActionType("Build", value, "1");
        }

        @POST
        public FormValidation doCheckVersion(@AncestorInPath Item item, @QueryParameter String value) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            return checkActionType("Build", "Jenkins", value);
        }

        @POST
        public FormValidation doCheckQueryPropertyName(@AncestorInPath Item item, @QueryParameter String value) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            try {
                new JobQuery(value, null);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /**
         * The value's form, and whether another trigger already takes the same jobs (a configuration error on both)
         * or, for a trigger without value, whether it would be refused.
         */
        @POST
        public FormValidation doCheckProjectName(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String queryPropertyName, @QueryParameter String category,
                @QueryParameter String provider, @QueryParameter String version, @QueryParameter String region,
                @QueryParameter String endpointUrl) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            try {
                new JobQuery(queryPropertyName, value);
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
            CodePipelineJobsTrigger candidate = new CodePipelineJobsTrigger(category, provider, version);
            candidate.setProjectName(value);
            candidate.setQueryPropertyName(queryPropertyName);
            candidate.setRegion(region);
            candidate.setEndpointUrl(endpointUrl);
            TriggerRegistry registry = TriggerRegistry.getOrNull();
            if (registry == null) {
                return FormValidation.ok();
            }
            return registry.checkConflicts(candidate, item instanceof Job<?, ?> j ? j : null);
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return FormHelpers.checkRegion(item, value);
        }

        @POST
        public FormValidation doCheckEndpointUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return FormHelpers.checkEndpointUrl(item, value);
        }

        @POST
        public FormValidation doCheckMaxJobsInFlight(@AncestorInPath Item item, @QueryParameter String value) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            return FormHelpers.checkIntegerRange(value, 1, MAX_JOBS_IN_FLIGHT_LIMIT);
        }

        @POST
        public ListBoxModel doFillReportProgressItems(@AncestorInPath Item item) {
            FormHelpers.checkReadPermission(item);
            ListBoxModel items = new ListBoxModel();
            items.add(CodePipelineJobWorkerConfiguration.get().isReportProgress()
                    ? Messages.CodePipelineJobsTrigger_ReportProgressDefaultOn()
                    : Messages.CodePipelineJobsTrigger_ReportProgressDefaultOff(), "");
            items.add(Messages.CodePipelineJobsTrigger_ReportProgressAlways(), REPORT_PROGRESS_ALWAYS);
            items.add(Messages.CodePipelineJobsTrigger_ReportProgressNever(), REPORT_PROGRESS_NEVER);
            return items;
        }

        @POST
        public FormValidation doCheckBranches(@AncestorInPath Item item, @QueryParameter String value) {
            if (!FormHelpers.mayConfigure(item)) {
                return FormValidation.ok(); // a reader in the Directive Generator: nothing to say
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok(Messages.CodePipelineJobsTrigger_PrimaryBranchOnly());
            }
            return FormValidation.ok();
        }

        private static FormValidation checkActionType(String category, String provider, String version) {
            try {
                new ActionTypeId(category, provider, version);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }

    /** Globs of branch names: {@code *} any run of characters, {@code ?} one character. */
    static boolean matchesGlob(String glob, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString()).matcher(Objects.requireNonNull(name)).matches();
    }
}
