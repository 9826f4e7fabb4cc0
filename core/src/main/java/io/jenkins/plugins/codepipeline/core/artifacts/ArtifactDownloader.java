package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Downloads an input artifact into a directory: a zip, tar or tar.gz is extracted (file modes kept, empty
 * directories made, entries and links that would leave the directory refused); any other object is saved as one
 * file named after the artifact. The directory is emptied first.
 *
 * <p>Memory stays bounded: the object is streamed. A zip keeps its Unix modes and symbolic links only in its central
 * directory, at the end of the file, which a stream reaches last; so a zip is spooled to a temporary file beside the
 * target directory (same disk as the result) and read with commons-compress' {@link ZipFile}, then deleted. tar and
 * tar.gz are extracted while they stream.
 */
public final class ArtifactDownloader {
    private static final int STREAM_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final ArtifactStoreSettings settings;

    /**
     * @param s3       from {@link ArtifactS3Clients}; the caller closes it
     * @param settings for messages; may be null
     */
    public ArtifactDownloader(S3Client s3, ArtifactStoreSettings settings) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = settings;
    }

    /** What a download did. */
    public record Result(ArchiveFormat format, long objectBytes, int files, int directories, int links) {
    }

    /**
     * @param artifact    the input artifact, with its bucket and key
     * @param directory   emptied (or made), then filled
     * @param credentials the job's artifact credentials
     */
    public Result download(JobArtifact artifact, Path directory, ArtifactCredentials credentials)
            throws ArtifactTransferException {
        Transfer t = new Transfer(artifact, false, credentials, null, settings);
        t.checkLocation();
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(t.bucket()).key(t.key());
        try (ResponseInputStream<GetObjectResponse> object = t.call("s3:GetObject",
                signing -> s3.getObject(request.overrideConfiguration(signing).build()))) {
            BufferedInputStream in = new BufferedInputStream(object, ArchiveFormat.PEEK_BYTES);
            in.mark(ArchiveFormat.PEEK_BYTES);
            byte[] head = in.readNBytes(ArchiveFormat.PEEK_BYTES);
            in.reset();
            ArchiveFormat format = ArchiveFormat.detect(head, head.length, object.response().contentType());
            ExtractionTarget target = target(t, directory);
            long objectBytes = extract(t, format, in, target, head.length == 0);
            target.finish();
            return new Result(format, objectBytes, target.files(), target.directories(), target.links());
        } catch (ArtifactTransferException e) {
            throw e;
        } catch (ExtractionTarget.UnsafeEntryException e) {
            throw new ArtifactTransferException("Input artifact '" + artifact.name() + "' (s3://" + t.bucket() + "/"
                    + t.key() + ") was not extracted: " + e.getMessage() + ". The archive is unsafe or damaged; "
                    + "check what the stage before put into it.", e);
        } catch (IOException e) {
            throw new ArtifactTransferException(ArtifactErrorMessages.local(e, t, directory, "extracted into"), e);
        } catch (SdkException e) {
            // the object's stream broke off
            throw t.failure("s3:GetObject", e, false);
        }
    }

    private static ExtractionTarget target(Transfer t, Path directory) throws ArtifactTransferException {
        try {
            return new ExtractionTarget(directory);
        } catch (IOException e) {
            throw new ArtifactTransferException(ArtifactErrorMessages.local(e, t, directory, "extracted into"), e);
        }
    }

    /** @return the object's size in bytes */
    private long extract(Transfer t, ArchiveFormat format, InputStream in, ExtractionTarget target, boolean empty)
            throws IOException {
        switch (format) {
            case ZIP:
                return empty ? 0 : extractZip(t, in, target);
            case TAR:
            case TAR_GZ: {
                CountingInputStream counted = new CountingInputStream(in);
                InputStream tar = format == ArchiveFormat.TAR_GZ
                        ? new GzipCompressorInputStream(counted, true) : counted;
                extractTar(new TarArchiveInputStream(tar), target);
                counted.transferTo(OutputStream.nullOutputStream());
                return counted.count;
            }
            default: {
                CountingInputStream counted = new CountingInputStream(in);
                target.file(safeFileName(t.artifact.name()), 0, null, counted);
                return counted.count;
            }
        }
    }

    private static String safeFileName(String artifactName) {
        String name = artifactName == null ? "" : artifactName.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "artifact" : name;
    }

    private long extractZip(Transfer t, InputStream in, ExtractionTarget target) throws IOException {
        Path spool = Files.createTempFile(target.root().getParent(), "." + safeFileName(t.artifact.name()) + "-",
                ".zip.download");
        try {
            long size;
            try (OutputStream out = Files.newOutputStream(spool)) {
                size = in.transferTo(out);
            }
            try (ZipFile zip = ZipFile.builder().setPath(spool).get()) {
                Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
                while (entries.hasMoreElements()) {
                    ZipArchiveEntry entry = entries.nextElement();
                    int mode = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & 07777 : 0;
                    if (entry.isUnixSymlink()) {
                        target.symbolicLink(entry.getName(), zip.getUnixSymlink(entry));
                    } else if (entry.isDirectory()) {
                        target.directory(entry.getName(), mode);
                    } else {
                        if (!zip.canReadEntryData(entry)) {
                            throw new IOException("the zip entry '" + entry.getName() + "' uses a compression "
                                    + "method or encryption that cannot be read (method " + entry.getMethod() + ")");
                        }
                        try (InputStream content = zip.getInputStream(entry)) {
                            target.file(entry.getName(), mode, time(entry.getLastModifiedTime()), content);
                        }
                    }
                }
            }
            return size;
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static void extractTar(TarArchiveInputStream tar, ExtractionTarget target) throws IOException {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            int mode = entry.getMode() & 07777;
            if (entry.isSymbolicLink()) {
                target.symbolicLink(entry.getName(), entry.getLinkName());
            } else if (entry.isLink()) {
                target.hardLink(entry.getName(), entry.getLinkName());
            } else if (entry.isDirectory()) {
                target.directory(entry.getName(), mode);
            } else if (entry.isFile()) {
                target.file(entry.getName(), mode, time(entry.getLastModifiedTime()), tar);
            }
            // devices, fifos and other special entries are skipped
        }
    }

    private static FileTime time(FileTime time) {
        return time == null || time.toMillis() <= 0 ? null : time;
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
