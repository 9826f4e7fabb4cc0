package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;

/**
 * An embedded S3Proxy (2.6.0, which checks SigV4) whose identity is the fake jobs' artifact credentials, for the
 * fake jobs' artifact bucket. Objects are named by artifact, once {@link #noteKeys} read the job's S3 keys.
 */
final class FakeArtifactStore implements AutoCloseable {
    static final String BUCKET = "codepipeline-" + FakeJob.DEFAULT_REGION + "-fake-artifacts";

    private final S3ProxyServer s3proxy;
    private final Map<String, String> keys = new HashMap<>();

    FakeArtifactStore() throws Exception {
        s3proxy = new S3ProxyServer(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID,
                FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY);
    }

    URI endpoint() {
        return s3proxy.endpoint();
    }

    void createBucket() {
        s3proxy.createBucket(BUCKET);
    }

    /** Notes the S3 key of each of the job's input and output artifacts, which must all be in {@link #BUCKET}. */
    void noteKeys(String jobData) throws IOException {
        JsonNode data = new ObjectMapper().readTree(jobData);
        for (String list : List.of("inputArtifacts", "outputArtifacts")) {
            for (JsonNode artifact : data.get(list)) {
                JsonNode location = artifact.path("location").path("s3Location");
                assertEquals(BUCKET, location.path("bucketName").asText());
                keys.put(artifact.get("name").asText(), location.path("objectKey").asText());
            }
        }
    }

    String key(String artifact) {
        return keys.get(artifact);
    }

    /** The artifact's object as an {@code s3://bucket/key} address. */
    String s3Uri(String artifact) {
        return "s3://" + BUCKET + "/" + keys.get(artifact);
    }

    void putObject(String artifact, byte[] content) {
        BlobStore blobs = s3proxy.blobs();
        blobs.putBlob(BUCKET, blobs.blobBuilder(keys.get(artifact)).payload(content)
                .contentLength(content.length).build());
    }

    /** The artifact's object, null when there is none. */
    byte[] object(String artifact) throws IOException {
        Blob blob = s3proxy.blobs().getBlob(BUCKET, keys.get(artifact));
        if (blob == null) {
            return null;
        }
        try (InputStream in = blob.getPayload().openStream()) {
            return in.readAllBytes();
        }
    }

    /** A zip's entries: a folder's as {@code <dir>}, a file's as its text. */
    static Map<String, String> zipEntries(byte[] zip) throws IOException {
        Map<String, String> entries = new HashMap<>();
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(new ByteArrayInputStream(zip))) {
            ZipArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), entry.isDirectory() ? "<dir>"
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    /** No run printed the artifact credentials' secret key or session token. */
    static void assertNoArtifactSecretPrinted(List<Run> runs) {
        for (Run run : runs) {
            for (String secret : List.of(FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY,
                    FakeCodePipeline.ARTIFACT_SESSION_TOKEN)) {
                assertFalse(run.out().contains(secret) || run.err().contains(secret),
                        () -> "an artifact secret was printed:\n" + run);
            }
        }
    }

    @Override
    public void close() throws Exception {
        s3proxy.close();
    }
}
