package io.jenkins.plugins.codepipeline.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.CodePipelineReportsAction;
import io.jenkins.plugins.codepipeline.core.Attempt;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.InvalidJobResultException;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import io.jenkins.plugins.codepipeline.core.ReportAbortedException;
import io.jenkins.plugins.codepipeline.core.ReportListener;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import io.jenkins.plugins.codepipeline.worker.build.JobConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The one path of a report inside Jenkins, for the steps, the freestyle action and the job worker's automatic
 * reports: settings, credentials, optional shortening, core's validation and delivery, one log line, the build
 * action, one save of the build. A report that is not delivered ends in an {@link AbortException} with core's
 * message; no SDK exception leaves this class (Jenkins' class filter rejects them).
 *
 * <p>Settings of a step or the freestyle action, in this order: the argument; then, when the build was started for
 * a CodePipeline job ({@link CodePipelineJobAction}) and the report is for that job, the job's own region, endpoint
 * and credentials, together (the endpoint and credentials it was polled with; the environment is not consulted for
 * them); then the build's environment ({@code CODEPIPELINE_JOB_ID}, {@code AWS_REGION}, ...); then the global
 * configuration; then the default.
 */
public final class JobResultSender {
    static final String PREFIX = "[CodePipeline] ";
    /** Where a setting came from, when it is the build's CodePipeline job. */
    static final String FROM_JOB = ConnectionSources.FROM_JOB;
    private static final Logger LOGGER = Logger.getLogger(JobResultSender.class.getName());

    private JobResultSender() {
    }

    /**
     * What to send and where.
     *
     * @param result                  the result, before shortening
     * @param region                  the step's region argument, or null
     * @param credentialsId           the step's credentialsId argument, or null
     * @param endpointUrl             the step's endpointUrl argument, or null
     * @param truncateLongText        shorten over-long free text instead of refusing
     * @param logOutputVariableValues print variable values, not only their names
     * @param reporter                who reports, for the build page: a step's name or {@code codePipelineJobResult}
     */
    public record Request(JobResult result, @CheckForNull String region, @CheckForNull String credentialsId,
            @CheckForNull String endpointUrl, boolean truncateLongText, boolean logOutputVariableValues,
            @CheckForNull String reporter) {
        public Request(JobResult result, String region, String credentialsId, String endpointUrl,
                boolean truncateLongText, boolean logOutputVariableValues) {
            this(result, region, credentialsId, endpointUrl, truncateLongText, logOutputVariableValues, null);
        }
    }

    /**
     * The job a step or the freestyle action reports when it names none: the argument, else the build's CodePipeline
     * job, else {@code CODEPIPELINE_JOB_ID} from the environment.
     */
    public static SettingSources.Setting jobId(@CheckForNull Run<?, ?> run, @CheckForNull String explicit,
            @CheckForNull Map<String, String> environment) {
        String given = Util.fixEmptyAndTrim(explicit);
        if (given != null) {
            return new SettingSources.Setting(given, "argument");
        }
        CodePipelineJobAction job = run == null ? null : run.getAction(CodePipelineJobAction.class);
        if (job != null) {
            return new SettingSources.Setting(job.getJobId(), FROM_JOB);
        }
        return SettingSources.jobId(null, environment);
    }

    /**
     * The external execution id a step or the freestyle action sends when it is given none: in a build started for
     * a CodePipeline job, the id the {@code /codepipeline/build/} redirect resolves; otherwise the build number.
     */
    public static String defaultExternalExecutionId(Run<?, ?> run) {
        CodePipelineJobAction job = run.getAction(CodePipelineJobAction.class);
        String id = job == null ? null : job.getExternalExecutionId();
        return id != null ? id : String.valueOf(run.getNumber());
    }

    /**
     * @return the outcome: {@link ReportOutcome.Status#DELIVERED} or {@link ReportOutcome.Status#DELIVERED_ANSWER_LOST};
     *     the caller marks the build unstable for the latter
     * @throws AbortException when nothing was delivered, with the reason and what to do
     */
    public static ReportOutcome send(Run<?, ?> run, TaskListener listener, Map<String, String> environment,
            Request request) throws IOException, InterruptedException {
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        JobResult result = request.result();
        CodePipelineJobAction ownJob = action != null && action.getJobId().equals(result.jobId()) ? action : null;
        try {
            return sendChecked(run, listener, environment, request, ownJob);
        } catch (AbortException e) {
            recordStepFailure(run, result.jobId(), e.getMessage(), listener.getLogger());
            throw e;
        }
    }

    /**
     * Records that a report step or the freestyle action failed for the build's own CodePipeline job (before or
     * while sending): at completion the automatic report sends a failure with this reason, rather than a success (a
     * failure the Jenkinsfile caught) or nothing (the pipeline waiting for the job to time out). Saves the build once.
     * Nothing for another job, or when the job was reported already.
     *
     * @param jobId the job the step reported (resolved as the step resolves it), or null
     * @return whether it was recorded
     */
    public static boolean recordStepFailure(Run<?, ?> run, @CheckForNull String jobId, @CheckForNull String reason,
            PrintStream log) {
        CodePipelineJobAction ownJob = run.getAction(CodePipelineJobAction.class);
        if (ownJob == null || jobId == null || !ownJob.getJobId().equals(jobId) || ownJob.isReported()) {
            return false;
        }
        ownJob.recordStepFailure(reason == null || reason.isBlank() ? "the report step failed" : reason);
        saveQuietly(run, log);
        return true;
    }

    private static ReportOutcome sendChecked(Run<?, ?> run, TaskListener listener, Map<String, String> environment,
            Request request, @CheckForNull CodePipelineJobAction ownJob) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        JobResult result = request.result();
        String kind = kind(result);
        if (result.jobId() == null) {
            throw new AbortException("No CodePipeline job id: give jobId, or run the build with a "
                    + SettingSources.JOB_ID_VARIABLE + " parameter or environment variable holding the id of the job "
                    + "CodePipeline handed out.");
        }

        ConnectionSources sources = ConnectionSources.resolve(ownJob == null ? null : ownJob.getConnection(),
                request.region(), request.endpointUrl(), request.credentialsId(), environment);
        SettingSources.Setting region = sources.region();
        SettingSources.Setting endpoint = sources.endpoint();
        ConnectionSettings settings;
        try {
            settings = connectionSettings(region.value(), endpoint.value());
        } catch (IllegalArgumentException e) {
            throw new AbortException("CodePipeline " + kind + " for job " + result.jobId() + " not sent: "
                    + e.getMessage() + " (region from " + region.source() + ", endpoint from " + endpoint.source() + ")");
        }

        if (request.truncateLongText()) {
            LongTextShortener.Shortened shortened = LongTextShortener.shorten(result);
            result = shortened.result();
            if (!shortened.shortenedFields().isEmpty()) {
                log.println(PREFIX + "Shortened to CodePipeline's limits: " + String.join(", ", shortened.shortenedFields()));
            }
        }
        try {
            JobResultValidator.requireValid(result);
        } catch (InvalidJobResultException e) {
            throw new AbortException(e.getMessage());
        }

        String credentialsId = sources.credentialsId();
        AwsCredentialsProvider credentials = AwsCredentialsResolver.resolve(run, credentialsId,
                sources.credentialsSource(), global.isAllowControllerCredentials());

        log.println(PREFIX + "Reporting " + kind + " for job " + result.jobId() + " to " + settings.region()
                + " (region from " + region.source() + (endpoint.isSet()
                        ? ", endpoint " + settings.endpoint() + " from " + endpoint.source() : "")
                + ", credentials " + (credentialsId == null ? "of the controller" : "'" + credentialsId + "'") + ")");
        ReportOutcome outcome = report(result, settings, credentials, log);
        if (!outcome.delivered()) {
            throw new AbortException(outcome.message());
        }
        List<String> names = result instanceof SuccessResult success
                ? List.copyOf(success.outputVariables().keySet()) : List.of();
        String outcomeLabel = outcome.status() == ReportOutcome.Status.DELIVERED ? "delivered" : "delivered, answer lost";
        CodePipelineReportsAction.add(run, new CodePipelineReportsAction.Report(kind, result.jobId(),
                settings.region(), outcome.requestId(), outcomeLabel, names, System.currentTimeMillis()));
        if (ownJob != null) {
            ownJob.markReported(request.reporter() == null ? "a report step" : request.reporter(), kind,
                    detail(result), outcome.requestId());
        }
        // The one durable write of a report: what a crash must keep is that this job was reported.
        saveQuietly(run, log);
        if (outcome.status() == ReportOutcome.Status.DELIVERED) {
            log.println(PREFIX + "Reported " + kind + " for job " + result.jobId() + " in " + settings.region()
                    + " (AWS request id " + outcome.requestId() + ")" + variables(result, request.logOutputVariableValues()));
        } else {
            log.println(PREFIX + "Warning: " + outcome.message());
        }
        return outcome;
    }

    /**
     * Sends a result for a CodePipeline job with the job's own connection, as the job worker does when a build ends
     * (or cannot run): no arguments, no environment. Does not save the build or touch its actions.
     *
     * @param run     the build, whose job the credentials are looked up in (as the system, like the trigger); null
     *                when there is none
     * @param context where to look the credentials up when there is no build (the job, or a folder); null: globally
     * @param log     the build log, or null
     * @return the outcome, delivered or not
     * @throws AbortException when the report could not start (bad settings, missing credentials)
     */
    public static ReportOutcome deliver(@CheckForNull Run<?, ?> run, @CheckForNull Item context,
            @CheckForNull PrintStream log, @NonNull JobConnection connection, @NonNull JobResult result)
            throws AbortException, InterruptedException {
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        String endpoint = connection.getEndpointUrl() != null ? connection.getEndpointUrl()
                : global.getDefaultEndpointUrl();
        ConnectionSettings settings;
        try {
            settings = connectionSettings(connection.getRegion(), endpoint);
        } catch (IllegalArgumentException e) {
            throw new AbortException("CodePipeline " + kind(result) + " for job " + result.jobId() + " not sent: "
                    + e.getMessage());
        }
        String credentialsId = connection.getCredentialsId();
        String source = "the job's trigger";
        if (credentialsId == null) {
            credentialsId = global.getDefaultCredentialsId();
            source = "global configuration";
        }
        // Looked up as the trigger looked them up when it polled the job (in the job, as the system), not as the
        // build: an Authorize Project setup must not lose the job's result.
        AwsCredentialsProvider credentials = run != null
                ? AwsCredentialsResolver.resolveAsTrigger(run, credentialsId, source,
                        global.isAllowControllerCredentials())
                : AwsCredentialsResolver.resolve(context, credentialsId, source, global.isAllowControllerCredentials());
        if (log != null) {
            log.println(PREFIX + "Reporting " + kind(result) + " for job " + result.jobId() + " to "
                    + settings.region() + (endpoint == null ? "" : " at " + settings.endpoint()) + ", credentials "
                    + (credentialsId == null ? "of the controller" : "'" + credentialsId + "'"));
        }
        return report(result, settings, credentials, log);
    }

    private static ReportOutcome report(JobResult result, ConnectionSettings settings,
            AwsCredentialsProvider credentials, @CheckForNull PrintStream log) throws AbortException, InterruptedException {
        try {
            return SharedReporter.reporter().report(result, settings, credentials,
                    log == null ? ReportListener.NONE : new LogListener(log));
        } catch (InvalidJobResultException e) {
            throw new AbortException(e.getMessage());
        } catch (ReportAbortedException e) {
            if (log != null) {
                log.println(PREFIX + e.getMessage());
            }
            throw e;
        } catch (RuntimeException e) {
            // Not an SDK exception object: Jenkins would reject it when recording the failure.
            throw new AbortException("CodePipeline " + kind(result) + " for job " + result.jobId()
                    + " failed unexpectedly: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** The connection settings of a report: region and endpoint, the global limits, Jenkins' proxy. */
    public static ConnectionSettings connectionSettings(@CheckForNull String region, @CheckForNull String endpoint) {
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        return ConnectionSettings.builder()
                .region(region)
                .endpoint(endpoint)
                .maxAttempts(global.getMaxAttempts())
                .timeout(Duration.ofSeconds(global.getTimeoutSeconds()))
                .http(SharedReporter.httpSettings())
                .build();
    }

    /** "success" or "failure". */
    public static String kind(JobResult result) {
        return result instanceof SuccessResult ? "success" : "failure";
    }

    /** The summary or failure message sent, for the build page. */
    @CheckForNull
    public static String detail(JobResult result) {
        if (result instanceof FailureResult failure) {
            return failure.type().awsName() + ": " + failure.message();
        }
        SuccessResult success = (SuccessResult) result;
        return success.executionDetails() == null ? null : success.executionDetails().summary();
    }

    private static void saveQuietly(Run<?, ?> run, PrintStream log) {
        try {
            run.save();
        } catch (IOException e) {
            // The report itself went through (or failed) already: a failed save must not change what the step does.
            LOGGER.log(Level.WARNING, "Could not save " + run, e);
            log.println(PREFIX + "Warning: could not save the build record: " + e.getMessage());
        }
    }

    private static String variables(JobResult result, boolean withValues) {
        if (!(result instanceof SuccessResult success) || success.outputVariables().isEmpty()) {
            return "";
        }
        return "; output variables: " + success.outputVariables().entrySet().stream()
                .map(e -> withValues ? e.getKey() + "=" + e.getValue() : e.getKey())
                .collect(Collectors.joining(", "));
    }

    /** Retries and warnings into the build log. */
    private record LogListener(PrintStream log) implements ReportListener {
        @Override
        public void warning(String message) {
            log.println(PREFIX + "Warning: " + message);
        }

        @Override
        public void retrying(Attempt failed, int maxAttempts, Duration delay) {
            log.println(PREFIX + "Attempt " + failed.number() + " of " + maxAttempts + " failed (" + failed.errorCode()
                    + (failed.requestId() == null ? "" : ", AWS request id " + failed.requestId()) + "); retrying in "
                    + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0) + " s");
        }
    }
}
