package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.artifacts.MultipartUploadStream.SourceChangedException;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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

    /**
     * What an upload did.
     *
     * @param bytes   the object's size
     * @param parts   the object's parts; 0 when it went in one PutObject
     * @param resumed the upload went on from a resume point (the parts sent before were kept); false for a fresh
     *                upload and for one that started again because the source had changed
     */
    public record Result(ArchiveFormat format, long bytes, int parts, int files, int directories, boolean resumed) {
        public Result(ArchiveFormat format, long bytes, int parts, int files, int directories) {
            this(format, bytes, parts, files, directories, false);
        }
    }

    /**
     * A fresh upload.
     *
     * @see #upload(JobArtifact, Path, String, ArtifactCredentials, UploadResumePoint)
     */
    public Result upload(JobArtifact artifact, Path source, String kmsKeyId, ArtifactCredentials credentials)
            throws ArtifactTransferException {
        return upload(artifact, source, kmsKeyId, credentials, null);
    }

    /**
     * Uploads, or goes on with an interrupted multipart upload.
     *
     * <p>When S3 answers ExpiredToken and {@code credentials} cannot be renewed, the exception has
     * {@link ArtifactTransferException#credentialsExpired()} true and, during a multipart upload, a
     * {@link ArtifactTransferException#resumePoint()}: the multipart upload is then kept, not aborted. Get fresh
     * credentials and call again with that point. Any other failure aborts the multipart upload.
     *
     * <p>Resuming reads the source again: a file from where the parts sent end (when its size and modification
     * time are unchanged), a directory zipped again with the bytes of the parts sent checked against their SHA-256
     * instead of sent. When the source changed, the old upload is aborted and the upload starts again from the first
     * part.
     *
     * @param artifact    the output artifact, with its bucket and key
     * @param source      a directory (zipped) or a file (sent as is)
     * @param kmsKeyId    the job's encryption key id or ARN; null for the bucket's default KMS key
     * @param credentials the job's artifact credentials
     * @param resumeFrom  where an interrupted upload of this artifact goes on; null for a fresh upload
     * @throws IllegalArgumentException when {@code resumeFrom} belongs to another object
     */
    public Result upload(JobArtifact artifact, Path source, String kmsKeyId, ArtifactCredentials credentials,
            UploadResumePoint resumeFrom) throws ArtifactTransferException {
        Transfer t = new Transfer(artifact, true, credentials, kmsKeyId, settings);
        t.checkLocation();
        boolean directory = Files.isDirectory(source);
        if (!directory && !Files.isRegularFile(source)) {
            throw new ArtifactTransferException("Output artifact '" + artifact.name() + "' (s3://" + t.bucket() + "/"
                    + t.key() + ") was not uploaded: " + source + " is neither a directory nor a file. Check the path "
                    + "given for it, and that the build produced it.");
        }
        MultipartUploadStream.Source kind = source(t, source, directory);
        if (resumeFrom != null) {
            if (!resumeFrom.bucket().equals(t.bucket()) || !resumeFrom.key().equals(t.key())) {
                throw new IllegalArgumentException("The resume point is for s3://" + resumeFrom.bucket() + "/"
                        + resumeFrom.key() + ", not for the " + ArtifactErrorMessages.what(t) + ". Resume an upload "
                        + "with the point its own failure gave.");
            }
            if (resumeFrom.partSize() < MIN_PART_SIZE) {
                throw new IllegalArgumentException("The resume point's part size " + resumeFrom.partSize()
                        + " is below S3's minimum of 5 MiB; it was not made by this uploader.");
            }
            boolean sameFile = !directory && !resumeFrom.zipped() && resumeFrom.sourceSize() == kind.size()
                    && resumeFrom.sourceModified() == kind.modified();
            if (sameFile || directory && resumeFrom.zipped()) {
                try {
                    return attempt(t, source, directory, kind, resumeFrom);
                } catch (SourceChangedException e) {
                    // the old upload is aborted; start again below
                } catch (ArtifactTransferException e) {
                    if (!isUploadGone(e)) {
                        throw e;
                    }
                    // the upload is gone (aborted by a lifecycle rule or by hand): start again below
                }
            } else {
                MultipartUploadStream.abort(s3, t, resumeFrom.uploadId(), null);
            }
        }
        try {
            return attempt(t, source, directory, kind, null);
        } catch (SourceChangedException e) {
            throw new IllegalStateException("a fresh upload verifies nothing", e);
        }
    }

    private static MultipartUploadStream.Source source(Transfer t, Path source, boolean directory)
            throws ArtifactTransferException {
        if (directory) {
            return new MultipartUploadStream.Source(true, -1, -1);
        }
        try {
            return new MultipartUploadStream.Source(false, Files.size(source),
                    Files.getLastModifiedTime(source).toMillis());
        } catch (IOException e) {
            throw new ArtifactTransferException(ArtifactErrorMessages.local(e, t, source, "read from"), e);
        }
    }

    /**
     * The kept upload is gone: S3 answers NoSuchUpload to its parts; S3-compatible servers may take the parts and
     * refuse the completion with InvalidPart, as the parts sent before are gone.
     */
    private static boolean isUploadGone(ArtifactTransferException e) {
        if (e.getCause() instanceof AwsServiceException service) {
            String code = AwsErrorMessages.errorCode(service);
            return "NoSuchUpload".equals(code) || "InvalidPart".equals(code);
        }
        return false;
    }

    private Result attempt(Transfer t, Path source, boolean directory, MultipartUploadStream.Source kind,
            UploadResumePoint resumeFrom) throws ArtifactTransferException, SourceChangedException {
        String contentType = directory ? "application/zip" : "application/octet-stream";
        MultipartUploadStream out = resumeFrom == null
                ? new MultipartUploadStream(s3, t, contentType, partSize, kind)
                : new MultipartUploadStream(s3, t, contentType, resumeFrom.partSize(), kind, resumeFrom,
                        directory ? MultipartUploadStream.Resume.VERIFY : MultipartUploadStream.Resume.CONTINUE);
        try {
            int files = 1;
            int directories = 0;
            if (directory) {
                DirectoryZipper zipper = new DirectoryZipper();
                zipper.zip(source, out);
                files = zipper.files();
                directories = zipper.directories();
            } else if (resumeFrom == null) {
                Files.copy(source, out);
            } else {
                try (InputStream in = Files.newInputStream(source)) {
                    in.skipNBytes(resumeFrom.bytes());
                    in.transferTo(out);
                }
            }
            out.close();
            return new Result(directory ? ArchiveFormat.ZIP : ArchiveFormat.FILE, out.bytes(), out.parts(), files,
                    directories, resumeFrom != null);
        } catch (ArtifactTransferException | SourceChangedException e) {
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
