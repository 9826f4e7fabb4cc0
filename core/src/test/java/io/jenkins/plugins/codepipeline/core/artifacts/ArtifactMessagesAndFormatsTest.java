package io.jenkins.plugins.codepipeline.core.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Format detection, the extraction rules and the wording of failures, without a server. */
class ArtifactMessagesAndFormatsTest {
    private static final JobArtifact ARTIFACT = new JobArtifact("BuildOutput", null, "bucket-1", "p/BuildOutput/Ab3");
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create("ASIAKEY", "secretKey",
            "sessionToken");
    private static final ArtifactStoreSettings SETTINGS = new ArtifactStoreSettings("eu-west-1", null, null);

    @TempDir
    Path temp;

    private static Transfer transfer(boolean upload, String kmsKeyId) {
        return new Transfer(ARTIFACT, upload, ArtifactCredentials.fixed(CREDENTIALS), kmsKeyId, SETTINGS);
    }

    private static S3Exception error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("req-9")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    private static void assertNoSecret(String message) {
        assertFalse(message.contains("secretKey"), message);
        assertFalse(message.contains("sessionToken"), message);
    }

    @Test
    void formatsAreToldByTheirFirstBytes() throws IOException {
        byte[] zip = {'P', 'K', 3, 4, 0, 0};
        assertEquals(ArchiveFormat.ZIP, ArchiveFormat.detect(zip, zip.length, null));
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(tgz);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            TarArchiveEntry entry = new TarArchiveEntry("a.txt");
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('a');
            tar.closeArchiveEntry();
        }
        byte[] bytes = tgz.toByteArray();
        assertEquals(ArchiveFormat.TAR_GZ, ArchiveFormat.detect(bytes, bytes.length, null));
        // a read-ahead that ends mid-stream (here: without the gzip trailer) still holds the first header
        assertEquals(ArchiveFormat.TAR_GZ, ArchiveFormat.detect(bytes, bytes.length - 8, null));
        byte[] text = "PK is not enough".getBytes(StandardCharsets.UTF_8);
        assertEquals(ArchiveFormat.FILE, ArchiveFormat.detect(text, text.length, "application/zip"));
        assertEquals(ArchiveFormat.ZIP, ArchiveFormat.detect(new byte[0], 0, "application/zip"));
        assertEquals(ArchiveFormat.FILE, ArchiveFormat.detect(new byte[0], 0, null));
    }

    @Test
    void tarEntriesThatClimbOutAreRefusedAndHardLinksStayInside() throws IOException {
        ExtractionTarget target = new ExtractionTarget(temp.resolve("t"));
        ExtractionTarget.UnsafeEntryException e = assertThrows(ExtractionTarget.UnsafeEntryException.class,
                () -> target.file("a/../../x", 0644, null, new ByteArrayInputStream(new byte[0])));
        assertTrue(e.getMessage().contains("climbs out"), e.getMessage());
        assertThrows(ExtractionTarget.UnsafeEntryException.class, () -> target.hardLink("h", "../../etc/passwd"));
        assertThrows(ExtractionTarget.UnsafeEntryException.class, () -> target.symbolicLink("c:\\x", "y"));
        target.file("dir/f.txt", 0640, null, new ByteArrayInputStream("f".getBytes(StandardCharsets.UTF_8)));
        target.hardLink("dir/g.txt", "dir/f.txt");
        target.finish();
        assertEquals("f", Files.readString(temp.resolve("t/dir/g.txt")));
        assertFalse(Files.exists(temp.resolve("x")));
    }

    @Test
    void aFullDiskIsNamedWithTheArtifactAndWhatToDo() {
        IOException full = new IOException("No space left on device");
        String message = ArtifactErrorMessages.local(full, transfer(false, null), temp, "extracted into");
        assertTrue(message.startsWith("The disk of " + temp + " is full: the input artifact 'BuildOutput' "
                + "(s3://bucket-1/p/BuildOutput/Ab3) could not be extracted into there ("), message);
        assertTrue(message.contains("MB free). Free space on the agent"), message);
    }

    @Test
    void accessDeniedSaysReadOrWriteAndTheBucketToCheck() {
        String read = ArtifactErrorMessages.describe(error(403, "AccessDenied", "Access Denied"), transfer(false,
                null), "s3:GetObject", false);
        assertEquals("The job's artifact credentials (access key ASIAKEY) may not read the input artifact "
                + "'BuildOutput' (s3://bucket-1/p/BuildOutput/Ab3) (s3:GetObject) (AWS: AccessDenied: Access Denied; "
                + "request id req-9). Check the policy of bucket bucket-1 (it must allow the pipeline's service role) "
                + "and that the job's artifact is in the pipeline's artifact store.", read);
        String kms = ArtifactErrorMessages.describe(error(403, "AccessDenied", "User: arn:aws:sts::1:assumed-role/x "
                + "is not authorized to perform: kms:Decrypt"), transfer(false, null), "s3:GetObject", false);
        assertTrue(kms.startsWith("The job's artifact credentials may not use the artifact bucket's KMS key to "
                + "decrypt (kms:Decrypt) the input artifact 'BuildOutput'"), kms);
        String noBucket = ArtifactErrorMessages.describe(error(404, "NoSuchBucket", "gone"), transfer(true, null),
                "s3:PutObject", false);
        assertTrue(noBucket.contains("The artifact bucket bucket-1 of the output artifact 'BuildOutput'"), noBucket);
        assertTrue(noBucket.contains("the region (eu-west-1) and the S3 endpoint (s3.eu-west-1 (AWS))"), noBucket);
        String network = ArtifactErrorMessages.describe(SdkClientException.create("Unable to execute HTTP request",
                new java.net.ConnectException("Connection refused")), transfer(true, null), "s3:UploadPart", false);
        assertTrue(network.contains("ConnectException: Connection refused"), network);
        for (String m : new String[] {read, kms, noBucket, network}) {
            assertNoSecret(m);
        }
    }

    @Test
    void settingsCheckTheRegionAndEndpoint() {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactStoreSettings("not a region", null, null));
        ArtifactStoreSettings local = new ArtifactStoreSettings(null, URI.create("http://127.0.0.1:9000"), null);
        assertEquals("us-east-1", local.region());
        assertEquals("http://127.0.0.1:9000", local.endpointDescription());
        assertThrows(IllegalArgumentException.class, () -> new ArtifactUploader(
                software.amazon.awssdk.services.s3.S3Client.builder().region(
                        software.amazon.awssdk.regions.Region.US_EAST_1).build(), local, 1024));
    }
}
