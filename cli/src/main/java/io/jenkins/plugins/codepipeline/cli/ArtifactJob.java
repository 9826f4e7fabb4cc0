package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.RetryStrategies;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactCredentials;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsRequest;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsResponse;
import software.amazon.awssdk.services.codepipeline.model.JobData;

/**
 * A job's artifacts as GetJobDetails gives them, called with the command line's own credentials. The job's artifact
 * credentials are kept in memory only, for the S3 transfers, and are never printed: {@link #toString()} and every
 * message name the access key id at most.
 */
final class ArtifactJob {
    /** GetJobDetails failed; the message says why and what to check, and holds no secret. */
    static final class DetailsException extends Exception {
        private static final long serialVersionUID = 1L;

        DetailsException(String message) {
            super(message);
        }
    }

    final String jobId;
    final List<JobArtifact> inputs;
    final List<JobArtifact> outputs;
    /** The job's KMS key id or ARN; null when the job has none (the bucket's default aws/s3 key is used). */
    final String kmsKeyId;
    private final AwsSessionCredentials artifactCredentials;

    private ArtifactJob(String jobId, List<JobArtifact> inputs, List<JobArtifact> outputs, String kmsKeyId,
            AwsSessionCredentials artifactCredentials) {
        this.jobId = jobId;
        this.inputs = inputs;
        this.outputs = outputs;
        this.kmsKeyId = kmsKeyId;
        this.artifactCredentials = artifactCredentials;
    }

    /** The job's artifact credentials, renewed by another GetJobDetails when S3 answers ExpiredToken. */
    ArtifactCredentials credentials(CodePipelineClientCache.Lease lease, ConnectionSettings settings,
            AwsCredentials caller, PrintWriter err) {
        return new ArtifactCredentials(artifactCredentials, () -> {
            err.println("The job's artifact credentials expired; getting new ones (GetJobDetails)");
            err.flush();
            try {
                return fetch(lease, settings, jobId, caller, err).artifactCredentials;
            } catch (DetailsException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    static ArtifactJob fetch(CodePipelineClientCache.Lease lease, ConnectionSettings settings, String jobId,
            AwsCredentials caller, PrintWriter err) throws DetailsException {
        GetJobDetailsRequest request = GetJobDetailsRequest.builder().jobId(jobId)
                .overrideConfiguration(AwsRequestOverrideConfiguration.builder()
                        .credentialsProvider(StaticCredentialsProvider.create(caller)).build())
                .build();
        RetryStrategies.Retries retries = RetryStrategies.start(
                RetryStrategies.standard(settings.maxAttempts(), null, null).build(), "codepipeline-get-job-details");
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            SdkException failure;
            try {
                GetJobDetailsResponse response = lease.client().getJobDetails(request);
                retries.succeeded();
                return from(jobId, response, settings);
            } catch (SdkException e) {
                failure = e;
            }
            Optional<Duration> retry = retries.retryAfter(failure);
            if (retry.isEmpty() || System.nanoTime() + retry.get().toNanos() > deadline) {
                throw new DetailsException(describeFailure(jobId, settings, failure, attempt, caller));
            }
            err.println("GetJobDetails attempt " + attempt + " of " + settings.maxAttempts() + " failed ("
                    + describeBriefly(failure) + "); retrying in " + retry.get().toMillis() + " ms");
            err.flush();
            try {
                Thread.sleep(retry.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DetailsException("Interrupted while getting the details of job " + jobId + ".");
            }
        }
    }

    private static ArtifactJob from(String jobId, GetJobDetailsResponse response, ConnectionSettings settings)
            throws DetailsException {
        JobData data = response.jobDetails() == null ? null : response.jobDetails().data();
        if (data == null) {
            throw new DetailsException("GetJobDetails for job " + jobId + " in " + settings.region()
                    + " answered without the job's data.");
        }
        AWSSessionCredentials sdk = data.artifactCredentials();
        boolean hasArtifacts = !data.inputArtifacts().isEmpty() || !data.outputArtifacts().isEmpty();
        if (hasArtifacts && (sdk == null || sdk.accessKeyId() == null || sdk.secretAccessKey() == null
                || sdk.sessionToken() == null)) {
            throw new DetailsException("GetJobDetails for job " + jobId + " in " + settings.region() + " gave no "
                    + "artifact credentials. Check that the job is still in progress and belongs to a custom "
                    + "action of this account.");
        }
        AwsSessionCredentials credentials = sdk == null || sdk.accessKeyId() == null ? null
                : AwsSessionCredentials.create(sdk.accessKeyId(), sdk.secretAccessKey(), sdk.sessionToken());
        String kmsKeyId = data.encryptionKey() == null ? null : data.encryptionKey().id();
        return new ArtifactJob(jobId, artifacts(data.inputArtifacts(), true), artifacts(data.outputArtifacts(), false),
                kmsKeyId, credentials);
    }

    private static List<JobArtifact> artifacts(List<Artifact> sdk, boolean input) {
        List<JobArtifact> artifacts = new ArrayList<>();
        for (Artifact artifact : sdk) {
            String bucket = null;
            String key = null;
            if (artifact.location() != null && artifact.location().s3Location() != null) {
                bucket = artifact.location().s3Location().bucketName();
                key = artifact.location().s3Location().objectKey();
            }
            artifacts.add(new JobArtifact(artifact.name(), input ? artifact.revision() : null, bucket, key));
        }
        return List.copyOf(artifacts);
    }

    static List<String> names(List<JobArtifact> artifacts) {
        return artifacts.stream().map(JobArtifact::name).toList();
    }

    private static String describeBriefly(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            return AwsErrorMessages.errorCode(service) + ": " + AwsErrorMessages.awsMessage(service);
        }
        return "no answer: " + AwsErrorMessages.rootMessage(failure);
    }

    private static String describeFailure(String jobId, ConnectionSettings settings, SdkException failure,
            int attempts, AwsCredentials caller) {
        StringBuilder message = new StringBuilder("GetJobDetails for job ").append(jobId).append(" in ")
                .append(settings.region()).append(" failed after ").append(attempts).append(" attempt(s): ")
                .append(describeBriefly(failure));
        if (failure instanceof AwsServiceException service) {
            message.append(" (AWS request id ").append(service.requestId()).append(", access key ")
                    .append(caller.accessKeyId()).append("). Check the job id and region, and that the IAM policy "
                            + "allows codepipeline:GetJobDetails.");
        } else {
            message.append(". Check the endpoint ").append(settings.endpointDescription()).append(" and the network.");
        }
        return message.toString();
    }

    @Override
    public String toString() {
        return "ArtifactJob[" + jobId + ", inputs " + names(inputs) + ", outputs " + names(outputs) + "]";
    }
}
