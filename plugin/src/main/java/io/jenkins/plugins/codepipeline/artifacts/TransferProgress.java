package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one call of an agent-side transfer did, returned over the remoting channel: JDK types only. The artifacts
 * moved, the index of the next one to move, and why it stopped early: the job's artifact credentials expired (the
 * controller gets new ones and calls again from {@link #next}, an upload from {@link #resumePoint}), or a failure
 * (its message; never an exception object, whose SDK causes Jenkins would refuse to read).
 */
final class TransferProgress implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One artifact moved. */
    static final class Done implements Serializable {
        private static final long serialVersionUID = 1L;

        final String name;
        final String location;
        /** The workspace-relative directory (download) or path (upload). */
        final String path;
        /** {@code zip}, {@code tar}, {@code tar.gz} or {@code file}. */
        final String format;
        final long bytes;
        final int files;
        final int parts;
        final boolean resumed;

        Done(String name, String location, String path, String format, long bytes, int files, int parts,
                boolean resumed) {
            this.name = name;
            this.location = location;
            this.path = path;
            this.format = format;
            this.bytes = bytes;
            this.files = files;
            this.parts = parts;
            this.resumed = resumed;
        }
    }

    final ArrayList<Done> done = new ArrayList<>();
    /** The index of the next artifact to move; the size of the list when all were moved. */
    int next;
    /** S3 answered ExpiredToken: the credentials must be renewed before going on from {@link #next}. */
    boolean expired;
    /** Where the upload of artifact {@link #next} goes on ({@code UploadResumePoint.encode()}); null: from the start. */
    @CheckForNull
    String resumePoint;
    /** Why the transfer stopped (no secret in it); null when it did not fail. */
    @CheckForNull
    String failure;

    TransferProgress(int next) {
        this.next = next;
    }

    List<Done> done() {
        return done;
    }

    boolean complete(int total) {
        return failure == null && !expired && next >= total;
    }

    /**
     * On the agent, as the callable returns: a transfer that stopped because the build was aborted (the thread
     * interrupted: the step's or the executor's thread on the built-in node; on an agent, remoting's Cancel) ends in
     * an {@link InterruptedException}, a JDK type, so that the build is aborted rather than failed with the SDK's
     * "Thread was interrupted" as a reason. Core reports an interrupted S3 call as a failure with the interrupt flag
     * set again (the SDK's {@code AbortedException}, core's {@code InterruptedIOException}).
     */
    TransferProgress unlessInterrupted() throws InterruptedException {
        if ((failure != null || expired) && Thread.interrupted()) {
            throw new InterruptedException(failure != null ? failure : "interrupted");
        }
        return this;
    }
}
