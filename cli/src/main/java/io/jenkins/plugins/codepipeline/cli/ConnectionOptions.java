package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where and how a result is sent; shared by both subcommands. */
public final class ConnectionOptions {
    static final String DEFAULT_TIMEOUT_SECONDS = "120";

    @Option(names = "--region", paramLabel = "R", order = 100,
            description = "AWS region of the pipeline, such as eu-west-1. Default: the environment variable "
                    + "AWS_REGION, else AWS_DEFAULT_REGION, else " + ConnectionSettings.DEFAULT_REGION + ".")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", order = 101,
            description = "CodePipeline endpoint to use instead of the region's public one (VPC or FIPS endpoints, "
                    + "tests). Default: the environment variable AWS_ENDPOINT_URL_CODEPIPELINE, else AWS_ENDPOINT_URL, "
                    + "else the region's endpoint.")
    String endpointUrl;

    @Option(names = "--max-attempts", paramLabel = "N", order = 102,
            defaultValue = "" + ConnectionSettings.DEFAULT_MAX_ATTEMPTS,
            description = "Attempts in all, the first included (1-" + ConnectionSettings.MAX_ATTEMPTS_LIMIT + "). "
                    + "Throttling, server errors and broken connections are retried with the AWS SDK's standard "
                    + "backoff.")
    int maxAttempts;

    @Option(names = "--timeout", paramLabel = "SECONDS", order = 103, defaultValue = DEFAULT_TIMEOUT_SECONDS,
            description = "The most the whole report may take, all attempts and waits included.")
    long timeoutSeconds;

    /** Where the region and the endpoint of the last {@link #settings} came from, for messages. */
    String regionSource;
    String endpointSource;

    private static String describe(SettingSources.Setting setting, String option) {
        return "argument".equals(setting.source()) ? option : "the " + setting.source();
    }

    /**
     * The settings these options and the environment give.
     *
     * @throws LocalProblem for a malformed region or endpoint, or limits out of range
     */
    ConnectionSettings settings(CliEnvironment env) throws LocalProblem {
        SettingSources.Setting regionSetting = SettingSources.region(region, env.variables(), null);
        SettingSources.Setting endpointSetting = SettingSources.endpoint(endpointUrl, env.variables(), null);
        String regionName = regionSetting.value();
        String endpoint = endpointSetting.value();
        regionSource = describe(regionSetting, "--region");
        endpointSource = describe(endpointSetting, "--endpoint-url");
        ConnectionSettings.Builder builder = ConnectionSettings.builder().maxAttempts(maxAttempts);
        try {
            builder.endpoint(endpoint);
        } catch (IllegalArgumentException e) {
            throw new LocalProblem(e.getMessage() + " (from " + endpointSource + ")");
        }
        if (timeoutSeconds < 1) {
            throw new LocalProblem("--timeout " + timeoutSeconds + " is not a positive number of seconds; the default "
                    + "is " + DEFAULT_TIMEOUT_SECONDS);
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        // one attempt may not outlast the whole report
        Duration attemptTimeout = timeout.compareTo(ConnectionSettings.DEFAULT_ATTEMPT_TIMEOUT) < 0
                ? timeout : ConnectionSettings.DEFAULT_ATTEMPT_TIMEOUT;
        builder.timeout(timeout).attemptTimeout(attemptTimeout);
        try {
            builder.region(regionName);
            return builder.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            if (message != null && message.startsWith("region")) {
                message += " (from " + regionSource + ")";
            } else if (message != null && message.startsWith("maxAttempts")) {
                message = "--max-attempts" + message.substring("maxAttempts".length());
            }
            throw new LocalProblem(message);
        }
    }
}
