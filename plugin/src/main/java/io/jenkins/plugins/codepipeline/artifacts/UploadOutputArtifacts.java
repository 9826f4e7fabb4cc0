package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactCredentials;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactUploader;
import io.jenkins.plugins.codepipeline.core.artifacts.UploadResumePoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs on the agent that holds the workspace: uploads output artifacts (a directory zipped while it is sent, a file
 * as is) from artifact {@code start} on, with one S3 client closed at the end. On ExpiredToken it returns where the
 * multipart upload stands (core's {@link UploadResumePoint}, encoded as a string), and the controller calls again
 * with new credentials to go on from the next part. Nothing but plugin classes with JDK fields crosses the channel.
 */
final class UploadOutputArtifacts extends MasterToSlaveFileCallable<TransferProgress> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<ArtifactRef> artifacts;
    /** Workspace-relative sources, one per artifact. */
    private final ArrayList<String> sources;
    private final int start;
    /** Where the upload of artifact {@code start} goes on; null for a fresh upload. */
    @CheckForNull
    private final String resumePoint;
    @CheckForNull
    private final String kmsKeyId;
    private final S3Connection connection;
    private final AgentCredentials credentials;

    UploadOutputArtifacts(List<ArtifactRef> artifacts, List<String> sources, int start, @CheckForNull String resumePoint,
            @CheckForNull String kmsKeyId, S3Connection connection, AgentCredentials credentials) {
        this.artifacts = new ArrayList<>(artifacts);
        this.sources = new ArrayList<>(sources);
        this.start = start;
        this.resumePoint = resumePoint;
        this.kmsKeyId = kmsKeyId;
        this.connection = connection;
        this.credentials = credentials;
    }

    @Override
    public TransferProgress invoke(File workspace, VirtualChannel channel) throws InterruptedException {
        return transfer(workspace).unlessInterrupted();
    }

    /** Never throws but {@link InterruptedException}: every failure is returned as text (see the class comment). */
    private TransferProgress transfer(File workspace) throws InterruptedException {
        TransferProgress progress = new TransferProgress(start);
        try {
            Path root = workspace.toPath();
            if (!Files.isDirectory(root)) {
                // else the symbolic-link check below would fail with a bare NoSuchFileException path
                progress.failure = notUploaded(start) + "the workspace " + root + " does not exist on this node. "
                        + "Upload the outputs in the node {} (and workspace) where the build produced them.";
                return progress;
            }
            ArtifactStoreSettings settings = connection.settings();
            ArtifactCredentials signing = ArtifactCredentials.fixed(credentials.toSdk());
            try (S3Client s3 = connection.client(settings)) {
                ArtifactUploader uploader = new ArtifactUploader(s3, settings);
                for (int i = start; i < artifacts.size(); i++) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    progress.next = i;
                    ArtifactRef artifact = artifacts.get(i);
                    String relative = sources.get(i);
                    Path source = WorkspacePaths.inside(root, relative,
                            "The path of output artifact '" + artifact.name + "'");
                    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                        progress.failure = "Output artifact '" + artifact.name + "' (" + artifact.location() + ") was "
                                + "not uploaded: " + relative + " does not exist in the workspace " + root
                                + ". Check the path given for it, and that the build produced it.";
                        return progress;
                    }
                    UploadResumePoint resume = i == start && resumePoint != null
                            ? UploadResumePoint.decode(resumePoint) : null;
                    ArtifactUploader.Result result;
                    try {
                        result = uploader.upload(artifact.toCore(), source, kmsKeyId, signing, resume);
                    } catch (ArtifactTransferException e) {
                        if (e.credentialsExpired()) {
                            progress.expired = true;
                            progress.resumePoint = e.resumePoint() == null ? null : e.resumePoint().encode();
                        } else {
                            progress.failure = e.getMessage();
                        }
                        return progress;
                    }
                    progress.done.add(new TransferProgress.Done(artifact.name, artifact.location(), relative,
                            Formats.name(result.format()), result.bytes(), result.files(), result.parts(),
                            result.resumed()));
                }
                progress.next = artifacts.size();
            }
        } catch (IOException e) {
            progress.failure = notUploaded(progress.next) + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            // Kept as text: an SDK exception object is a class Jenkins refuses to read on the controller. A
            // LinkageError too: an SDK or commons-compress class that this agent could not load or initialize
            // (an ExceptionInInitializerError may carry an SDK exception).
            progress.failure = notUploaded(progress.next) + e.getClass().getName() + ": " + e.getMessage();
        }
        return progress;
    }

    private String notUploaded(int index) {
        return index < artifacts.size() ? "Output artifact '" + artifacts.get(index).name + "' was not uploaded: "
                : "Output artifacts were not uploaded: ";
    }
}
