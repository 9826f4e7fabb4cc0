package io.jenkins.plugins.codepipeline.core.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.sync.RequestBody;

/** Round trips through S3Proxy, and the failures a transfer must word and clean up after. */
class ArtifactTransfersTest {
    private static final String BUCKET = "codepipeline-artifacts";
    private static final String TOKEN = "firstSessionToken";
    private static final String RENEWED_TOKEN = "renewedSessionToken";
    private static final String KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    /** S3's smallest part (S3Proxy refuses smaller ones as EntityTooSmall, as S3 does). */
    private static final int PART_SIZE = ArtifactUploader.MIN_PART_SIZE;

    @RegisterExtension
    static final S3ProxyFixture s3proxy = new S3ProxyFixture(BUCKET);

    @TempDir
    Path temp;

    private static ArtifactCredentials credentials() {
        return ArtifactCredentials.fixed(S3ProxyFixture.credentials(TOKEN));
    }

    private static ArtifactUploader uploader() {
        return new ArtifactUploader(s3proxy.client(), s3proxy.settings, PART_SIZE);
    }

    private static ArtifactDownloader downloader() {
        return new ArtifactDownloader(s3proxy.client(), s3proxy.settings);
    }

    private static void put(JobArtifact artifact, byte[] content) {
        s3proxy.client().putObject(r -> r.bucket(BUCKET).key(artifact.objectKey())
                .overrideConfiguration(o -> o.credentialsProvider(ArtifactCredentials.provider(
                        S3ProxyFixture.credentials(TOKEN)))), RequestBody.fromBytes(content));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** A tree with nested and empty folders, an executable, a read-only file and a link inside. */
    private Path sampleTree() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.createDirectories(tree.resolve("src/main/java/deep"));
        Files.writeString(tree.resolve("src/main/java/deep/App.java"), "class App {}");
        Files.createDirectories(tree.resolve("empty/also-empty"));
        Files.createDirectories(tree.resolve("bin"));
        Files.writeString(tree.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(tree.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(tree.resolve("README"), "read me");
        Files.setPosixFilePermissions(tree.resolve("README"), PosixFilePermissions.fromString("r--r--r--"));
        Files.createSymbolicLink(tree.resolve("bin/app"), Path.of("../src/main/java/deep/App.java"));
        Files.write(tree.resolve("data.bin"), random(PART_SIZE + 100_000, 1));
        return tree;
    }

    private static void assertSameTree(Path expected, Path actual) throws IOException {
        List<String> expectedPaths = listing(expected);
        assertEquals(expectedPaths, listing(actual));
        for (String relative : expectedPaths) {
            Path e = expected.resolve(relative);
            Path a = actual.resolve(relative);
            assertEquals(mode(e), mode(a), "mode of " + relative);
            if (Files.isSymbolicLink(e)) {
                assertEquals(Files.readSymbolicLink(e), Files.readSymbolicLink(a), relative);
            } else if (Files.isRegularFile(e)) {
                assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(a), relative);
            }
        }
    }

    private static List<String> listing(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(p -> paths.add(root.relativize(p) + (Files.isDirectory(p,
                    LinkOption.NOFOLLOW_LINKS) ? "/" : "")));
        }
        paths.sort(null);
        return paths;
    }

    @Test
    void zipRoundTripKeepsNestedAndEmptyFoldersModesAndLinks() throws Exception {
        Path tree = sampleTree();
        JobArtifact artifact = s3proxy.artifact("BuildOutput");
        ArtifactUploader.Result up = uploader().upload(artifact, tree, KMS_KEY, credentials());
        assertEquals(ArchiveFormat.ZIP, up.format());
        assertTrue(up.parts() >= 2, "5 MB of random data do not fit in one part: " + up.parts());
        assertEquals(0, s3proxy.requests("AbortMultipartUpload").size());

        Path target = Files.createDirectories(temp.resolve("input/BuildOutput"));
        Files.writeString(target.resolve("stale.txt"), "from an earlier build");
        ArtifactDownloader.Result down = downloader().download(artifact, target, credentials());
        assertEquals(ArchiveFormat.ZIP, down.format());
        assertEquals(up.bytes(), down.objectBytes());
        assertFalse(Files.exists(target.resolve("stale.txt")), "the target is emptied first");
        assertSameTree(tree, target);
        assertEquals("rwxr-x---", mode(target.resolve("bin/run.sh")));
        assertTrue(Files.isDirectory(target.resolve("empty/also-empty")));
        assertEquals("class App {}", Files.readString(target.resolve("bin/app")), "the link works");
        // no spooled zip is left beside the target
        try (Stream<Path> beside = Files.list(target.getParent())) {
            assertEquals(List.of(target), beside.toList());
        }
    }

    @Test
    void tarGzAndTarAreExtractedWithModesAndLinks() throws Exception {
        for (boolean gzip : new boolean[] {true, false}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream compressed = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                TarArchiveEntry dir = new TarArchiveEntry("out/empty/");
                dir.setMode(040750);
                tar.putArchiveEntry(dir);
                tar.closeArchiveEntry();
                byte[] script = "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry file = new TarArchiveEntry("out/nested/folder/tool.sh");
                file.setMode(0100755);
                file.setSize(script.length);
                tar.putArchiveEntry(file);
                tar.write(script);
                tar.closeArchiveEntry();
                TarArchiveEntry link = new TarArchiveEntry("out/tool", TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("nested/folder/tool.sh");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            JobArtifact artifact = s3proxy.artifact("SourceOutput");
            put(artifact, bytes.toByteArray());
            Path target = temp.resolve(gzip ? "tgz" : "tar");
            ArtifactDownloader.Result result = downloader().download(artifact, target, credentials());
            assertEquals(gzip ? ArchiveFormat.TAR_GZ : ArchiveFormat.TAR, result.format());
            assertEquals("rwxr-xr-x", mode(target.resolve("out/nested/folder/tool.sh")));
            assertEquals("rwxr-x---", mode(target.resolve("out/empty")));
            assertEquals("#!/bin/sh\n", Files.readString(target.resolve("out/tool")));
            assertEquals(1, result.links());
        }
    }

    @Test
    void singleFileIsUploadedAndDownloadedAsIs() throws Exception {
        Path file = temp.resolve("app.jar");
        byte[] content = random(1000, 2);
        Files.write(file, content);
        JobArtifact artifact = s3proxy.artifact("Package");
        ArtifactUploader.Result up = uploader().upload(artifact, file, null, credentials());
        assertEquals(ArchiveFormat.FILE, up.format());
        assertEquals(0, up.parts(), "one part's worth goes by PutObject");
        assertEquals(1, s3proxy.requests("PutObject").size());

        Path target = temp.resolve("in");
        ArtifactDownloader.Result down = downloader().download(artifact, target, credentials());
        assertEquals(ArchiveFormat.FILE, down.format());
        assertArrayEquals(content, Files.readAllBytes(target.resolve("Package")));
    }

    @Test
    void aGzippedFileThatIsNoTarIsSavedAsIs() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes)) {
            gz.write("just a log".getBytes(StandardCharsets.UTF_8));
        }
        JobArtifact artifact = s3proxy.artifact("Logs");
        put(artifact, bytes.toByteArray());
        Path target = temp.resolve("logs");
        assertEquals(ArchiveFormat.FILE, downloader().download(artifact, target, credentials()).format());
        assertArrayEquals(bytes.toByteArray(), Files.readAllBytes(target.resolve("Logs")));
    }

    @Test
    void largeFileGoesInSeveralPartsWithEncryptionOnCreate() throws Exception {
        Path file = temp.resolve("big.bin");
        byte[] content = random(2 * PART_SIZE + 123, 3);
        Files.write(file, content);
        JobArtifact artifact = s3proxy.artifact("Big");
        ArtifactUploader.Result up = uploader().upload(artifact, file, KMS_KEY, credentials());
        assertEquals(3, up.parts());
        assertEquals(content.length, up.bytes());
        assertEquals(3, s3proxy.requests("UploadPart").size());
        S3ProxyFixture.Request create = s3proxy.requests("CreateMultipartUpload").get(0);
        assertEquals("aws:kms", create.header("x-amz-server-side-encryption"));
        assertEquals(KMS_KEY, create.header("x-amz-server-side-encryption-aws-kms-key-id"));
        assertEquals(1, s3proxy.requests("CompleteMultipartUpload").size());

        Path target = temp.resolve("big");
        downloader().download(artifact, target, credentials());
        assertArrayEquals(content, Files.readAllBytes(target.resolve("Big")));
    }

    @Test
    void everyRequestCarriesTheSessionTokenAndUploadsCarryKms() throws Exception {
        Path file = Files.writeString(temp.resolve("small.txt"), "small");
        JobArtifact artifact = s3proxy.artifact("Small");
        uploader().upload(artifact, file, KMS_KEY, credentials());
        S3ProxyFixture.Request put = s3proxy.requests("PutObject").get(0);
        assertEquals("aws:kms", put.header("x-amz-server-side-encryption"));
        assertEquals(KMS_KEY, put.header("x-amz-server-side-encryption-aws-kms-key-id"));

        uploader().upload(s3proxy.artifact("NoKey"), file, null, credentials());
        S3ProxyFixture.Request withoutKey = s3proxy.requests("PutObject").get(1);
        assertEquals("aws:kms", withoutKey.header("x-amz-server-side-encryption"), "aws:kms even without a key");
        assertNull(withoutKey.header("x-amz-server-side-encryption-aws-kms-key-id"));

        downloader().download(artifact, temp.resolve("small"), credentials());
        assertFalse(s3proxy.requests.isEmpty());
        for (S3ProxyFixture.Request request : s3proxy.requests) {
            assertEquals(TOKEN, request.header("x-amz-security-token"), request.operation());
        }
    }

    @Test
    void expiredTokenOnAnUploadPartIsRenewedOnceAndThePartRepeated() throws Exception {
        Path file = temp.resolve("parts.bin");
        Files.write(file, random(2 * PART_SIZE + 1, 4));
        s3proxy.answer = (operation, before) -> operation.equals("UploadPart") && before == 1
                ? S3ProxyFixture.s3Error(400, "ExpiredToken", "The provided token has expired.") : null;
        AtomicInteger renewals = new AtomicInteger();
        ArtifactCredentials credentials = new ArtifactCredentials(S3ProxyFixture.credentials(TOKEN), () -> {
            renewals.incrementAndGet();
            return S3ProxyFixture.credentials(RENEWED_TOKEN);
        });
        JobArtifact artifact = s3proxy.artifact("Renewed");
        ArtifactUploader.Result up = uploader().upload(artifact, file, KMS_KEY, credentials);
        assertEquals(3, up.parts());
        assertEquals(1, renewals.get());
        assertEquals(1, credentials.renewals());
        List<String> tokens = s3proxy.requests("UploadPart").stream()
                .map(r -> r.header("x-amz-security-token")).toList();
        assertEquals(List.of(TOKEN, TOKEN, RENEWED_TOKEN, RENEWED_TOKEN), tokens,
                "part 2 repeated with the renewed token, part 3 goes on with it");
        assertEquals(RENEWED_TOKEN, s3proxy.requests("CompleteMultipartUpload").get(0)
                .header("x-amz-security-token"));
        Path target = temp.resolve("renewed");
        downloader().download(artifact, target, credentials);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(target.resolve("Renewed")));
    }

    @Test
    void expiredTokenOnGetObjectIsRenewedOnce() throws Exception {
        JobArtifact artifact = s3proxy.artifact("Source");
        put(artifact, "content".getBytes(StandardCharsets.UTF_8));
        s3proxy.answer = (operation, before) -> operation.equals("GetObject") && before == 0
                ? S3ProxyFixture.s3Error(400, "ExpiredToken", "The provided token has expired.") : null;
        ArtifactCredentials credentials = new ArtifactCredentials(S3ProxyFixture.credentials(TOKEN),
                () -> S3ProxyFixture.credentials(RENEWED_TOKEN));
        Path target = temp.resolve("source");
        downloader().download(artifact, target, credentials);
        assertEquals("content", Files.readString(target.resolve("Source")));
        assertEquals(List.of(TOKEN, RENEWED_TOKEN), s3proxy.requests("GetObject").stream()
                .map(r -> r.header("x-amz-security-token")).toList());
    }

    @Test
    void expiredTokenThatCannotBeRenewedFailsAndKeepsTheUploadForAResume() throws Exception {
        Path file = temp.resolve("parts.bin");
        Files.write(file, random(2 * PART_SIZE + 1, 5));
        s3proxy.answer = (operation, before) -> operation.equals("UploadPart")
                ? S3ProxyFixture.s3Error(400, "ExpiredToken", "The provided token has expired.") : null;
        JobArtifact artifact = s3proxy.artifact("Expired");
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(artifact, file, null, credentials()));
        assertTrue(e.getMessage().contains("expired during the s3:UploadPart of the output artifact 'Expired' (s3://"
                + BUCKET + "/" + artifact.objectKey() + ")"), e.getMessage());
        assertTrue(e.credentialsExpired());
        assertEquals(0, e.resumePoint().partCount());
        assertEquals(0, s3proxy.requests("AbortMultipartUpload").size(), "kept for the resume (ResumableUploadTest)");
        assertNoSecret(e.getMessage());
        s3proxy.client().abortMultipartUpload(r -> r.bucket(BUCKET).key(artifact.objectKey())
                .uploadId(e.resumePoint().uploadId()).overrideConfiguration(o -> o.credentialsProvider(
                        ArtifactCredentials.provider(S3ProxyFixture.credentials(TOKEN)))));

        // renewed, and refused again: one renewal only, then a failure that says so
        s3proxy.requests.clear();
        ArtifactCredentials renewable = new ArtifactCredentials(S3ProxyFixture.credentials(TOKEN),
                () -> S3ProxyFixture.credentials(RENEWED_TOKEN));
        ArtifactTransferException again = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(artifact, file, null, renewable));
        assertTrue(again.getMessage().contains("still refused them as expired"), again.getMessage());
        assertFalse(again.credentialsExpired(), "the credentials had a renewal");
        assertNull(again.resumePoint());
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size(), "and the upload is aborted");
        assertEquals(1, renewable.renewals());
        assertEquals(2, s3proxy.requests("UploadPart").size());
    }

    @Test
    void aFailedPartAbortsTheMultipartUpload() throws Exception {
        Path tree = sampleTree();
        s3proxy.answer = (operation, before) -> operation.equals("UploadPart") && before == 1
                ? S3ProxyFixture.s3Error(403, "AccessDenied", "Access Denied") : null;
        JobArtifact artifact = s3proxy.artifact("Denied");
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(artifact, tree, null, credentials()));
        assertTrue(e.getMessage().contains("may not write the output artifact 'Denied' (s3://" + BUCKET + "/"
                + artifact.objectKey() + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("Check the policy of bucket " + BUCKET), e.getMessage());
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size());
        assertEquals(0, s3proxy.requests("CompleteMultipartUpload").size());
        s3proxy.answer = null;
        assertTrue(s3proxy.client().listMultipartUploads(r -> r.bucket(BUCKET).overrideConfiguration(o -> o
                .credentialsProvider(ArtifactCredentials.provider(S3ProxyFixture.credentials(TOKEN)))))
                .uploads().isEmpty(), "no upload is left behind");
    }

    @Test
    void anInterruptedUploadStillAbortsTheMultipartUpload() throws Exception {
        Path tree = sampleTree();
        Thread caller = Thread.currentThread();
        // An aborted build interrupts the uploading thread while its parts are on their way.
        s3proxy.answer = (operation, before) -> {
            if (operation.equals("UploadPart") && before == 0) {
                caller.interrupt();
            }
            return null;
        };
        JobArtifact artifact = s3proxy.artifact("Interrupted");
        try {
            assertThrows(Exception.class, () -> uploader().upload(artifact, tree, null, credentials()));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
            s3proxy.answer = null;
        }
        assertEquals(1, s3proxy.requests("AbortMultipartUpload").size());
        assertEquals(0, s3proxy.requests("CompleteMultipartUpload").size());
        assertTrue(s3proxy.client().listMultipartUploads(r -> r.bucket(BUCKET).overrideConfiguration(o -> o
                .credentialsProvider(ArtifactCredentials.provider(S3ProxyFixture.credentials(TOKEN)))))
                .uploads().isEmpty(), "no upload is left behind");
    }

    @Test
    void aMissingObjectSaysTheStageBeforeDidNotProduceIt() {
        JobArtifact artifact = s3proxy.artifact("NeverBuilt");
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> downloader().download(artifact, temp.resolve("never"), credentials()));
        assertTrue(e.getMessage().startsWith("Input artifact 'NeverBuilt' (s3://" + BUCKET + "/"
                + artifact.objectKey() + ") is not in the artifact store"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchKey"), e.getMessage());
        assertTrue(e.getMessage().contains("The stage before did not produce it"), e.getMessage());
        assertNoSecret(e.getMessage());
    }

    @Test
    void aKmsKeyThatMayNotBeUsedIsNamed() throws Exception {
        Path file = Files.writeString(temp.resolve("f"), "x");
        s3proxy.answer = (operation, before) -> S3ProxyFixture.s3Error(400, "KMS.DisabledException",
                "arn:aws:kms:eu-west-1:111122223333:key/1234 is disabled.");
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(s3proxy.artifact("Encrypted"), file, KMS_KEY, credentials()));
        assertTrue(e.getMessage().startsWith("The job's artifact credentials may not use KMS key " + KMS_KEY
                + " to encrypt the upload with (kms:GenerateDataKey) the output artifact 'Encrypted'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("key policy allows the pipeline's service role"), e.getMessage());
    }

    @Test
    void zipSlipAndAbsoluteEntriesAreRefused() throws Exception {
        for (String name : new String[] {"../escaped.txt", "ok/../../escaped.txt", "/tmp/escaped.txt"}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                zip.putArchiveEntry(new ZipArchiveEntry(name));
                zip.write("evil".getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
            JobArtifact artifact = s3proxy.artifact("Slip");
            put(artifact, bytes.toByteArray());
            Path target = temp.resolve("slip/target");
            ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                    () -> downloader().download(artifact, target, credentials()));
            assertTrue(e.getMessage().contains("refused the archive's entry '" + name + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing may be extracted outside"), e.getMessage());
            assertFalse(Files.exists(temp.resolve("slip/escaped.txt")));
            assertFalse(Files.exists(temp.resolve("escaped.txt")));
        }
    }

    @Test
    void symbolicLinksOutOfTheDirectoryAreRefused() throws Exception {
        String[][] cases = {
            {"link", "../../outside"},
            {"abs", "/etc"},
            // a link to the directory itself is fine; a second link that climbs through it is not
            {"self", ".", "up", "self/.."},
        };
        for (String[] links : cases) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                for (int i = 0; i < links.length; i += 2) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(links[i]);
                    entry.setUnixMode(UnixStat.LINK_FLAG | 0777);
                    zip.putArchiveEntry(entry);
                    zip.write(links[i + 1].getBytes(StandardCharsets.UTF_8));
                    zip.closeArchiveEntry();
                }
            }
            JobArtifact artifact = s3proxy.artifact("Links");
            put(artifact, bytes.toByteArray());
            ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                    () -> downloader().download(artifact, temp.resolve("links"), credentials()));
            String last = links[links.length - 2];
            assertTrue(e.getMessage().contains("refused the archive's entry '" + last + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            assertFalse(Files.exists(temp.resolve("links").resolve(last), LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void aMissingOutputPathIsNamed() {
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> uploader().upload(s3proxy.artifact("Out"), temp.resolve("nothing-here"), null, credentials()));
        assertTrue(e.getMessage().contains("is neither a directory nor a file"), e.getMessage());
        assertTrue(s3proxy.requests.isEmpty());
    }

    private static void assertNoSecret(String message) {
        assertFalse(message.contains(S3ProxyFixture.SECRET), message);
        assertFalse(message.contains(TOKEN), message);
        assertFalse(message.contains(RENEWED_TOKEN), message);
    }

    @Test
    void credentialsNeverShowInToString() {
        ArtifactCredentials credentials = credentials();
        assertEquals("ArtifactCredentials[access key " + S3ProxyFixture.IDENTITY + "]", credentials.toString());
        AwsSessionCredentials raw = S3ProxyFixture.credentials(TOKEN);
        assertNoSecret(raw.toString());
    }
}
