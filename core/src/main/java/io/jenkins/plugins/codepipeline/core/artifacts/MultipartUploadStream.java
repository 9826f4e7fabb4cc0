package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An S3 object written as a stream of unknown length. Bytes fill a part buffer; a full buffer is sent by UploadPart
 * on a background thread while the writer fills the other one, so at most two part buffers exist. An object that
 * fits in one part is sent by one PutObject when the stream is closed, without a multipart upload. Every request
 * that creates the object carries server-side encryption aws:kms and, when given, the key id.
 *
 * <p>{@link #close()} completes the upload. On any failure, and on {@link #abort()}, the multipart upload is
 * aborted, so that no parts are left behind in the bucket, with one exception: when S3 answers ExpiredToken and the
 * credentials cannot be renewed, the upload is kept and the failure carries an {@link UploadResumePoint}.
 *
 * <p>A stream resumed from a point either goes on after the parts sent ({@link Resume#CONTINUE}: the writer writes
 * only the rest of the source), or is given the whole source again ({@link Resume#VERIFY}): the bytes of the parts
 * already sent are checked against their SHA-256 instead of being sent; when one differs, the old upload is aborted
 * and {@link SourceChangedException} is thrown, so that the caller starts again.
 */
final class MultipartUploadStream extends OutputStream {
    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;

    /** How a resumed stream treats the parts already sent. */
    enum Resume {
        /** The writer gives the bytes after the parts sent. */
        CONTINUE,
        /** The writer gives the whole source again; the parts sent are checked, not sent. */
        VERIFY
    }

    /** What the source is, for the resume point. */
    record Source(boolean zipped, long size, long modified) {
    }

    /** The source's bytes are not those of the parts already sent: the old upload was aborted; start again. */
    static final class SourceChangedException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceChangedException(String message) {
            super(message);
        }
    }

    private final S3Client s3;
    private final Transfer transfer;
    private final String contentType;
    private final int partSize;
    private final Source source;
    private final byte[][] buffers = new byte[2][];
    private final List<UploadResumePoint.Part> parts = new ArrayList<>();
    /** The parts of the resume point still to check against the bytes written ({@link Resume#VERIFY}). */
    private final List<UploadResumePoint.Part> toVerify = new ArrayList<>();
    private int verified;
    private ExecutorService sender;
    private Future<UploadResumePoint.Part> pending;
    private int current;
    private int position;
    private String uploadId;
    private long bytes;
    private boolean closed;
    private boolean failed;

    MultipartUploadStream(S3Client s3, Transfer transfer, String contentType, int partSize, Source source) {
        this(s3, transfer, contentType, partSize, source, null, null);
    }

    /**
     * @param resumeFrom a point of the same object with {@code partSize}; null for a fresh upload
     */
    MultipartUploadStream(S3Client s3, Transfer transfer, String contentType, int partSize, Source source,
            UploadResumePoint resumeFrom, Resume mode) {
        this.s3 = s3;
        this.transfer = transfer;
        this.contentType = contentType;
        this.partSize = partSize;
        this.source = source;
        this.buffers[0] = new byte[partSize];
        if (resumeFrom != null) {
            uploadId = resumeFrom.uploadId();
            if (mode == Resume.CONTINUE) {
                parts.addAll(resumeFrom.parts());
                bytes = resumeFrom.bytes();
            } else {
                toVerify.addAll(resumeFrom.parts());
            }
        }
    }

    /** The object's bytes, those of the parts resumed included. */
    long bytes() {
        return bytes;
    }

    /** Parts of the object; 0 when it went in one PutObject. */
    int parts() {
        return parts.size();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the upload stream is closed");
        }
        while (length > 0) {
            if (position == partSize) {
                if (verified < toVerify.size()) {
                    verifyPart();
                } else {
                    sendFullPart();
                }
            }
            int n = Math.min(length, partSize - position);
            System.arraycopy(data, offset, buffers[current], position, n);
            position += n;
            offset += n;
            length -= n;
            bytes += n;
        }
    }

    /** Checks the buffer against the next part already sent, instead of sending it. */
    private void verifyPart() throws IOException {
        UploadResumePoint.Part expected = toVerify.get(verified);
        if (expected.length() != position || !sha256(buffers[current], position).equals(expected.sha256())) {
            failed = true;
            closed = true;
            abortQuietly(null);
            shutDown();
            throw new SourceChangedException("part " + expected.number() + " of the interrupted upload of the "
                    + ArtifactErrorMessages.what(transfer) + " differs from the source now");
        }
        parts.add(expected);
        verified++;
        position = 0;
    }

    private void sendFullPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = transfer.call("s3:CreateMultipartUpload", signing -> s3.createMultipartUpload(r -> r
                        .bucket(transfer.bucket()).key(transfer.key()).contentType(contentType)
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(transfer.kmsKeyId)
                        .overrideConfiguration(signing))).uploadId();
            }
            if (sender == null) {
                sender = Executors.newSingleThreadExecutor(task -> {
                    Thread thread = new Thread(task, "codepipeline-artifact-upload");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            awaitPending();
            int partNumber = parts.size() + 1;
            if (partNumber > MAX_PARTS) {
                throw new ArtifactTransferException(ArtifactErrorMessages.what(transfer) + " is larger than S3's "
                        + MAX_PARTS + " parts of " + partSize / (1024 * 1024) + " MiB; upload less.");
            }
            byte[] full = buffers[current];
            int length = position;
            String id = uploadId;
            pending = sender.submit(() -> uploadPart(id, partNumber, full, length));
            current = 1 - current;
            if (buffers[current] == null) {
                buffers[current] = new byte[partSize];
            }
            position = 0;
        } catch (IOException e) {
            throw failedWith(e);
        } catch (RuntimeException e) {
            failed = true;
            abortQuietly(e);
            throw e;
        }
    }

    private UploadResumePoint.Part uploadPart(String id, int partNumber, byte[] data, int length)
            throws ArtifactTransferException {
        String sha256 = sha256(data, length);
        UploadPartResponse response = transfer.call("s3:UploadPart", signing -> s3.uploadPart(r -> r
                .bucket(transfer.bucket()).key(transfer.key()).uploadId(id).partNumber(partNumber)
                .contentLength((long) length).overrideConfiguration(signing),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                        "application/octet-stream")));
        return new UploadResumePoint.Part(partNumber, response.eTag(), length, sha256);
    }

    private static String sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private void awaitPending() throws IOException {
        if (pending == null) {
            return;
        }
        try {
            parts.add(pending.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + ArtifactErrorMessages.what(transfer));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } finally {
            pending = null;
        }
    }

    /** Sends what is left and completes the object. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (failed) {
            closed = true;
            shutDown();
            return;
        }
        if (verified < toVerify.size() && position > 0) {
            verifyPart(); // the last part sent, shorter than the others
        }
        if (verified < toVerify.size()) {
            UploadResumePoint.Part next = toVerify.get(verified);
            failed = true;
            closed = true;
            abortQuietly(null);
            shutDown();
            throw new SourceChangedException("the source of the " + ArtifactErrorMessages.what(transfer) + " now "
                    + "ends before part " + next.number() + " of its interrupted upload");
        }
        closed = true;
        try {
            if (uploadId == null) {
                byte[] data = buffers[current];
                int length = position;
                transfer.call("s3:PutObject", signing -> s3.putObject(r -> r
                        .bucket(transfer.bucket()).key(transfer.key()).contentType(contentType)
                        .contentLength((long) length)
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(transfer.kmsKeyId)
                        .overrideConfiguration(signing),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                                contentType)));
                return;
            }
            if (position > 0) {
                sendFullPart();
            }
            awaitPending();
            List<CompletedPart> completed = parts.stream().map(p -> CompletedPart.builder().partNumber(p.number())
                    .eTag(p.eTag()).build()).toList();
            transfer.call("s3:CompleteMultipartUpload", signing -> s3.completeMultipartUpload(r -> r
                    .bucket(transfer.bucket()).key(transfer.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)).overrideConfiguration(signing)));
        } catch (IOException e) {
            throw failedWith(e);
        } catch (RuntimeException e) {
            failed = true;
            abortQuietly(e);
            throw e;
        } finally {
            shutDown();
            buffers[0] = null;
            buffers[1] = null;
        }
    }

    /**
     * Marks the stream failed. ExpiredToken that could not be renewed during a multipart upload keeps the upload and
     * gives the point where it goes on; anything else aborts it.
     */
    private IOException failedWith(IOException e) {
        failed = true;
        if (e instanceof ArtifactTransferException t && t.credentialsExpired() && t.resumePoint() == null
                && uploadId != null) {
            if (pending != null) {
                pending.cancel(true);
                pending = null;
            }
            UploadResumePoint point = new UploadResumePoint(transfer.bucket(), transfer.key(), uploadId, partSize,
                    source.zipped(), source.size(), source.modified(), parts);
            uploadId = null; // kept: abort() leaves it alone
            return new ArtifactTransferException(t.getMessage() + " The multipart upload was kept with "
                    + point.partCount() + " part(s) sent (" + megabytes(point.bytes()) + "): with renewed "
                    + "credentials it goes on from part " + (point.partCount() + 1) + ".", t.getCause(), true,
                    point);
        }
        abortQuietly(e);
        return e;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Gives up: aborts the multipart upload, if one was started (and not kept for a resume). */
    void abort() {
        if (!closed || failed) {
            closed = true;
            failed = true;
            abortQuietly(null);
            shutDown();
        }
    }

    private void abortQuietly(Exception cause) {
        if (pending != null) {
            pending.cancel(true);
            pending = null;
        }
        if (uploadId == null) {
            return;
        }
        String id = uploadId;
        uploadId = null;
        abort(s3, transfer, id, cause);
    }

    /** Aborts the multipart upload {@code id}; a failure is added to {@code cause} when given, else dropped. */
    static void abort(S3Client s3, Transfer transfer, String id, Exception cause) {
        // An interrupted thread (an aborted build) still cleans up: the SDK refuses to start a call while the
        // interrupt flag is set, which would leave the parts in the bucket. The flag is set again afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            transfer.call("s3:AbortMultipartUpload", signing -> s3.abortMultipartUpload(r -> r
                    .bucket(transfer.bucket()).key(transfer.key()).uploadId(id).overrideConfiguration(signing)));
        } catch (ArtifactTransferException | RuntimeException abortFailed) {
            if (cause != null) {
                cause.addSuppressed(abortFailed);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void shutDown() {
        if (sender != null) {
            sender.shutdownNow();
            sender = null;
        }
    }
}
