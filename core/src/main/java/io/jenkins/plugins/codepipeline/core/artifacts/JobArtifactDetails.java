package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.RetryStrategies;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsRequest;
import software.amazon.awssdk.services.codepipeline.model.GetJobDetailsResponse;
import software.amazon.awssdk.services.codepipeline.model.JobData;

/**
 * A job's artifacts as GetJobDetails gives them, as the artifact transfers need them: the input and output artifacts
 * in the job's order, the KMS key of what is written, and the job's artifact credentials. The credentials are kept
 * in memory only and never printed: {@link #toString()} and every message name the access key id at most.
 */
public final class JobArtifactDetails {
    private final String jobId;
    private final List<JobArtifact> inputs;
    private final List<JobArtifact> outputs;
    private final String kmsKeyId;
    private final AwsSessionCredentials artifactCredentials;

    private JobArtifactDetails(String jobId, List<JobArtifact> inputs, List<JobArtifact> outputs, String kmsKeyId,
            AwsSessionCredentials artifactCredentials) {
        this.jobId = jobId;
        this.inputs = inputs;
        this.outputs = outputs;
        this.kmsKeyId = kmsKeyId;
        this.artifactCredentials = artifactCredentials;
    }

    /**
     * Calls GetJobDetails with the caller's credentials, each attempt as the SDK's standard retry strategy decides
     * (throttling and server errors are retried, within {@code settings}' attempts and timeout).
     *
     * @param client   a CodePipeline client for {@code settings} (its own credentials are not used)
     * @param caller   the credentials GetJobDetails is signed with; resolved once per call
     * @param progress told of each retried attempt; null for none
     * @throws JobDetailsException when GetJobDetails failed, or the job has artifacts but no artifact credentials
     */
    public static JobArtifactDetails fetch(CodePipelineClient client, ConnectionSettings settings, String jobId,
            AwsCredentialsProvider caller, Consumer<String> progress) throws JobDetailsException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(caller, "caller");
        if (jobId == null || jobId.isBlank()) {
            throw new JobDetailsException("No job id was given, so the job's artifacts cannot be looked up "
                    + "(GetJobDetails). Give the CodePipeline job id.");
        }
        Consumer<String> log = progress == null ? line -> { } : progress;
        AwsCredentials resolved;
        try {
            resolved = caller.resolveCredentials();
        } catch (RuntimeException e) {
            throw new JobDetailsException("No AWS credentials to call GetJobDetails for job " + jobId + " in "
                    + settings.region() + " (" + AwsErrorMessages.rootMessage(e) + "). Check the credentials "
                    + "configured for CodePipeline.");
        }
        GetJobDetailsRequest request = GetJobDetailsRequest.builder().jobId(jobId)
                .overrideConfiguration(AwsRequestOverrideConfiguration.builder()
                        .credentialsProvider(StaticCredentialsProvider.create(resolved)).build())
                .build();
        RetryStrategies.Retries retries = RetryStrategies.start(
                RetryStrategies.standard(settings.maxAttempts(), null, null).build(), "codepipeline-get-job-details");
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            SdkException failure;
            try {
                GetJobDetailsResponse response = client.getJobDetails(request);
                retries.succeeded();
                return from(jobId, response, settings);
            } catch (SdkException e) {
                failure = e;
            }
            Optional<Duration> retry = retries.retryAfter(failure);
            if (retry.isEmpty() || System.nanoTime() + retry.get().toNanos() > deadline) {
                throw new JobDetailsException(describeFailure(jobId, settings, failure, attempt, resolved));
            }
            log.accept("GetJobDetails attempt " + attempt + " of " + settings.maxAttempts() + " failed ("
                    + describeBriefly(failure) + "); retrying in " + retry.get().toMillis() + " ms");
            try {
                Thread.sleep(retry.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobDetailsException("Interrupted while getting the details of job " + jobId + ".");
            }
        }
    }

    private static JobArtifactDetails from(String jobId, GetJobDetailsResponse response, ConnectionSettings settings)
            throws JobDetailsException {
        JobData data = response.jobDetails() == null ? null : response.jobDetails().data();
        if (data == null) {
            throw new JobDetailsException("GetJobDetails for job " + jobId + " in " + settings.region()
                    + " answered without the job's data.");
        }
        AWSSessionCredentials sdk = data.artifactCredentials();
        boolean hasArtifacts = !data.inputArtifacts().isEmpty() || !data.outputArtifacts().isEmpty();
        if (hasArtifacts && (sdk == null || sdk.accessKeyId() == null || sdk.secretAccessKey() == null
                || sdk.sessionToken() == null)) {
            throw new JobDetailsException("GetJobDetails for job " + jobId + " in " + settings.region() + " gave no "
                    + "artifact credentials. Check that the job is still in progress and belongs to a custom "
                    + "action of this account.");
        }
        AwsSessionCredentials credentials = sdk == null || sdk.accessKeyId() == null || sdk.secretAccessKey() == null
                || sdk.sessionToken() == null ? null
                : AwsSessionCredentials.create(sdk.accessKeyId(), sdk.secretAccessKey(), sdk.sessionToken());
        String kmsKeyId = data.encryptionKey() == null || data.encryptionKey().id() == null
                || data.encryptionKey().id().isBlank() ? null : data.encryptionKey().id();
        return new JobArtifactDetails(jobId, artifacts(data.inputArtifacts(), true),
                artifacts(data.outputArtifacts(), false), kmsKeyId, credentials);
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

    public String jobId() {
        return jobId;
    }

    /** The input artifacts, in the job's order. */
    public List<JobArtifact> inputs() {
        return inputs;
    }

    /** The output artifacts, in the job's order. */
    public List<JobArtifact> outputs() {
        return outputs;
    }

    /** The job's KMS key id or ARN; null when the job has no encryptionKey (the bucket's default key is used). */
    public String kmsKeyId() {
        return kmsKeyId;
    }

    /** The job's artifact credentials; null when the job has none (a job without artifacts). Never print them. */
    public AwsSessionCredentials artifactCredentials() {
        return artifactCredentials;
    }

    /** The names of {@code artifacts}, in their order. */
    public static List<String> names(List<JobArtifact> artifacts) {
        return artifacts.stream().map(JobArtifact::name).toList();
    }

    @Override
    public String toString() {
        return "JobArtifactDetails[" + jobId + ", inputs " + names(inputs) + ", outputs " + names(outputs)
                + (kmsKeyId == null ? "" : ", KMS key " + kmsKeyId)
                + (artifactCredentials == null ? ", no artifact credentials"
                        : ", artifact credentials " + artifactCredentials.accessKeyId()) + "]";
    }
}
