package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Uploads an output artifact: a directory is zipped (file modes, empty directories and symbolic links kept) while it
 * is sent; a single file is sent unchanged. What fits in one part goes by PutObject, anything larger by a multipart
 * upload written on the sync client (SDK v2 splits uploads by itself only on the async clients, which need netty or
 * CRT). Every upload is encrypted with aws:kms, with the job's key when it has one: CodePipeline's artifact stores
 * take SSE-KMS only.
 *
 * <p>Memory: at most two part buffers ({@link #DEFAULT_PART_SIZE} each by default, 16 MiB in all) per upload,
 * whatever the artifact's size. With 8 MiB parts an artifact may reach 10,000 × 8 MiB (78 GiB).
 */
public final class ArtifactUploader {
    /** 8 MiB, the SDK's own multipart part size; S3 wants at least 5 MiB for every part but the last. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final S3Client s3;
    private final ArtifactStoreSettings settings;
    private final int partSize;

    /**
     * @param s3       from {@link ArtifactS3Clients}; the caller closes it
     * @param settings for messages; may be null
     */
    public ArtifactUploader(S3Client s3, ArtifactStoreSettings settings) {
        this(s3, settings, DEFAULT_PART_SIZE);
    }

    /** @param partSize at least 5 MiB, S3's minimum (S3Proxy enforces it too) */
    public ArtifactUploader(S3Client s3, ArtifactStoreSettings settings, int partSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = settings;
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("the part size must be at least 5 MiB, S3's minimum");
        }
        this.partSize = partSize;
    }

    /** What an upload did. */
    public record Result(ArchiveFormat format, long bytes, int parts, int files, int directories) {
    }

    /**
     * @param artifact    the output artifact, with its bucket and key
     * @param source      a directory (zipped) or a file (sent as is)
     * @param kmsKeyId    the job's encryption key id or ARN; null for the bucket's default KMS key
     * @param credentials the job's artifact credentials
     */
    public Result upload(JobArtifact artifact, Path source, String kmsKeyId, ArtifactCredentials credentials)
            throws ArtifactTransferException {
        Transfer t = new Transfer(artifact, true, credentials, kmsKeyId, settings);
        t.checkLocation();
        boolean directory = Files.isDirectory(source);
        if (!directory && !Files.isRegularFile(source)) {
            throw new ArtifactTransferException("Output artifact '" + artifact.name() + "' (s3://" + t.bucket() + "/"
                    + t.key() + ") was not uploaded: " + source + " is neither a directory nor a file. Check the path "
                    + "given for it, and that the build produced it.");
        }
        MultipartUploadStream out = new MultipartUploadStream(s3, t,
                directory ? "application/zip" : "application/octet-stream", partSize);
        try {
            int files = 1;
            int directories = 0;
            if (directory) {
                DirectoryZipper zipper = new DirectoryZipper();
                zipper.zip(source, out);
                files = zipper.files();
                directories = zipper.directories();
            } else {
                Files.copy(source, out);
            }
            out.close();
            return new Result(directory ? ArchiveFormat.ZIP : ArchiveFormat.FILE, out.bytes(), out.parts(), files,
                    directories);
        } catch (ArtifactTransferException e) {
            out.abort();
            throw e;
        } catch (IOException e) {
            out.abort();
            throw new ArtifactTransferException(ArtifactErrorMessages.local(e, t, source, "read from"), e);
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
    }
}
