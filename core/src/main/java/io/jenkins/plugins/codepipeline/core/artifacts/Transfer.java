package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One artifact's transfer: what is moved (for messages), and the S3 calls made with the job's artifact credentials,
 * each repeated once with renewed credentials when S3 answers ExpiredToken.
 */
final class Transfer {
    /** Signs one request with given credentials. */
    @FunctionalInterface
    interface Call<T> {
        T call(AwsRequestOverrideConfiguration signing);
    }

    final JobArtifact artifact;
    final boolean upload;
    final ArtifactCredentials credentials;
    final String kmsKeyId;
    final ArtifactStoreSettings settings;

    Transfer(JobArtifact artifact, boolean upload, ArtifactCredentials credentials, String kmsKeyId,
            ArtifactStoreSettings settings) {
        this.artifact = Objects.requireNonNull(artifact, "artifact");
        this.upload = upload;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId;
        this.settings = settings;
    }

    String bucket() {
        return artifact.bucket();
    }

    String key() {
        return artifact.objectKey();
    }

    /** Refuses an artifact without an S3 location before anything is moved. */
    void checkLocation() throws ArtifactTransferException {
        if (bucket() == null || bucket().isBlank() || key() == null || key().isBlank()) {
            throw new ArtifactTransferException(ArtifactErrorMessages.what(this) + " has no S3 location in the job ("
                    + "bucket " + bucket() + ", key " + key() + "). Check that the pipeline's artifact store is an S3 "
                    + "bucket and that the custom action type declares this " + (upload ? "output" : "input")
                    + " artifact.");
        }
    }

    /**
     * Makes an S3 call; on ExpiredToken asks once for renewed credentials and repeats it.
     *
     * @param operation the S3 operation, for messages ({@code s3:GetObject})
     */
    <T> T call(String operation, Call<T> call) throws ArtifactTransferException {
        AwsSessionCredentials used = credentials.current();
        try {
            return call.call(signedWith(used));
        } catch (AwsServiceException e) {
            if (!ArtifactErrorMessages.isExpiredToken(e)) {
                throw failure(operation, e, false);
            }
            AwsSessionCredentials renewed;
            try {
                renewed = credentials.renew(used);
            } catch (RuntimeException renewalFailed) {
                throw new ArtifactTransferException(ArtifactErrorMessages.renewalFailed(this, operation,
                        renewalFailed), renewalFailed);
            }
            if (renewed == null) {
                // no renewal here: the caller may renew (GetJobDetails) and go on, see credentialsExpired()
                throw new ArtifactTransferException(ArtifactErrorMessages.describe(e, this, operation, false), e,
                        true, null);
            }
            try {
                return call.call(signedWith(renewed));
            } catch (SdkException again) {
                throw failure(operation, again, true);
            }
        } catch (SdkException e) {
            throw failure(operation, e, false);
        }
    }

    ArtifactTransferException failure(String operation, SdkException e, boolean afterRenewal) {
        return new ArtifactTransferException(ArtifactErrorMessages.describe(e, this, operation, afterRenewal), e);
    }

    private static AwsRequestOverrideConfiguration signedWith(AwsSessionCredentials credentials) {
        return AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(ArtifactCredentials.provider(credentials))
                .build();
    }
}
