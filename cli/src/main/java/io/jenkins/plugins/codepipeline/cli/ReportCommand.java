package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.InvalidJobResultException;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultJson;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import io.jenkins.plugins.codepipeline.core.ReportAbortedException;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What both subcommands do: build the result, check it, then print it (dry run) or send it.
 *
 * <p>Nothing of the AWS SDK is touched before the result has passed every local check: a refused result or a dry
 * run costs no SDK start-up and needs no credentials.
 */
abstract class ReportCommand implements Callable<Integer> {
    final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Option(names = "--job-id", paramLabel = "ID", required = true, order = 0,
            description = "The id of the job CodePipeline handed to this worker (a lower-case UUID).")
    String jobId;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--truncate-long-text", order = 200,
            description = "Shorten over-long free text (--summary, --revision-summary, --message) to its limit, "
                    + "ending in '" + LongTextShortener.MARKER + "', and warn on stderr, instead of refusing the "
                    + "result.")
    boolean truncateLongText;

    @Option(names = "--dry-run", order = 201,
            description = "Check the result and print the request body as JSON on stdout; send nothing. Needs no "
                    + "credentials.")
    boolean dryRun;

    ReportCommand(CliEnvironment env) {
        this.env = env;
    }

    /**
     * The result the options describe, before any shortening.
     *
     * @throws LocalProblem when the options cannot make a result (unreadable output variables ...)
     */
    abstract JobResult buildResult(PrintWriter err) throws LocalProblem;

    /** Extra lines on stderr after a delivered result (never values of variables). */
    void describeDelivered(JobResult sent, PrintWriter err) {
    }

    @Override
    public final Integer call() {
        return CommandStreams.run(spec, this::run);
    }

    private int run(PrintWriter out, PrintWriter err) {
        String operation = operationName();
        JobResult result;
        ConnectionSettings settings;
        try {
            settings = connection.settings(env);
            result = buildResult(err);
        } catch (LocalProblem e) {
            err.println(operation + " not sent: " + e.getMessage());
            return ExitCodes.REFUSED_LOCALLY;
        }
        if (truncateLongText) {
            LongTextShortener.Shortened shortened = LongTextShortener.shorten(result);
            if (!shortened.shortenedFields().isEmpty()) {
                err.println("Warning: shortened to the limit (--truncate-long-text): "
                        + String.join(", ", shortened.shortenedFields()));
            }
            result = shortened.result();
        }
        try {
            JobResultValidator.requireValid(result);
        } catch (InvalidJobResultException e) {
            err.println(e.getMessage());
            return ExitCodes.REFUSED_LOCALLY;
        }
        if (dryRun) {
            out.println(JobResultJson.toJson(result, true));
            err.println("Dry run: nothing sent. This " + operation + " request passed the checks; it would go to "
                    + settings.endpointDescription() + " in region " + settings.region() + " (region from "
                    + connection.regionSource + (settings.endpoint() == null ? "" : ", endpoint from "
                    + connection.endpointSource) + ").");
            return ExitCodes.DELIVERED;
        }
        return send(result, settings, out, err);
    }

    private int send(JobResult result, ConnectionSettings settings, PrintWriter out, PrintWriter err) {
        AwsCredentialsProvider credentials = null;
        try (CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory())) {
            credentials = env.credentials().get();
            ReportOutcome outcome = new JobResultReporter(clients)
                    .report(result, settings, credentials, new StderrListener(err));
            switch (outcome.status()) {
                case DELIVERED:
                    out.println(outcome.requestId());
                    err.println(outcome.message());
                    describeDelivered(outcome.result(), err);
                    return ExitCodes.DELIVERED;
                case DELIVERED_ANSWER_LOST:
                    if (outcome.requestId() != null) {
                        out.println(outcome.requestId());
                    }
                    err.println(outcome.message());
                    return ExitCodes.ANSWER_LOST;
                default:
                    err.println(outcome.message());
                    return ExitCodes.NOT_DELIVERED;
            }
        } catch (ReportAbortedException e) {
            err.println(e.getMessage());
            return ExitCodes.NOT_DELIVERED;
        } finally {
            CliEnvironment.close(credentials);
        }
    }

    private String operationName() {
        return this instanceof SuccessCommand ? "PutJobSuccessResult" : "PutJobFailureResult";
    }
}
