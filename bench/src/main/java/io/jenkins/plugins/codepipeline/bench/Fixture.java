package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.HttpSettings;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;

/**
 * The report every section sends, through our code and through the bare SDK, with the same settings: the referee
 * as endpoint, us-east-1, the lab key pair, the Apache client with core's default timeouts, the SDK's standard retry
 * strategy with core's default attempts.
 */
final class Fixture {
    static final String ACCESS_KEY_ID = "AKIDJENKINSLAB";
    static final String SECRET_ACCESS_KEY = "labSecretKey";
    static final String REGION = "us-east-1";

    /** Three output variables, as a build would publish them. */
    static final Map<String, String> VARIABLES;

    static {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("commitId", "9fceb02d0ae598e95dc970b74767f19372d61af8");
        v.put("buildNumber", "1234");
        v.put("imageTag", "app-1.4.2-1234");
        VARIABLES = java.util.Collections.unmodifiableMap(v);
    }

    private Fixture() {
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /** Core's defaults, with the endpoint override. */
    static ConnectionSettings settings(URI endpoint, String region) {
        return ConnectionSettings.builder().region(region).endpoint(endpoint).build();
    }

    static ConnectionSettings settings(URI endpoint) {
        return settings(endpoint, REGION);
    }

    static SuccessResult ours(String jobId) {
        return SuccessResult.builder().jobId(jobId).outputVariables(VARIABLES).build();
    }

    static PutJobSuccessResultRequest bare(String jobId) {
        return PutJobSuccessResultRequest.builder().jobId(jobId).outputVariables(VARIABLES).build();
    }

    /**
     * The bare SDK client: what a user would write with the same HTTP and retry settings as core's defaults
     * (Apache client, connect 10 s, socket 30 s; standard retry mode, 5 attempts, no circuit breaker; 30 s per
     * attempt). The SDK retries here; in our path the reporter drives the same strategy itself.
     */
    static CodePipelineClient bareClient(URI endpoint, String region) {
        HttpSettings http = HttpSettings.defaults();
        return CodePipelineClient.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint)
                .credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(http.connectTimeout())
                        .socketTimeout(http.socketTimeout()))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(ConnectionSettings.DEFAULT_MAX_ATTEMPTS)
                                .circuitBreakerEnabled(false)
                                .build())
                        .apiCallAttemptTimeout(ConnectionSettings.DEFAULT_ATTEMPT_TIMEOUT))
                .build();
    }

    static CodePipelineClient bareClient(URI endpoint) {
        return bareClient(endpoint, REGION);
    }
}
