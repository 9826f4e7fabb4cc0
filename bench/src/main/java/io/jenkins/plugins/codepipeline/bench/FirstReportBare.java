package io.jenkins.plugins.codepipeline.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultResponse;

/**
 * Section 2, bare: the first report of a fresh JVM through the SDK alone, built with the same settings as core's
 * defaults (see {@link Fixture#bareClient}, repeated here so that no core class is loaded). Args: endpoint jobId.
 */
public final class FirstReportBare {
    public static void main(String[] args) {
        long mainStarted = System.nanoTime();
        long mainStartedWall = System.currentTimeMillis();

        CodePipelineClient client = CodePipelineClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(args[0]))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDJENKINSLAB", "labSecretKey")))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(5)
                                .circuitBreakerEnabled(false)
                                .build())
                        .apiCallAttemptTimeout(Duration.ofSeconds(30)))
                .build();
        PutJobSuccessResultResponse response = client.putJobSuccessResult(r -> r.jobId(args[1]).outputVariables(Map.of(
                "commitId", "9fceb02d0ae598e95dc970b74767f19372d61af8",
                "buildNumber", "1234",
                "imageTag", "app-1.4.2-1234")));

        long delivered = System.nanoTime();
        long deliveredWall = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("RESULT mainToDeliveredNanos=" + (delivered - mainStarted)
                + " jvmStartToMainMs=" + (mainStartedWall - jvmStart)
                + " jvmStartToDeliveredMs=" + (deliveredWall - jvmStart)
                + " requestId=" + response.responseMetadata().requestId());
        client.close();
    }
}
