package io.jenkins.plugins.codepipeline.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.CodePipelineReportsAction;
import io.jenkins.plugins.codepipeline.core.Attempt;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.InvalidJobResultException;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import io.jenkins.plugins.codepipeline.core.ReportAbortedException;
import io.jenkins.plugins.codepipeline.core.ReportListener;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The one path of a report inside Jenkins, for the steps and the freestyle action alike: settings (argument, then the
 * build's environment, then the global configuration, then the default), credentials, optional shortening, core's
 * validation and delivery, one log line, the build action. A report that is not delivered ends in an
 * {@link AbortException} with core's message; no SDK exception leaves this class (Jenkins' class filter rejects them).
 */
public final class JobResultSender {
    static final String PREFIX = "[CodePipeline] ";

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
     */
    public record Request(JobResult result, @CheckForNull String region, @CheckForNull String credentialsId,
            @CheckForNull String endpointUrl, boolean truncateLongText, boolean logOutputVariableValues) {
    }

    /**
     * @return the outcome: {@link ReportOutcome.Status#DELIVERED} or {@link ReportOutcome.Status#DELIVERED_ANSWER_LOST};
     *     the caller marks the build unstable for the latter
     * @throws AbortException when nothing was delivered, with the reason and what to do
     */
    public static ReportOutcome send(Run<?, ?> run, TaskListener listener, Map<String, String> environment,
            Request request) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        JobResult result = request.result();
        String kind = result instanceof SuccessResult ? "success" : "failure";
        if (result.jobId() == null) {
            throw new AbortException("No CodePipeline job id: give jobId, or run the build with a "
                    + SettingSources.JOB_ID_VARIABLE + " parameter or environment variable holding the id of the job "
                    + "CodePipeline handed out.");
        }

        SettingSources.Setting region = SettingSources.region(request.region(), environment, global.getDefaultRegion());
        SettingSources.Setting endpoint = SettingSources.endpoint(request.endpointUrl(), environment,
                global.getDefaultEndpointUrl());
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.builder()
                    .region(region.value())
                    .endpoint(endpoint.value())
                    .maxAttempts(global.getMaxAttempts())
                    .timeout(Duration.ofSeconds(global.getTimeoutSeconds()))
                    .http(SharedReporter.httpSettings())
                    .build();
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

        String credentialsId = Util.fixEmptyAndTrim(request.credentialsId());
        String credentialsSource = "argument";
        if (credentialsId == null) {
            credentialsId = global.getDefaultCredentialsId();
            credentialsSource = "global configuration";
        }
        AwsCredentialsProvider credentials = AwsCredentialsResolver.resolve(run, credentialsId, credentialsSource,
                global.isAllowControllerCredentials());

        log.println(PREFIX + "Reporting " + kind + " for job " + result.jobId() + " to " + settings.region()
                + " (region from " + region.source() + (endpoint.isSet()
                        ? ", endpoint " + settings.endpoint() + " from " + endpoint.source() : "")
                + ", credentials " + (credentialsId == null ? "of the controller" : "'" + credentialsId + "'") + ")");
        ReportOutcome outcome;
        try {
            outcome = SharedReporter.reporter().report(result, settings, credentials, new LogListener(log));
        } catch (InvalidJobResultException e) {
            throw new AbortException(e.getMessage());
        } catch (ReportAbortedException e) {
            log.println(PREFIX + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // Not an SDK exception object: Jenkins would reject it when recording the failure.
            throw new AbortException("CodePipeline " + kind + " for job " + result.jobId() + " failed unexpectedly: "
                    + e.getClass().getName() + ": " + e.getMessage());
        }
        if (!outcome.delivered()) {
            throw new AbortException(outcome.message());
        }
        List<String> names = result instanceof SuccessResult success
                ? List.copyOf(success.outputVariables().keySet()) : List.of();
        String outcomeLabel = outcome.status() == ReportOutcome.Status.DELIVERED ? "delivered" : "delivered, answer lost";
        CodePipelineReportsAction.record(run, new CodePipelineReportsAction.Report(kind, result.jobId(),
                settings.region(), outcome.requestId(), outcomeLabel, names, System.currentTimeMillis()));
        if (outcome.status() == ReportOutcome.Status.DELIVERED) {
            log.println(PREFIX + "Reported " + kind + " for job " + result.jobId() + " in " + settings.region()
                    + " (AWS request id " + outcome.requestId() + ")" + variables(result, request.logOutputVariableValues()));
        } else {
            log.println(PREFIX + "Warning: " + outcome.message());
        }
        return outcome;
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
