package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.HttpSettings;
import java.net.URI;
import java.util.Objects;

/**
 * Where the pipeline's artifact store is reached: the job's region, an S3 endpoint override (VPC endpoints, tests)
 * and the HTTP settings. Holds no credentials: each transfer carries the job's artifact credentials.
 *
 * @param region   the pipeline's region, for example {@code eu-west-1}
 * @param endpoint overrides S3's endpoint; null for the region's. When set, the client uses path-style access and
 *                 computes checksums only where S3 requires them, as S3-compatible servers expect
 * @param http     HTTP client settings; null for the defaults
 */
public record ArtifactStoreSettings(String region, URI endpoint, HttpSettings http) {

    public ArtifactStoreSettings {
        // The same checks and defaults as CodePipeline's settings: a malformed region or endpoint is refused.
        ConnectionSettings checked = ConnectionSettings.builder().region(region).endpoint(endpoint).build();
        region = checked.region();
        http = http == null ? HttpSettings.defaults() : http;
    }

    /** The endpoint override, or S3's endpoint in the region, for messages. */
    public String endpointDescription() {
        return endpoint != null ? endpoint.toString() : "s3." + region + " (AWS)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArtifactStoreSettings s && region.equals(s.region)
                && Objects.equals(endpoint, s.endpoint) && http.equals(s.http);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, endpoint, http);
    }
}
