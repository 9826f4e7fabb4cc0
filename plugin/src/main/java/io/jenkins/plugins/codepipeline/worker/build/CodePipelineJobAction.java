package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Action;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.ExecutionIds;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import io.jenkins.plugins.codepipeline.core.worker.JobEnvironment;
import io.jenkins.plugins.codepipeline.core.worker.PipelineContext;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;

/**
 * The CodePipeline job a build was started for: its non-secret data (what the trigger received, never the artifact
 * credentials, the nonce or a secret configuration value), where its result goes, and what was reported for it.
 *
 * <p>Put on the queue item by {@link JobBuildScheduler} and carried into the build, persisted in queue.xml and
 * build.xml. As a {@link Queue.QueueAction} it keeps two CodePipeline jobs from being merged into one queue item: a
 * request is merged only into an item that carries the same job id. Shown on the build page by summary.jelly.
 *
 * <p>A plain class with plain fields: Jenkins' XStream cannot read records back.
 */
public final class CodePipelineJobAction implements RunAction2, Queue.QueueAction {

    /** An input or output artifact's name and place; no credentials. */
    public static final class Artifact {
        private final String name;
        private final String revision;
        private final String bucket;
        private final String objectKey;

        Artifact(JobArtifact artifact) {
            this.name = artifact.name();
            this.revision = artifact.revision();
            this.bucket = artifact.bucket();
            this.objectKey = artifact.objectKey();
        }

        public String getName() {
            return name;
        }

        public String getRevision() {
            return revision;
        }

        public String getBucket() {
            return bucket;
        }

        public String getObjectKey() {
            return objectKey;
        }

        JobArtifact toCore() {
            return new JobArtifact(name, revision, bucket, objectKey);
        }
    }

    // The job, as received (nothing secret).
    private final String jobId;
    private final String accountId;
    private final String category;
    private final String provider;
    private final String version;
    private final String pipelineName;
    private final String pipelineArn;
    private final String pipelineExecutionId;
    private final String stageName;
    private final String actionName;
    private final String actionExecutionId;
    private LinkedHashMap<String, String> configuration;
    private final boolean configurationKnown;
    private ArrayList<Artifact> inputArtifacts;
    private ArrayList<Artifact> outputArtifacts;
    private final String continuationToken;

    // Where its result goes, and how the build's result maps to it.
    private final JobConnection connection;
    private final boolean unstableAsSuccess;

    /** Only in builds recorded by earlier versions: the id is now computed from the build when it is reported. */
    private volatile String externalExecutionId;

    // What was reported.
    private volatile String reportedBy;
    private volatile String reportedResult;
    private volatile String reportedDetail;
    private volatile String reportRequestId;
    private volatile long reportedAt;
    private volatile String stepFailure;
    private volatile String undelivered;
    /** Set on a build that must not run the job (another build runs it, or it was answered): why. */
    private volatile String duplicateOf;

    // The live link (the trigger's reportProgress): absent in build.xml of earlier versions (no chain).
    /** Whether the build reports progress when it starts, so that CodePipeline links the execution to it. */
    private boolean reportProgress;
    /** The follow-up jobs attached after the first one ({@link #jobId}), in order; null when none. */
    private volatile ArrayList<String> followUps;
    /** The continuation token of the current follow-up job; null for the first job (see {@link #continuationToken}). */
    private volatile String followUpToken;
    /** Whether the build waits for CodePipeline's follow-up job (the early report closed the current job). */
    private volatile boolean awaitingFollowUp;
    /** Why the follow-up job will not come (the wait was given up); null normally. */
    private volatile String followUpLost;

    /** Why the result is not delivered yet while it is tried again (not persisted: a restart tries again). */
    private transient volatile String retrying;

    private transient volatile Run<?, ?> run;
    private transient volatile Map<String, String> variables;

    public CodePipelineJobAction(@NonNull ReceivedJob job, @NonNull JobConnection connection, boolean unstableAsSuccess) {
        this(job, connection, unstableAsSuccess, false);
    }

    /**
     * @param reportProgress whether the build reports progress when it starts (the live link: the job is then
     *                       continued by a chain of follow-up jobs)
     */
    public CodePipelineJobAction(@NonNull ReceivedJob job, @NonNull JobConnection connection, boolean unstableAsSuccess,
            boolean reportProgress) {
        this.reportProgress = reportProgress;
        this.jobId = job.jobId();
        this.accountId = job.accountId();
        ActionTypeId type = job.actionType();
        this.category = type == null ? null : type.category();
        this.provider = type == null ? null : type.provider();
        this.version = type == null ? null : type.version();
        PipelineContext pipeline = job.pipeline();
        this.pipelineName = pipeline.pipelineName();
        this.pipelineArn = pipeline.pipelineArn();
        this.pipelineExecutionId = pipeline.pipelineExecutionId();
        this.stageName = pipeline.stageName();
        this.actionName = pipeline.actionName();
        this.actionExecutionId = pipeline.actionExecutionId();
        this.configuration = new LinkedHashMap<>(job.configuration());
        this.configurationKnown = job.configurationKnown();
        this.inputArtifacts = new ArrayList<>(job.inputArtifacts().stream().map(Artifact::new).toList());
        this.outputArtifacts = new ArrayList<>(job.outputArtifacts().stream().map(Artifact::new).toList());
        this.continuationToken = job.continuationToken();
        this.connection = connection;
        this.unstableAsSuccess = unstableAsSuccess;
    }

    /** A queue.xml or build.xml written by an older version still loads. */
    private Object readResolve() {
        if (configuration == null) {
            configuration = new LinkedHashMap<>();
        }
        if (inputArtifacts == null) {
            inputArtifacts = new ArrayList<>();
        }
        if (outputArtifacts == null) {
            outputArtifacts = new ArrayList<>();
        }
        return this;
    }

    /** The job as core models it, for the environment and the results. */
    public ReceivedJob toReceivedJob() {
        ActionTypeId type = null;
        if (category != null && provider != null && version != null) {
            try {
                type = new ActionTypeId(category, provider, version);
            } catch (IllegalArgumentException e) {
                type = null; // kept as received; not needed to run or report the job
            }
        }
        return new ReceivedJob(getJobId(), accountId, connection.getRegion(), type,
                new PipelineContext(pipelineName, pipelineArn, pipelineExecutionId, stageName, actionName,
                        actionExecutionId),
                configuration, configurationKnown,
                inputArtifacts.stream().map(Artifact::toCore).toList(),
                outputArtifacts.stream().map(Artifact::toCore).toList(), getContinuationToken());
    }

    /** The {@code CODEPIPELINE_*} variables of the build, computed once. */
    public Map<String, String> getVariables() {
        Map<String, String> v = variables;
        if (v == null) {
            v = Collections.unmodifiableMap(JobEnvironment.variables(toReceivedJob()));
            variables = v;
        }
        return v;
    }

    /**
     * True unless {@code actions} carry a CodePipeline job action for the same job: a request for another job (or a
     * build started by anyone else) gets its own queue item, a second request for this job joins this one.
     */
    @Override
    public boolean shouldSchedule(List<Action> actions) {
        for (Action action : actions) {
            if (action instanceof CodePipelineJobAction other && jobId.equals(other.jobId)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    /** Null when the job's full name is too long for an id (then none is sent). */
    @CheckForNull
    static String executionIdOf(Run<?, ?> r) {
        try {
            return ExecutionIds.encode(r.getParent().getFullName(), r.getNumber());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
    }

    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    // --- the job ---

    /** The current job: the newest of the chain (the first job when there is no chain). */
    @NonNull
    public String getJobId() {
        List<String> f = followUps;
        return f == null || f.isEmpty() ? jobId : f.get(f.size() - 1);
    }

    /** The job the build was started for: the first of the chain, whose id the live link's token names. */
    @NonNull
    public String getFirstJobId() {
        return jobId;
    }

    /** The jobs of the chain in order, the first one first and the current one last. */
    public List<String> getChain() {
        List<String> chain = new ArrayList<>();
        chain.add(jobId);
        List<String> f = followUps;
        if (f != null) {
            chain.addAll(f);
        }
        return Collections.unmodifiableList(chain);
    }

    /** Whether {@code id} is one of the jobs of this build's chain (the current one or an earlier one). */
    public boolean isInChain(@CheckForNull String id) {
        return id != null && getChain().contains(id);
    }

    /** Whether the build reports progress when it starts (the trigger's {@code reportProgress}, resolved). */
    public boolean isReportProgress() {
        return reportProgress;
    }

    /** Whether the build waits for CodePipeline's follow-up job: its result and output artifacts wait too. */
    public boolean isAwaitingFollowUp() {
        return awaitingFollowUp;
    }

    /** Why the follow-up job will not come (the wait was given up); null normally. */
    @CheckForNull
    public String getFollowUpLost() {
        return followUpLost;
    }

    /** The early report is on its way, or was delivered: the build waits for the follow-up job. */
    void markAwaitingFollowUp() {
        this.followUpLost = null;
        this.awaitingFollowUp = true;
    }

    /** The early report was not delivered: the build goes on with its current job. */
    void clearAwaitingFollowUp() {
        this.awaitingFollowUp = false;
    }

    /** The wait was given up: {@code why} ends the waits with an error. */
    void loseFollowUp(@NonNull String why) {
        this.followUpLost = why;
        this.awaitingFollowUp = false;
    }

    /**
     * The follow-up job becomes the build's current job: its id, its continuation token and its output artifact
     * locations; the environment follows. The caller saves the build.
     */
    void attachFollowUp(@NonNull ReceivedJob followUp) {
        attachFollowUp(followUp.jobId(), followUp.continuationToken());
        if (!followUp.outputArtifacts().isEmpty()) {
            this.outputArtifacts = new ArrayList<>(followUp.outputArtifacts().stream().map(Artifact::new).toList());
        }
        variables = null;
    }

    /** The follow-up job's id (and token, when known) becomes the build's current job. */
    void attachFollowUp(@NonNull String followUpJobId, @CheckForNull String token) {
        synchronized (this) {
            ArrayList<String> next = followUps == null ? new ArrayList<>() : new ArrayList<>(followUps);
            if (!next.contains(followUpJobId) && !jobId.equals(followUpJobId)) {
                next.add(followUpJobId);
            }
            followUps = next;
        }
        this.followUpToken = token;
        this.variables = null;
        this.awaitingFollowUp = false;
    }

    public String getAccountId() {
        return accountId;
    }

    /** {@code Build/Custom/Jenkins/1}, or null when the job did not say. */
    @CheckForNull
    public String getActionType() {
        return category == null ? null : category + "/Custom/" + provider + "/" + version;
    }

    public String getPipelineName() {
        return pipelineName;
    }

    public String getPipelineArn() {
        return pipelineArn;
    }

    public String getPipelineExecutionId() {
        return pipelineExecutionId;
    }

    public String getStageName() {
        return stageName;
    }

    public String getActionName() {
        return actionName;
    }

    public String getActionExecutionId() {
        return actionExecutionId;
    }

    /** The non-secret configuration properties (none when their secret flags were unknown). */
    public Map<String, String> getConfiguration() {
        return Collections.unmodifiableMap(configuration);
    }

    public boolean isConfigurationKnown() {
        return configurationKnown;
    }

    public List<Artifact> getInputArtifacts() {
        return Collections.unmodifiableList(inputArtifacts);
    }

    public List<Artifact> getOutputArtifacts() {
        return Collections.unmodifiableList(outputArtifacts);
    }

    /** Set for a follow-up job: the token an earlier result gave (for a chain, the current job's). */
    @CheckForNull
    public String getContinuationToken() {
        List<String> f = followUps;
        return f == null || f.isEmpty() ? continuationToken : followUpToken;
    }

    @NonNull
    public JobConnection getConnection() {
        return connection;
    }

    public String getRegion() {
        return connection.getRegion();
    }

    public boolean isUnstableAsSuccess() {
        return unstableAsSuccess;
    }

    /**
     * The id under which the build is reported to CodePipeline ({@code executionDetails.externalExecutionId}), which
     * the {@code /codepipeline/build/} redirect resolves: computed from the build's job and number when it is asked
     * for (at report time), so that it follows a renamed or moved job. Null until the action is on a build.
     */
    @CheckForNull
    public String getExternalExecutionId() {
        Run<?, ?> r = run;
        if (r != null) {
            String id = executionIdOf(r);
            if (id != null) {
                return id;
            }
        }
        return externalExecutionId;
    }

    /** {@code pipeline/stage/action}, for lists and logs. */
    public String describe() {
        return (pipelineName == null ? "?" : pipelineName) + "/" + (stageName == null ? "?" : stageName) + "/"
                + (actionName == null ? "?" : actionName);
    }

    /**
     * The execution in the CodePipeline console, or null when the job did not name its pipeline and execution.
     * {@code https://<region>.console.aws.amazon.com/codesuite/codepipeline/pipelines/<name>/executions/<id>/timeline?region=<region>}
     */
    @CheckForNull
    public String getConsoleUrl() {
        if (pipelineName == null || pipelineExecutionId == null) {
            return null;
        }
        String region = connection.getRegion();
        return consoleRoot(region) + "/codesuite/codepipeline/pipelines/" + encode(pipelineName)
                + "/executions/" + encode(pipelineExecutionId) + "/timeline?region=" + encode(region);
    }

    /** The console of the region's partition: AWS GovCloud (US) and China have their own. */
    static String consoleRoot(String region) {
        if (region.startsWith("us-gov-")) {
            return "https://console.amazonaws-us-gov.com";
        }
        if (region.startsWith("cn-")) {
            return "https://console.amazonaws.cn";
        }
        return "https://" + encode(region) + ".console.aws.amazon.com";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // --- what was reported ---

    /** Whether a result was sent for this job from this build (by a step, the freestyle action or automatically). */
    public boolean isReported() {
        return reportedBy != null;
    }

    /** Who reported: a step's name, {@code codePipelineJobResult}, or {@link AutomaticReport#REPORTER}. */
    @CheckForNull
    public String getReportedBy() {
        return reportedBy;
    }

    /** {@code success} or {@code failure}. */
    @CheckForNull
    public String getReportedResult() {
        return reportedResult;
    }

    /** The summary or failure message that was sent, when known. */
    @CheckForNull
    public String getReportedDetail() {
        return reportedDetail;
    }

    @CheckForNull
    public String getReportRequestId() {
        return reportRequestId;
    }

    public long getReportedAt() {
        return reportedAt;
    }

    /** Why this build's own report step failed for this job, if it did (and nothing was reported after). */
    @CheckForNull
    public String getStepFailure() {
        return stepFailure;
    }

    /** Why the automatic report could not be delivered, if it could not. */
    @CheckForNull
    public String getUndelivered() {
        return undelivered;
    }

    /** Why this build did not run the job (another build runs it, or it was answered already); null normally. */
    @CheckForNull
    public String getDuplicateOf() {
        return duplicateOf;
    }

    /** Why the result is not delivered yet, while it is being tried again; null otherwise. */
    @CheckForNull
    public String getRetrying() {
        return reportedBy == null && undelivered == null ? retrying : null;
    }

    /**
     * Records a delivered result. The caller saves the build (once, with whatever else it records).
     *
     * @param by     who reported
     * @param result {@code success} or {@code failure}
     */
    public void markReported(@NonNull String by, @NonNull String result, @CheckForNull String detail,
            @CheckForNull String requestId) {
        this.reportedResult = result;
        this.reportedDetail = Util.fixEmpty(detail);
        this.reportRequestId = requestId;
        this.reportedAt = System.currentTimeMillis();
        this.undelivered = null;
        this.retrying = null;
        this.reportedBy = by;
    }

    /** Records that a report step of this build failed for this job; the automatic report then says why. */
    public void recordStepFailure(@NonNull String reason) {
        this.stepFailure = reason;
    }

    /** Records that the automatic report could not be delivered. */
    public void recordUndelivered(@NonNull String reason) {
        this.retrying = null;
        this.undelivered = reason;
    }

    /** Notes, for the build page, that the result is being tried again after {@code problem}. */
    void recordRetrying(@CheckForNull String problem) {
        this.retrying = problem;
    }

    /** Marks this build as one that must not run the job: it reports nothing. */
    void markDuplicate(@NonNull String why) {
        this.duplicateOf = why;
    }

    // --- Action ---

    /** Shown through summary.jelly on the build page, not as a side-panel link. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.CodePipelineJobAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }

    @Override
    public String toString() {
        return "CodePipeline job " + getJobId() + " (" + describe() + ")";
    }
}
