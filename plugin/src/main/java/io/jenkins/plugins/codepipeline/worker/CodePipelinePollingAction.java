package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Action;
import hudson.model.Item;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jenkins.model.TransientActionFactory;

/**
 * "CodePipeline polling" on the page of a job with a {@link CodePipelineJobsTrigger}: what its triggers poll and
 * whether they may, the last poll and its outcome, the jobs in flight and the jobs received with the builds they
 * started, and a short polling log with the errors. Readers of the job see it; it holds no secret.
 */
public final class CodePipelinePollingAction implements Action {
    /** How far back the page looks for the build of a job that is no longer in flight. */
    static final int MAX_BUILDS_SEARCHED = 30;
    /** An access key id after the words that name it in the poller's and reporter's messages. */
    private static final Pattern NAMED_KEY_ID = Pattern.compile("(access key (?:id )?)([A-Za-z0-9]{4})[A-Za-z0-9]+");
    /** The forms of AWS access key ids (long-term, session, and the other unique-id prefixes). */
    private static final Pattern BARE_KEY_ID =
            Pattern.compile("\\b(AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA|ABIA|ACCA)[A-Z0-9]{12,}\\b");
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
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().current(job)) {
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
            return Messages.CodePipelinePollingAction_Failed(forViewer(outcome.errorMessage()));
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
        Map<String, JobJournal.Entry> inFlight = new HashMap<>();
        for (JobJournal.Entry entry : InFlightJobs.get().entries()) {
            inFlight.put(entry.jobId(), entry);
        }
        List<ReceivedRow> rows = new ArrayList<>();
        for (JobPollingStatus.Received received : status.receivedJobs()) {
            JobJournal.Entry entry = inFlight.get(received.getJobId());
            if (entry != null) {
                // once a result was sent (or could not be), the state says so; the build number still follows
                received.update(entry.buildNumber(), received.isSettled() ? null : entry.state().name());
            } else if (received.lookUpOnce()) {
                received.update(findBuild(received.getJobId()), received.isSettled() ? null : "FINISHED");
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

    /** The polling log, newest first; access key ids masked for those who may not configure the job. */
    public List<EventRow> getEvents() {
        JobPollingStatus status = status();
        if (status == null) {
            return List.of();
        }
        boolean full = job.hasPermission(Item.CONFIGURE);
        List<EventRow> rows = new ArrayList<>();
        for (JobPollingStatus.Event e : status.events()) {
            rows.add(new EventRow(e.at(), e.warning(), full ? e.text() : maskAccessKeyIds(e.text())));
        }
        return rows;
    }

    /**
     * Poll errors name the access key id that signed the call, as AWS does: whoever may configure the job sees it,
     * other readers of the job see only its first four characters (its kind: AKIA, ASIA...).
     */
    private String forViewer(String text) {
        return job.hasPermission(Item.CONFIGURE) ? text : maskAccessKeyIds(text);
    }

    /** "access key AKIAIOSFODNN7EXAMPLE" and any bare AWS access key id become "AKIA****". */
    static String maskAccessKeyIds(@CheckForNull String text) {
        if (text == null) {
            return null;
        }
        String masked = NAMED_KEY_ID.matcher(text).replaceAll("$1$2****");
        return BARE_KEY_ID.matcher(masked).replaceAll("$1****");
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

        /** The trigger's maxJobsInFlight, as the poller applies it (at most 2 without concurrent builds). */
        public int getMaxJobsInFlight() {
            return ControllerPoller.roomLimit(evaluation.job(), evaluation.trigger().getMaxJobsInFlight());
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

    /** One line of the polling log (a public class: the page's expressions reach only public classes). */
    public static final class EventRow {
        private final Instant at;
        private final boolean warning;
        private final String text;

        EventRow(Instant at, boolean warning, String text) {
            this.at = at;
            this.warning = warning;
            this.text = text;
        }

        public Instant getAt() {
            return at;
        }

        public boolean isWarning() {
            return warning;
        }

        public String getText() {
            return text;
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
            return registry != null && registry.hasTriggers(target) ? Set.of(new CodePipelinePollingAction(target))
                    : Set.of();
        }
    }
}
