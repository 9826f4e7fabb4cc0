package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
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
 * aborted, so that no parts are left behind in the bucket.
 */
final class MultipartUploadStream extends OutputStream {
    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final Transfer transfer;
    private final String contentType;
    private final int partSize;
    private final byte[][] buffers = new byte[2][];
    private final List<CompletedPart> parts = new ArrayList<>();
    private ExecutorService sender;
    private Future<CompletedPart> pending;
    private int current;
    private int position;
    private String uploadId;
    private long bytes;
    private boolean closed;
    private boolean failed;

    MultipartUploadStream(S3Client s3, Transfer transfer, String contentType, int partSize) {
        this.s3 = s3;
        this.transfer = transfer;
        this.contentType = contentType;
        this.partSize = partSize;
        this.buffers[0] = new byte[partSize];
    }

    long bytes() {
        return bytes;
    }

    /** Parts sent; 0 when the object went in one PutObject. */
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
                sendFullPart();
            }
            int n = Math.min(length, partSize - position);
            System.arraycopy(data, offset, buffers[current], position, n);
            position += n;
            offset += n;
            length -= n;
            bytes += n;
        }
    }

    private void sendFullPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = transfer.call("s3:CreateMultipartUpload", signing -> s3.createMultipartUpload(r -> r
                        .bucket(transfer.bucket()).key(transfer.key()).contentType(contentType)
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(transfer.kmsKeyId)
                        .overrideConfiguration(signing))).uploadId();
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
            pending = sender.submit(() -> uploadPart(partNumber, full, length));
            current = 1 - current;
            if (buffers[current] == null) {
                buffers[current] = new byte[partSize];
            }
            position = 0;
        } catch (IOException | RuntimeException e) {
            failed = true;
            abortQuietly(e);
            throw e;
        }
    }

    private CompletedPart uploadPart(int partNumber, byte[] data, int length) throws ArtifactTransferException {
        UploadPartResponse response = transfer.call("s3:UploadPart", signing -> s3.uploadPart(r -> r
                .bucket(transfer.bucket()).key(transfer.key()).uploadId(uploadId).partNumber(partNumber)
                .contentLength((long) length).overrideConfiguration(signing),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                        "application/octet-stream")));
        return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
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
        closed = true;
        if (failed) {
            shutDown();
            return;
        }
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
            transfer.call("s3:CompleteMultipartUpload", signing -> s3.completeMultipartUpload(r -> r
                    .bucket(transfer.bucket()).key(transfer.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)).overrideConfiguration(signing)));
        } catch (IOException | RuntimeException e) {
            failed = true;
            abortQuietly(e);
            throw e;
        } finally {
            shutDown();
            buffers[0] = null;
            buffers[1] = null;
        }
    }

    /** Gives up: aborts the multipart upload, if one was started. */
    void abort() {
        if (!closed) {
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
        try {
            transfer.call("s3:AbortMultipartUpload", signing -> s3.abortMultipartUpload(r -> r
                    .bucket(transfer.bucket()).key(transfer.key()).uploadId(id).overrideConfiguration(signing)));
        } catch (ArtifactTransferException | RuntimeException abortFailed) {
            if (cause != null) {
                cause.addSuppressed(abortFailed);
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
