package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactCredentials;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactDownloader;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactS3Clients;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactUploader;
import io.jenkins.plugins.codepipeline.core.artifacts.JobArtifactDetails;
import io.jenkins.plugins.codepipeline.core.artifacts.JobDetailsException;
import io.jenkins.plugins.codepipeline.core.artifacts.S3EndpointSources;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The artifact transfers of one job, as {@code artifacts get|put} and the worker make them: GetJobDetails (with the
 * command line's own credentials) gives the artifacts, the KMS key and the job's artifact credentials; S3 is called
 * with the latter, renewed by another GetJobDetails when S3 answers ExpiredToken. The artifact credentials stay in
 * memory and are never printed: the log lines name artifacts, buckets and keys only.
 */
final class ArtifactTransfers implements AutoCloseable {
    private final JobArtifactDetails details;
    private final ArtifactStoreSettings store;
    private final ArtifactCredentials credentials;
    private final S3Client s3;

    private ArtifactTransfers(JobArtifactDetails details, ArtifactStoreSettings store,
            ArtifactCredentials credentials, S3Client s3) {
        this.details = details;
        this.store = store;
        this.credentials = credentials;
        this.s3 = s3;
    }

    /**
     * Where S3 is reached: {@code --s3-endpoint-url}, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL (from
     * {@code variables}), else the region's S3 endpoint.
     *
     * @throws LocalProblem for a malformed endpoint, naming where it came from
     */
    static ArtifactStoreSettings storeSettings(String option, Map<String, String> variables,
            ConnectionSettings settings) throws LocalProblem {
        SettingSources.Setting endpoint = S3EndpointSources.endpoint(option, variables, null);
        String source = "argument".equals(endpoint.source()) ? "--s3-endpoint-url" : "the " + endpoint.source();
        try {
            URI uri = ConnectionSettings.parseEndpoint(endpoint.value());
            return new ArtifactStoreSettings(settings.region(), uri, settings.http());
        } catch (IllegalArgumentException e) {
            throw new LocalProblem("S3 " + e.getMessage() + " (from " + source + ")");
        }
    }

    /**
     * Calls GetJobDetails; when the job has artifact credentials, also makes the S3 client (closed by
     * {@link #close}).
     *
     * @param client   CodePipeline, for {@code settings}
     * @param caller   the credentials GetJobDetails is signed with (never the job's)
     * @param progress told of retried attempts and of renewed credentials
     */
    static ArtifactTransfers start(CodePipelineClient client, ConnectionSettings settings, String jobId,
            AwsCredentialsProvider caller, ArtifactStoreSettings store, Consumer<String> progress)
            throws JobDetailsException {
        JobArtifactDetails details = JobArtifactDetails.fetch(client, settings, jobId, caller, progress);
        if (details.artifactCredentials() == null) {
            return new ArtifactTransfers(details, store, null, null);
        }
        ArtifactCredentials credentials = new ArtifactCredentials(details.artifactCredentials(), () -> {
            progress.accept("The artifact credentials of job " + jobId + " expired; getting new ones "
                    + "(GetJobDetails)");
            try {
                AwsSessionCredentials renewed = JobArtifactDetails.fetch(client, settings, jobId, caller, progress)
                        .artifactCredentials();
                if (renewed == null) {
                    throw new IllegalStateException("GetJobDetails for job " + jobId + " gave no artifact "
                            + "credentials");
                }
                return renewed;
            } catch (JobDetailsException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return new ArtifactTransfers(details, store, credentials,
                ArtifactS3Clients.build(store, new ApacheHttpClientFactory()));
    }

    JobArtifactDetails details() {
        return details;
    }

    /**
     * Downloads an input artifact into {@code into} (emptied first).
     *
     * @return the log line
     */
    String download(JobArtifact artifact, Path into) throws ArtifactTransferException {
        ArtifactDownloader.Result result = new ArtifactDownloader(s3(), store).download(artifact, into,
                credentials);
        return "Downloaded input artifact '" + artifact.name() + "' (" + result.format().name().toLowerCase(Locale.ROOT)
                + ", " + bytes(result.objectBytes()) + ", " + count(result.files(), "file") + ", "
                + count(result.directories(), "directory", "directories") + ", " + count(result.links(), "link")
                + ") from " + location(artifact) + " into " + into;
    }

    /**
     * Uploads a directory (zipped) or a file (as is) as an output artifact.
     *
     * @return the log line
     */
    String upload(JobArtifact artifact, Path from) throws ArtifactTransferException {
        ArtifactUploader.Result result = new ArtifactUploader(s3(), store).upload(artifact, from,
                details.kmsKeyId(), credentials);
        String what = switch (result.format()) {
            case ZIP -> "zip of " + count(result.files(), "file") + ", " + bytes(result.bytes());
            default -> "file as is, " + bytes(result.bytes());
        };
        return "Uploaded output artifact '" + artifact.name() + "' (" + what + ", "
                + (result.parts() == 0 ? "1 request" : count(result.parts(), "part")) + ") from " + from + " to "
                + location(artifact) + ", SSE-KMS " + (details.kmsKeyId() == null ? "with the bucket's default key"
                : "with key " + details.kmsKeyId());
    }

    private S3Client s3() throws ArtifactTransferException {
        if (s3 == null) {
            throw new ArtifactTransferException("GetJobDetails for job " + details.jobId() + " gave no artifact "
                    + "credentials, so its artifacts cannot be transferred. Check that the job is still in progress.");
        }
        return s3;
    }

    static String location(JobArtifact artifact) {
        return "s3://" + artifact.bucket() + "/" + artifact.objectKey();
    }

    static String names(List<JobArtifact> artifacts) {
        return artifacts.isEmpty() ? "none" : String.join(", ", JobArtifactDetails.names(artifacts));
    }

    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    private static String count(int n, String one) {
        return count(n, one, one + "s");
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
