package io.jenkins.plugins.codepipeline.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * Where and how results are sent: region, endpoint, retry limits and HTTP settings. It is the client cache's key,
 * so it holds no credentials. Instances are checked when built: a malformed region or endpoint is refused with a
 * message that says what to give instead.
 *
 * @param region         for example {@code eu-west-1}
 * @param endpoint       overrides the region's endpoint (VPC or FIPS endpoints, tests); null for the default
 * @param maxAttempts    attempts in all, the first included; at least 1
 * @param timeout        the most one report may take, all attempts and waits included
 * @param attemptTimeout the most one attempt may take
 * @param http           HTTP client settings
 */
public record ConnectionSettings(
        String region, URI endpoint, int maxAttempts, Duration timeout, Duration attemptTimeout, HttpSettings http) {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int MAX_ATTEMPTS_LIMIT = 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    /** Partition prefix, area words, number: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1, us-isob-east-1. */
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2,5}(-[a-z]+)+-[0-9]{1,2}");

    public ConnectionSettings {
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.trim();
        if (!REGION_NAME.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + region + "' is not an AWS region name; give one such as "
                    + DEFAULT_REGION + " or eu-west-1, the region of the pipeline");
        }
        if (endpoint != null) {
            checkEndpoint(endpoint);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxAttempts " + maxAttempts + " is not in 1–" + MAX_ATTEMPTS_LIMIT + "; the default is "
                            + DEFAULT_MAX_ATTEMPTS);
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (timeout.isNegative() || timeout.isZero() || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive; the defaults are "
                    + DEFAULT_TIMEOUT.toSeconds() + " s per report and " + DEFAULT_ATTEMPT_TIMEOUT.toSeconds()
                    + " s per attempt");
        }
        http = http == null ? HttpSettings.defaults() : http;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().region(region).endpoint(endpoint).maxAttempts(maxAttempts).timeout(timeout)
                .attemptTimeout(attemptTimeout).http(http);
    }

    /**
     * A warning when the region is well formed but not in this SDK's region list: it may be newer than the SDK,
     * so it is used anyway.
     */
    public Optional<String> regionWarning() {
        if (Region.regions().contains(Region.of(region))) {
            return Optional.empty();
        }
        return Optional.of("region '" + region + "' is not in the AWS SDK's list of regions; it is used anyway, "
                + "as regions can be newer than the SDK. Check the spelling if the report fails to connect");
    }

    /** The endpoint override, or the region's public endpoint, for messages. */
    public String endpointDescription() {
        return endpoint != null ? endpoint.toString() : "codepipeline." + region + " (AWS)";
    }

    // Written out rather than generated: a record's generated equals/hashCode bootstrap method handles on first use,
    // which costs a fresh JVM (the command line) about 20 ms when the client cache first looks up its key.
    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionSettings s && maxAttempts == s.maxAttempts && region.equals(s.region)
                && Objects.equals(endpoint, s.endpoint) && timeout.equals(s.timeout)
                && attemptTimeout.equals(s.attemptTimeout) && http.equals(s.http);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, endpoint, maxAttempts, timeout, attemptTimeout, http);
    }

    /** Parses an endpoint URL the way users give it; blank means none. */
    public static URI parseEndpoint(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint URL '" + url + "' is malformed (" + e.getReason()
                    + "); give one such as https://codepipeline-fips.us-east-1.amazonaws.com");
        }
        checkEndpoint(uri);
        return uri;
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || endpoint.getHost() == null || endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null) {
            throw new IllegalArgumentException("endpoint URL '" + endpoint + "' is not an http(s) URL with a host and "
                    + "no user, query or fragment; give one such as https://codepipeline-fips.us-east-1.amazonaws.com");
        }
    }

    public static final class Builder {
        private String region = DEFAULT_REGION;
        private URI endpoint;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private HttpSettings http = HttpSettings.defaults();

        private Builder() {
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder endpoint(String endpointUrl) {
            this.endpoint = parseEndpoint(endpointUrl);
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
            return this;
        }

        public Builder http(HttpSettings http) {
            this.http = http;
            return this;
        }

        public ConnectionSettings build() {
            return new ConnectionSettings(region, endpoint, maxAttempts, timeout, attemptTimeout, http);
        }
    }
}
