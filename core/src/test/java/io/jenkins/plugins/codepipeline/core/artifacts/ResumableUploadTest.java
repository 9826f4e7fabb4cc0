package io.jenkins.plugins.codepipeline.core.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * ExpiredToken without renewal: the transfer says so, a multipart upload is kept with a resume point, and an upload
 * resumed from it sends only the parts not sent yet, or starts again when the source changed.
 */
class ResumableUploadTest {
    private static final String BUCKET = "codepipeline-resume";
    private static final String TOKEN = "firstSessionToken";
    private static final String RENEWED_TOKEN = "renewedSessionToken";
    private static final String KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final int PART_SIZE = ArtifactUploader.MIN_PART_SIZE;

    @RegisterExtension
    static final S3ProxyFixture s3proxy = new S3ProxyFixture(BUCKET);

    @TempDir
    Path temp;

    private static ArtifactCredentials fixed(String token) {
        return ArtifactCredentials.fixed(S3ProxyFixture.credentials(token));
    }

    private static ArtifactUploader uploader() {
        return new ArtifactUploader(s3proxy.client(), s3proxy.settings, PART_SIZE);
    }

    private static S3Exception expiredToken() {
        return S3ProxyFixture.s3Error(400, "ExpiredToken", "The provided token has expired.");
    }

    /** S3 answers ExpiredToken to the {@code n}th (from 0) request of {@code operation}. */
    private static void expireOn(String operation, int n) {
        s3proxy.answer = (op, before) -> op.equals(operation) && before == n ? expiredToken() : null;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] object(JobArtifact artifact) {
        ResponseBytes<GetObjectResponse> bytes = s3proxy.client().getObjectAsBytes(r -> r.bucket(BUCKET)
                .key(artifact.objectKey()).overrideConfiguration(o -> o.credentialsProvider(
                        ArtifactCredentials.provider(S3ProxyFixture.credentials(TOKEN)))));
        return bytes.asByteArray();
    }

    private static List<?> openUploads() {
        return s3proxy.client().listMultipartUploads(r -> r.bucket(BUCKET).overrideConfiguration(o -> o.credentialsProvider(
                ArtifactCredentials.provider(S3ProxyFixture.credentials(TOKEN))))).uploads();
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(S3ProxyFixture.SECRET), text);
        assertFalse(text.contains(TOKEN), text);
        assertFalse(text.contains(RENEWED_TOKEN), text);
    }

    /** Three incompressible files of a part each (the zip takes four parts), an empty folder, an executable. */
    private Path tree(String name) throws IOException {
        Path tree = Files.createDirectories(temp.resolve(name));
        Files.write(tree.resolve("a.bin"), random(PART_SIZE, 11));
        Files.createDirectories(tree.resolve("b/nested"));
        Files.write(tree.resolve("b/nested/c.bin"), random(PART_SIZE, 12));
        Files.write(tree.resolve("d.bin"), random(PART_SIZE, 13));
        Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tree.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(tree.resolve("empty"));
        return tree;
    }

    private void assertObjectUnzipsTo(JobArtifact artifact, Path expected) throws IOException {
        Path target = temp.resolve("check-" + artifact.name());
        new ArtifactDownloader(s3proxy.client(), s3proxy.settings).download(artifact, target, fixed(TOKEN));
        assertEquals(listing(expected), listing(target));
        for (String relative : listing(expected)) {
            Path e = expected.resolve(relative);
            if (Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)) {
                assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(target.resolve(relative)), relative);
                assertEquals(Files.getPosixFilePermissions(e), Files.getPosixFilePermissions(
                        target.resolve(relative)), relative);
            }
        }
    }

    private static List<String> listing(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(p -> paths.add(root.relativize(p)
                    + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "")));
        }
        paths.sort(null);
        return paths;
    }

    /** The upload stops on ExpiredToken at the third UploadPart, and the multipart upload is kept. */
    private UploadResumePoint interrupted(JobArtifact artifact, Path source) {
        expireOn("UploadPart", 2);
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(artifact, source, KMS_KEY, fixed(TOKEN)));
        assertTrue(e.credentialsExpired());
        assertTrue(e.getMessage().contains("expired during the s3:UploadPart of the output artifact '"
                + artifact.name() + "' (s3://" + BUCKET + "/" + artifact.objectKey() + ")"), e.getMessage());
        assertTrue(e.getMessage().endsWith("The multipart upload was kept with 2 part(s) sent (10.5 MB): with "
                + "renewed credentials it goes on from part 3."), e.getMessage());
        assertNoSecret(e.getMessage());
        assertNoSecret(e.toString());
        UploadResumePoint point = e.resumePoint();
        assertNotNull(point);
        assertEquals(2, point.partCount());
        assertEquals(2L * PART_SIZE, point.bytes());
        assertEquals(List.of(1, 2), point.parts().stream().map(UploadResumePoint.Part::number).toList());
        assertEquals(BUCKET, point.bucket());
        assertEquals(artifact.objectKey(), point.key());
        assertEquals(3, s3proxy.requests("UploadPart").size());
        assertEquals(0, s3proxy.requests("AbortMultipartUpload").size(), "the upload is kept");
        assertEquals(0, s3proxy.requests("CompleteMultipartUpload").size());
        assertEquals(1, openUploads().size());
        assertNoSecret(point.toString());
        assertNoSecret(new String(Base64.getUrlDecoder().decode(point.encode()), StandardCharsets.ISO_8859_1));
        s3proxy.requests.clear();
        s3proxy.answer = null;
        return point;
    }

    @Test
    void aFileUploadGoesOnFromTheNextPart() throws Exception {
        Path file = temp.resolve("app.bin");
        byte[] content = random(3 * PART_SIZE + 123, 1);
        Files.write(file, content);
        JobArtifact artifact = s3proxy.artifact("File");
        UploadResumePoint point = interrupted(artifact, file);
        assertFalse(point.zipped());
        assertEquals(content.length, point.sourceSize());

        // the point crosses as a string, as the plugin carries it
        UploadResumePoint carried = UploadResumePoint.decode(point.encode());
        assertEquals(point, carried);
        ArtifactUploader.Result result = uploader().upload(artifact, file, KMS_KEY, fixed(RENEWED_TOKEN), carried);
        assertTrue(result.resumed());
        assertEquals(4, result.parts());
        assertEquals(content.length, result.bytes());
        assertEquals(ArchiveFormat.FILE, result.format());
        assertEquals(2, s3proxy.requests("UploadPart").size(), "parts 1 and 2 are not sent again");
        assertEquals(0, s3proxy.requests("CreateMultipartUpload").size());
        assertEquals(1, s3proxy.requests("CompleteMultipartUpload").size());
        for (S3ProxyFixture.Request request : s3proxy.requests) {
            assertEquals(RENEWED_TOKEN, request.header("x-amz-security-token"), request.operation());
        }
        assertArrayEquals(content, object(artifact));
        assertTrue(openUploads().isEmpty());
    }

    @Test
    void aDirectoryUploadIsZippedAgainAndOnlyTheRestSent() throws Exception {
        Path tree = tree("tree");
        JobArtifact artifact = s3proxy.artifact("Dir");
        UploadResumePoint point = interrupted(artifact, tree);
        assertTrue(point.zipped());

        // the point survives Java serialization too
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(point);
        }
        assertNoSecret(bytes.toString(StandardCharsets.ISO_8859_1));
        UploadResumePoint read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = (UploadResumePoint) in.readObject();
        }
        assertEquals(point, read);

        ArtifactUploader.Result result = uploader().upload(artifact, tree, KMS_KEY, fixed(RENEWED_TOKEN), read);
        assertTrue(result.resumed());
        assertEquals(ArchiveFormat.ZIP, result.format());
        assertEquals(4, result.parts());
        assertEquals(2, s3proxy.requests("UploadPart").size(), "parts 1 and 2 are checked, not sent again");
        assertEquals(0, s3proxy.requests("CreateMultipartUpload").size());
        assertEquals(0, s3proxy.requests("AbortMultipartUpload").size());
        assertObjectUnzipsTo(artifact, tree);
        assertEquals(result.bytes(), object(artifact).length);
        assertTrue(openUploads().isEmpty());
    }

    @Test
    void aDirectoryThatChangedStartsAgainFromTheFirstPart() throws Exception {
        Path tree = tree("changing");
        JobArtifact artifact = s3proxy.artifact("Changed");
        UploadResumePoint point = interrupted(artifact, tree);
        // a.bin is zipped first: part 1 differs now
        Files.write(tree.resolve("a.bin"), random(PART_SIZE, 99));

        ArtifactUploader.Result result = uploader().upload(artifact, tree, null, fixed(RENEWED_TOKEN), point);
        assertFalse(result.resumed());
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size(), "the old upload is aborted");
        assertEquals(1, s3proxy.requests("CreateMultipartUpload").size(), "a new one is started");
        assertEquals(4, s3proxy.requests("UploadPart").size(), "every part is sent");
        assertEquals(4, result.parts());
        assertObjectUnzipsTo(artifact, tree);
        assertTrue(openUploads().isEmpty(), "neither upload is left behind");
    }

    @Test
    void aDirectoryThatShrankStartsAgain() throws Exception {
        Path tree = tree("shrinking");
        JobArtifact artifact = s3proxy.artifact("Shrunk");
        UploadResumePoint point = interrupted(artifact, tree);
        Files.delete(tree.resolve("a.bin"));
        Files.delete(tree.resolve("b/nested/c.bin"));
        Files.delete(tree.resolve("d.bin"));

        ArtifactUploader.Result result = uploader().upload(artifact, tree, null, fixed(RENEWED_TOKEN), point);
        assertFalse(result.resumed());
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size());
        assertEquals(0, result.parts(), "what is left fits in one PutObject");
        assertObjectUnzipsTo(artifact, tree);
        assertTrue(openUploads().isEmpty());
    }

    @Test
    void aFileThatChangedStartsAgainFromTheFirstPart() throws Exception {
        Path file = temp.resolve("growing.bin");
        Files.write(file, random(3 * PART_SIZE + 10, 2));
        JobArtifact artifact = s3proxy.artifact("Grown");
        UploadResumePoint point = interrupted(artifact, file);
        byte[] changed = random(3 * PART_SIZE + 20, 3);
        Files.write(file, changed);
        Files.setLastModifiedTime(file, FileTime.fromMillis(point.sourceModified() + 5000));

        ArtifactUploader.Result result = uploader().upload(artifact, file, null, fixed(RENEWED_TOKEN), point);
        assertFalse(result.resumed());
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size());
        assertEquals(4, s3proxy.requests("UploadPart").size());
        assertArrayEquals(changed, object(artifact));
        assertTrue(openUploads().isEmpty());
    }

    @Test
    void anUploadGoneMeanwhileStartsAgain() throws Exception {
        Path file = temp.resolve("gone.bin");
        byte[] content = random(3 * PART_SIZE + 10, 4);
        Files.write(file, content);
        JobArtifact artifact = s3proxy.artifact("Gone");
        UploadResumePoint point = interrupted(artifact, file);
        s3proxy.client().abortMultipartUpload(r -> r.bucket(BUCKET).key(artifact.objectKey()).uploadId(point.uploadId())
                .overrideConfiguration(o -> o.credentialsProvider(ArtifactCredentials.provider(
                        S3ProxyFixture.credentials(TOKEN)))));
        s3proxy.requests.clear();

        ArtifactUploader.Result result = uploader().upload(artifact, file, null, fixed(RENEWED_TOKEN), point);
        assertFalse(result.resumed());
        assertEquals(1, s3proxy.requests("CreateMultipartUpload").size());
        assertArrayEquals(content, object(artifact));
    }

    @Test
    void expiryOnCompleteKeepsEveryPartAndTheResumeOnlyCompletes() throws Exception {
        Path tree = tree("complete");
        JobArtifact artifact = s3proxy.artifact("Complete");
        expireOn("CompleteMultipartUpload", 0);
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(artifact, tree, null, fixed(TOKEN)));
        assertTrue(e.credentialsExpired());
        UploadResumePoint point = e.resumePoint();
        assertEquals(4, point.partCount());
        assertTrue(point.parts().get(3).length() < PART_SIZE, "the last part is the short one");
        assertEquals(0, s3proxy.requests("AbortMultipartUpload").size());
        s3proxy.requests.clear();
        s3proxy.answer = null;

        ArtifactUploader.Result result = uploader().upload(artifact, tree, null, fixed(RENEWED_TOKEN), point);
        assertTrue(result.resumed());
        assertEquals(0, s3proxy.requests("UploadPart").size(), "all four parts were checked, none sent");
        assertEquals(1, s3proxy.requests("CompleteMultipartUpload").size());
        assertObjectUnzipsTo(artifact, tree);
    }

    @Test
    void expiryBeforeAnyMultipartUploadGivesNoResumePoint() throws Exception {
        Path small = Files.writeString(temp.resolve("small.txt"), "small");
        expireOn("PutObject", 0);
        ArtifactTransferException put = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(s3proxy.artifact("Small"), small, null, fixed(TOKEN)));
        assertTrue(put.credentialsExpired());
        assertNull(put.resumePoint(), "a single PutObject starts again");
        assertNoSecret(put.getMessage());

        Path big = temp.resolve("big.bin");
        Files.write(big, random(PART_SIZE + 1, 5));
        expireOn("CreateMultipartUpload", 0);
        ArtifactTransferException create = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(s3proxy.artifact("Big"), big, null, fixed(TOKEN)));
        assertTrue(create.credentialsExpired());
        assertNull(create.resumePoint());
        assertEquals(0, s3proxy.requests("AbortMultipartUpload").size());
        assertTrue(openUploads().isEmpty());
    }

    @Test
    void expiryOnADownloadWithoutRenewalSaysCredentialsExpired() throws Exception {
        JobArtifact artifact = s3proxy.artifact("Source");
        Path file = Files.writeString(temp.resolve("source.txt"), "content");
        uploader().upload(artifact, file, null, fixed(TOKEN));
        expireOn("GetObject", 0);
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> new ArtifactDownloader(s3proxy.client(), s3proxy.settings).download(artifact, temp.resolve("in"),
                        fixed(TOKEN)));
        assertTrue(e.credentialsExpired());
        assertNull(e.resumePoint());
        assertNoSecret(e.getMessage());
    }

    @Test
    void otherFailuresAreNotCredentialsExpired() throws Exception {
        Path file = temp.resolve("denied.bin");
        Files.write(file, random(2 * PART_SIZE + 1, 6));
        s3proxy.answer = (op, before) -> op.equals("UploadPart") && before == 1
                ? (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
                                .errorMessage("Access Denied").build()).build() : null;
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(s3proxy.artifact("Denied"), file, null, fixed(TOKEN)));
        assertFalse(e.credentialsExpired());
        assertNull(e.resumePoint());
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size());
    }

    @Test
    void aPointOfAnotherObjectIsRefusedBeforeAnythingIsSent() throws Exception {
        Path file = temp.resolve("x.bin");
        Files.write(file, random(10, 7));
        UploadResumePoint other = new UploadResumePoint(BUCKET, "another/key", "upload-1", PART_SIZE, false, 10, 0,
                List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> uploader().upload(s3proxy.artifact("Mine"), file, null, fixed(TOKEN), other));
        assertTrue(e.getMessage().startsWith("The resume point is for s3://" + BUCKET + "/another/key, not for the "
                + "output artifact 'Mine'"), e.getMessage());
        assertTrue(s3proxy.requests.isEmpty());
    }

    @Test
    void resumePointsAreChecked() {
        String sha = "0".repeat(64);
        UploadResumePoint.Part full = new UploadResumePoint.Part(1, "etag1", PART_SIZE, sha);
        UploadResumePoint.Part shortPart = new UploadResumePoint.Part(2, "etag2", 100, sha);
        UploadResumePoint ok = new UploadResumePoint("b", "k", "u", PART_SIZE, true, -1, -1,
                List.of(full, shortPart));
        assertEquals(PART_SIZE + 100L, ok.bytes());
        assertEquals(ok, UploadResumePoint.decode(ok.encode()));
        assertThrows(IllegalArgumentException.class, () -> new UploadResumePoint("b", "k", "u", PART_SIZE, true, -1,
                -1, List.of(shortPart)), "numbered from 1");
        assertThrows(IllegalArgumentException.class, () -> new UploadResumePoint("b", "k", "u", PART_SIZE, true, -1,
                -1, List.of(new UploadResumePoint.Part(1, "e", 100, sha), new UploadResumePoint.Part(2, "e", 100,
                        sha))), "only the last part may be short");
        assertThrows(IllegalArgumentException.class, () -> new UploadResumePoint("b", "k", "u", PART_SIZE, true, -1,
                -1, List.of(new UploadResumePoint.Part(1, "e", 100, "not hex"))));
        assertThrows(IllegalArgumentException.class, () -> new UploadResumePoint("b", "k", " ", PART_SIZE, true, -1,
                -1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> UploadResumePoint.decode("bm90IGEgcG9pbnQ"));
        assertEquals("UploadResumePoint[s3://b/k, upload u, 2 part(s) of " + PART_SIZE + " bytes sent, "
                + (PART_SIZE + 100) + " bytes, zipped directory]", ok.toString());
    }

    @Test
    void theZipOfAnUnchangedTreeIsTheSameEveryTime() throws Exception {
        Path tree = tree("stable");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("d.bin"));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        new DirectoryZipper().zip(tree, first);
        Thread.sleep(20); // a clock that moved on changes nothing
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        new DirectoryZipper().zip(tree, second);
        assertArrayEquals(first.toByteArray(), second.toByteArray());
        Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\nexit 1\n");
        ByteArrayOutputStream third = new ByteArrayOutputStream();
        new DirectoryZipper().zip(tree, third);
        assertFalse(java.util.Arrays.equals(first.toByteArray(), third.toByteArray()));
    }
}
