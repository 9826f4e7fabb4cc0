package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.HttpClientFactory;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client of one transfer. It has no credentials of its own: every request carries the job's artifact
 * credentials ({@link ArtifactCredentials}), so a client never outlives the job it serves with a secret in it, and
 * a renewed session needs no new client. Build one per transfer (or per agent call) and close it afterwards; it
 * owns the HTTP client built from {@code httpClients}.
 */
public final class ArtifactS3Clients {
    private ArtifactS3Clients() {
    }

    /** Requests without credentials are a bug, and fail loudly. */
    private static final AwsCredentialsProvider NO_CLIENT_CREDENTIALS = new AwsCredentialsProvider() {
        @Override
        public AwsCredentials resolveCredentials() {
            throw SdkClientException.create("no artifact credentials were given with this request");
        }

        @Override
        public String toString() {
            return "NoClientCredentials";
        }
    };

    public static S3Client build(ArtifactStoreSettings settings, HttpClientFactory httpClients) {
        return build(settings, httpClients, List.of());
    }

    /**
     * @param interceptors added to the client's (tests watch and answer requests with them)
     */
    public static S3Client build(ArtifactStoreSettings settings, HttpClientFactory httpClients,
            List<ExecutionInterceptor> interceptors) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(NO_CLIENT_CREDENTIALS)
                .httpClientBuilder(httpClients.builder(settings.http()))
                .overrideConfiguration(o -> interceptors.forEach(o::addExecutionInterceptor));
        if (settings.endpoint() != null) {
            // S3-compatible servers and VPC endpoints given by URL know no virtual-hosted buckets, and many
            // (S3Proxy 2.x) do not check the newer flexible checksums: the SDK's default (WHEN_SUPPORTED) makes
            // their PutObject and UploadPart fail with "x-amz-content-sha256 header does not match".
            builder.endpointOverride(settings.endpoint())
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
