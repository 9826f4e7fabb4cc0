package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.ManagementLink;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.Permission;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.CustomActionTypeDefinition;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import io.jenkins.plugins.codepipeline.worker.build.InFlightJobs;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerProxy;

/**
 * Manage Jenkins » AWS CodePipeline jobs: every trigger of the controller with its action type, query and state, the
 * jobs in flight linked to their builds, and the {@code create-custom-action-type} definitions of the action types the
 * triggers take, with this Jenkins' URL. For administrators, and for users with Overall/SystemRead, who see the
 * triggers and jobs in flight of the jobs they may read. The page changes nothing; an action added to it must check
 * Overall/Administer.
 */
@Extension
public final class CodePipelineWorkerLink extends ManagementLink implements StaplerProxy {

    @Override
    public String getIconFileName() {
        return "symbol-cloud";
    }

    @Override
    public String getDisplayName() {
        return Messages.CodePipelineWorkerLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.CodePipelineWorkerLink_Description();
    }

    @Override
    public String getUrlName() {
        return "codepipeline-jobs";
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.STATUS;
    }

    /** Overall/SystemRead (which Overall/Administer implies): the page only shows. */
    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.SYSTEM_READ;
    }

    /** Only users with {@link #getRequiredPermission()} reach the page, whatever its URL. */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(getRequiredPermission());
        return this;
    }

    public boolean isQuietingDown() {
        return ControllerPoller.get().isQuietingDown();
    }

    public int getPollIntervalSeconds() {
        return CodePipelineJobWorkerConfiguration.get().getPollIntervalSeconds();
    }

    /** Every trigger of a job the user may read, by job name. */
    public List<Row> getTriggers() {
        List<Row> rows = new ArrayList<>();
        ControllerPoller poller = ControllerPoller.get();
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().current()) {
            if (!evaluation.job().hasPermission(Item.READ)) {
                continue;
            }
            JobPollingStatus status = poller.statusOrNull(evaluation.job().getFullName());
            rows.add(new Row(evaluation, poller.health(evaluation.key()), status));
        }
        rows.sort(Comparator.comparing(Row::getJobFullName));
        return rows;
    }

    /**
     * Every acknowledged, unfinished job, oldest first: of the jobs the user may read, and, for administrators, of
     * jobs that are gone.
     */
    public List<InFlight> getJobsInFlight() {
        List<InFlight> rows = new ArrayList<>();
        Jenkins jenkins = Jenkins.get();
        boolean administrator = jenkins.hasPermission(Jenkins.ADMINISTER);
        for (JobJournal.Entry entry : InFlightJobs.get().entries()) {
            Job<?, ?> job;
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                job = entry.owner() == null ? null : jenkins.getItemByFullName(entry.owner(), Job.class);
            }
            if (job == null ? !administrator : !job.hasPermission(Item.READ)) {
                continue;
            }
            rows.add(new InFlight(entry, job));
        }
        rows.sort(Comparator.comparing(r -> r.entry.acknowledgedAt() == null ? java.time.Instant.EPOCH
                : r.entry.acknowledgedAt()));
        return rows;
    }

    /** The root URL, or null when Jenkins' URL is not configured. */
    @CheckForNull
    public String getRootUrl() {
        return Jenkins.get().getRootUrl();
    }

    /** The create-custom-action-type JSON of each action type (and query name) the triggers take. */
    public List<Definition> getDefinitions() {
        String root = getRootUrl();
        Map<String, Definition> definitions = new LinkedHashMap<>();
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().current()) {
            CodePipelineJobsTrigger trigger = evaluation.trigger();
            ActionTypeId type;
            try {
                type = trigger.actionType();
            } catch (IllegalArgumentException e) {
                continue;
            }
            String queryName = trigger.getQueryPropertyName();
            String key = type.describe() + " " + queryName;
            if (definitions.containsKey(key)) {
                continue;
            }
            String json;
            try {
                json = CustomActionTypeDefinition.json(type, URI.create(root == null
                        ? "https://jenkins.example.com/" : root), queryName);
            } catch (IllegalArgumentException e) {
                json = e.getMessage();
            }
            definitions.put(key, new Definition(type.describe(), queryName, json));
        }
        return new ArrayList<>(definitions.values());
    }

    /** One trigger. */
    public static final class Row {
        private final TriggerRegistry.Evaluation evaluation;
        private final PollHealth health;
        private final JobPollingStatus status;

        Row(TriggerRegistry.Evaluation evaluation, @CheckForNull PollHealth health,
                @CheckForNull JobPollingStatus status) {
            this.evaluation = evaluation;
            this.health = health;
            this.status = status;
        }

        public String getJobFullName() {
            return evaluation.job().getFullName();
        }

        public String getJobDisplayName() {
            return evaluation.job().getFullDisplayName();
        }

        public String getJobUrl() {
            return evaluation.job().getUrl();
        }

        public String getActionType() {
            return new CodePipelinePollingAction.TriggerRow(evaluation, health).getActionType();
        }

        public String getQuery() {
            return new CodePipelinePollingAction.TriggerRow(evaluation, health).getQuery();
        }

        public String getRegion() {
            return evaluation.trigger().effectiveRegion();
        }

        public boolean isPolling() {
            return evaluation.polls();
        }

        public boolean isProblem() {
            return !evaluation.polls() && evaluation.state() != TriggerRegistry.State.JOB_DISABLED
                    && evaluation.state() != TriggerRegistry.State.BRANCH_NOT_SELECTED
                    || health != null && health.failing();
        }

        /** "Polling", the poll failure, or why it does not poll. */
        public String getState() {
            String reason = evaluation.reason();
            if (reason != null) {
                return reason;
            }
            if (health != null && health.failing()) {
                return Messages.CodePipelinePollingAction_Failed(health.failure());
            }
            return Messages.CodePipelinePollingAction_Polling();
        }

        public String getLastPoll() {
            return health == null ? "" : CodePipelinePollingAction.ago(health.lastPoll());
        }

        public long getJobsReceived() {
            return health == null ? 0 : health.jobsReceived();
        }
    }

    /** One job in flight. */
    public static final class InFlight {
        private final JobJournal.Entry entry;
        private final Job<?, ?> job;

        InFlight(JobJournal.Entry entry, @CheckForNull Job<?, ?> job) {
            this.entry = entry;
            this.job = job;
        }

        public String getJobId() {
            return entry.jobId();
        }

        public String getRegion() {
            return entry.region();
        }

        public String getOwner() {
            return entry.owner();
        }

        @CheckForNull
        public String getOwnerUrl() {
            return job == null ? null : job.getUrl();
        }

        public String getDescription() {
            return entry.description();
        }

        public String getState() {
            return entry.state().name();
        }

        public String getAcknowledged() {
            return CodePipelinePollingAction.ago(entry.acknowledgedAt());
        }

        @CheckForNull
        public CodePipelinePollingAction.BuildLink getBuild() {
            return job == null ? null : CodePipelinePollingAction.buildLink(job, entry.buildNumber());
        }
    }

    /** A create-custom-action-type definition. */
    public static final class Definition {
        private final String actionType;
        private final String queryName;
        private final String json;

        Definition(String actionType, String queryName, String json) {
            this.actionType = actionType;
            this.queryName = queryName;
            this.json = json;
        }

        public String getActionType() {
            return actionType;
        }

        public String getQueryName() {
            return queryName;
        }

        public String getJson() {
            return json;
        }
    }
}
