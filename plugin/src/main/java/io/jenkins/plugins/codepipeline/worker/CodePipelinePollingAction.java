package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import io.jenkins.plugins.codepipeline.core.worker.PollOutcome;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import io.jenkins.plugins.codepipeline.worker.build.InFlightJobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import jenkins.model.TransientActionFactory;

/**
 * "CodePipeline polling" on the page of a job with a {@link CodePipelineJobsTrigger}: what its triggers poll and
 * whether they may, the last poll and its outcome, the jobs in flight and the jobs received with the builds they
 * started, and a short polling log with the errors. Readers of the job see it; it holds no secret.
 */
public final class CodePipelinePollingAction implements Action {
    /** How far back the page looks for the build of a job that is no longer in flight. */
    static final int MAX_BUILDS_SEARCHED = 30;
    private final Job<?, ?> job;

    CodePipelinePollingAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cloud";
    }

    @Override
    public String getDisplayName() {
        return Messages.CodePipelinePollingAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "codepipeline-polling";
    }

    public boolean isQuietingDown() {
        return ControllerPoller.get().isQuietingDown();
    }

    public int getPollIntervalSeconds() {
        return io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration.get().getPollIntervalSeconds();
    }

    /** One row per trigger of the job. */
    public List<TriggerRow> getTriggers() {
        List<TriggerRow> rows = new ArrayList<>();
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().evaluate(job)) {
            rows.add(new TriggerRow(evaluation, ControllerPoller.get().health(evaluation.key())));
        }
        return rows;
    }

    @CheckForNull
    private JobPollingStatus status() {
        return ControllerPoller.get().statusOrNull(job.getFullName());
    }

    /** The last poll's time, as "12 sec ago"; null when never polled. */
    @CheckForNull
    public String getLastPoll() {
        JobPollingStatus status = status();
        PollOutcome outcome = status == null ? null : status.lastOutcome();
        return outcome == null ? null : ago(outcome.at());
    }

    /** The last poll's outcome, in words; null when never polled. */
    @CheckForNull
    public String getLastOutcome() {
        JobPollingStatus status = status();
        PollOutcome outcome = status == null ? null : status.lastOutcome();
        if (outcome == null) {
            return null;
        }
        if (outcome.failed()) {
            return Messages.CodePipelinePollingAction_Failed(outcome.errorMessage());
        }
        return Messages.CodePipelinePollingAction_Succeeded(outcome.acknowledged().size(), outcome.dropped().size());
    }

    public boolean isLastPollFailed() {
        JobPollingStatus status = status();
        PollOutcome outcome = status == null ? null : status.lastOutcome();
        return outcome != null && outcome.failed();
    }

    /** Since when polls fail, and how many in a row; null while they succeed. */
    @CheckForNull
    public String getFailingSince() {
        JobPollingStatus status = status();
        PollHealth health = status == null ? null : status.lastHealth();
        if (health == null || !health.failing() || health.failingSince() == null) {
            return null;
        }
        return Messages.CodePipelinePollingAction_FailingSince(ago(health.failingSince()),
                health.consecutiveFailures());
    }

    /** Jobs received since Jenkins started, as core counts them for the key. */
    public long getJobsReceived() {
        JobPollingStatus status = status();
        PollHealth health = status == null ? null : status.lastHealth();
        return health == null ? 0 : health.jobsReceived();
    }

    /** The acknowledged, unfinished jobs of this Jenkins job. */
    public List<InFlightRow> getJobsInFlight() {
        List<InFlightRow> rows = new ArrayList<>();
        for (JobJournal.Entry entry : InFlightJobs.get().entries()) {
            if (job.getFullName().equals(entry.owner())) {
                rows.add(new InFlightRow(entry, job));
            }
        }
        return rows;
    }

    /** The last jobs received, newest first, with their builds once known. */
    public List<ReceivedRow> getReceived() {
        JobPollingStatus status = status();
        if (status == null) {
            return List.of();
        }
        List<JobJournal.Entry> inFlight = InFlightJobs.get().entries();
        List<ReceivedRow> rows = new ArrayList<>();
        for (JobPollingStatus.Received received : status.receivedJobs()) {
            for (JobJournal.Entry entry : inFlight) {
                if (entry.jobId().equals(received.getJobId())) {
                    received.update(entry.buildNumber(), entry.state().name());
                }
            }
            boolean stillInFlight = inFlight.stream().anyMatch(e -> e.jobId().equals(received.getJobId()));
            if (!stillInFlight && !"FINISHED".equals(received.getState())) {
                received.update(findBuild(received.getJobId()), "FINISHED");
            }
            rows.add(new ReceivedRow(received, job));
        }
        return rows;
    }

    /** The number of the build that ran a CodePipeline job, among the job's last builds; 0 when not found. */
    private int findBuild(String jobId) {
        int looked = 0;
        for (Run<?, ?> run : job.getBuilds()) {
            CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
            if (action != null && jobId.equals(action.getJobId())) {
                return run.getNumber();
            }
            if (++looked >= MAX_BUILDS_SEARCHED) {
                break;
            }
        }
        return 0;
    }

    public List<JobPollingStatus.Event> getEvents() {
        JobPollingStatus status = status();
        return status == null ? List.of() : status.events();
    }

    static String ago(@CheckForNull Instant at) {
        if (at == null) {
            return "";
        }
        long millis = Math.max(0, System.currentTimeMillis() - at.toEpochMilli());
        return Messages.CodePipelinePollingAction_Ago(Util.getTimeSpanString(millis));
    }

    /** A build of the job, as a link: its URL relative to Jenkins' root and its name; null when it is gone. */
    @CheckForNull
    static BuildLink buildLink(Job<?, ?> job, int number) {
        if (number <= 0) {
            return null;
        }
        Run<?, ?> run = job.getBuildByNumber(number);
        return run == null ? null : new BuildLink(run.getUrl(), run.getFullDisplayName());
    }

    /** A link to a build. */
    public static final class BuildLink {
        private final String url;
        private final String name;

        BuildLink(String url, String name) {
            this.url = url;
            this.name = name;
        }

        public String getUrl() {
            return url;
        }

        public String getName() {
            return name;
        }
    }

    /** One trigger on the page. */
    public static final class TriggerRow {
        private final TriggerRegistry.Evaluation evaluation;
        private final PollHealth health;

        TriggerRow(TriggerRegistry.Evaluation evaluation, @CheckForNull PollHealth health) {
            this.evaluation = evaluation;
            this.health = health;
        }

        public String getActionType() {
            CodePipelineJobsTrigger t = evaluation.trigger();
            return t.getCategory() + "/Custom/" + t.getProvider() + "/" + t.getVersion();
        }

        public String getQuery() {
            CodePipelineJobsTrigger t = evaluation.trigger();
            return t.getProjectName() == null ? Messages.CodePipelinePollingAction_EveryJob()
                    : t.getQueryPropertyName() + " = " + t.getProjectName();
        }

        public String getRegion() {
            return evaluation.trigger().effectiveRegion();
        }

        @CheckForNull
        public String getEndpoint() {
            return evaluation.trigger().effectiveEndpointUrl();
        }

        public String getCredentials() {
            String id = evaluation.trigger().effectiveCredentialsId();
            return id == null ? Messages.CodePipelinePollingAction_ControllerCredentials() : id;
        }

        public int getMaxJobsInFlight() {
            return evaluation.trigger().getMaxJobsInFlight();
        }

        public boolean isPolling() {
            return evaluation.polls();
        }

        /** "Polling", or why not (naming only jobs the user may read). */
        public String getState() {
            String reason = evaluation.reason();
            return reason == null ? Messages.CodePipelinePollingAction_Polling() : reason;
        }

        public boolean isFailing() {
            return health != null && health.failing();
        }
    }

    /** One job in flight. */
    public static final class InFlightRow {
        private final JobJournal.Entry entry;
        private final Job<?, ?> job;

        InFlightRow(JobJournal.Entry entry, Job<?, ?> job) {
            this.entry = entry;
            this.job = job;
        }

        public String getJobId() {
            return entry.jobId();
        }

        public String getDescription() {
            return entry.description();
        }

        public String getState() {
            return entry.state().name();
        }

        public String getAcknowledged() {
            return ago(entry.acknowledgedAt());
        }

        @CheckForNull
        public BuildLink getBuild() {
            return buildLink(job, entry.buildNumber());
        }
    }

    /** One job received. */
    public static final class ReceivedRow {
        private final JobPollingStatus.Received received;
        private final Job<?, ?> job;

        ReceivedRow(JobPollingStatus.Received received, Job<?, ?> job) {
            this.received = received;
            this.job = job;
        }

        public String getJobId() {
            return received.getJobId();
        }

        public String getDescription() {
            return received.getDescription() + (received.isFollowUp() ? " (follow-up)" : "");
        }

        public String getReceived() {
            return ago(received.getAt());
        }

        public String getState() {
            return received.getState();
        }

        @CheckForNull
        public BuildLink getBuild() {
            return buildLink(job, received.getBuildNumber());
        }
    }

    /** Adds the page to each job that has a started trigger, once, however many triggers it has. */
    @Extension
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @Override
        public Class<? extends Action> actionType() {
            return CodePipelinePollingAction.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            TriggerRegistry registry = TriggerRegistry.getOrNull();
            if (registry == null) {
                return Set.of();
            }
            for (CodePipelineJobsTrigger trigger : registry.started()) {
                if (trigger.getJob() == target) {
                    return Set.of(new CodePipelinePollingAction(target));
                }
            }
            return Set.of();
        }
    }
}
