package io.jenkins.plugins.codepipeline.artifacts;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactCredentials;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactDownloader;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.MasterToSlaveFileCallable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs on the agent that holds the workspace: downloads input artifacts into their directories, from artifact
 * {@code start} on, with one S3 client closed at the end. The credentials cannot be renewed from here: on
 * ExpiredToken it returns, and the controller calls again with new ones from the artifact that was cut off (its
 * directory is emptied again). Nothing but plugin classes with JDK fields crosses the channel, either way.
 */
final class DownloadInputArtifacts extends MasterToSlaveFileCallable<TransferProgress> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<ArtifactRef> artifacts;
    /** Workspace-relative target directories, one per artifact. */
    private final ArrayList<String> targets;
    private final int start;
    private final S3Connection connection;
    private final AgentCredentials credentials;

    DownloadInputArtifacts(List<ArtifactRef> artifacts, List<String> targets, int start, S3Connection connection,
            AgentCredentials credentials) {
        this.artifacts = new ArrayList<>(artifacts);
        this.targets = new ArrayList<>(targets);
        this.start = start;
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
            Files.createDirectories(root);
            ArtifactStoreSettings settings = connection.settings();
            ArtifactCredentials signing = ArtifactCredentials.fixed(credentials.toSdk());
            try (S3Client s3 = connection.client(settings)) {
                ArtifactDownloader downloader = new ArtifactDownloader(s3, settings);
                for (int i = start; i < artifacts.size(); i++) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    progress.next = i;
                    ArtifactRef artifact = artifacts.get(i);
                    Path target = WorkspacePaths.inside(root, targets.get(i),
                            "The directory of input artifact '" + artifact.name + "'");
                    ArtifactDownloader.Result result;
                    try {
                        result = downloader.download(artifact.toCore(), target, signing);
                    } catch (ArtifactTransferException e) {
                        progress.expired = e.credentialsExpired();
                        progress.failure = e.credentialsExpired() ? null : e.getMessage();
                        return progress;
                    }
                    progress.done.add(new TransferProgress.Done(artifact.name, artifact.location(), targets.get(i),
                            Formats.name(result.format()), result.objectBytes(), result.files(), 0, false));
                }
                progress.next = artifacts.size();
            }
        } catch (IOException e) {
            progress.failure = notDownloaded(progress.next) + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            // Kept as text: an SDK exception object is a class Jenkins refuses to read on the controller. A
            // LinkageError too: an SDK or commons-compress class that this agent could not load or initialize
            // (an ExceptionInInitializerError may carry an SDK exception).
            progress.failure = notDownloaded(progress.next) + e.getClass().getName() + ": " + e.getMessage();
        }
        return progress;
    }

    private String notDownloaded(int index) {
        return index < artifacts.size() ? "Input artifact '" + artifacts.get(index).name + "' was not downloaded: "
                : "Input artifacts were not downloaded: ";
    }
}
