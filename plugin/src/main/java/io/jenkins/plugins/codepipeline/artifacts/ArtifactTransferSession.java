package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.HttpSettings;
import io.jenkins.plugins.codepipeline.core.SettingSources;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactSelection;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.JobArtifactDetails;
import io.jenkins.plugins.codepipeline.core.artifacts.JobDetailsException;
import io.jenkins.plugins.codepipeline.core.artifacts.S3EndpointSources;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import io.jenkins.plugins.codepipeline.impl.AwsCredentialsResolver;
import io.jenkins.plugins.codepipeline.impl.ConnectionSources;
import io.jenkins.plugins.codepipeline.impl.JobResultSender;
import io.jenkins.plugins.codepipeline.impl.SharedReporter;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import io.jenkins.plugins.codepipeline.worker.build.FollowUpWait;
import java.io.IOException;
import java.io.PrintStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The controller's side of an artifact transfer, for the steps and the freestyle build steps: which job (its id,
 * region, CodePipeline endpoint and credentials, resolved as the report steps resolve them: the argument, then the
 * build's own CodePipeline job, then the build's environment, then the global configuration), GetJobDetails for the
 * job's artifacts and artifact credentials, the S3 endpoint ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}
 * from the build's environment, then the global {@code s3EndpointUrl}), then the transfer itself on the agent that
 * holds the workspace ({@link FilePath#act}), the log lines and the build's {@link CodePipelineArtifactsAction}.
 *
 * <p><b>Why the agent transfers with the SDK and the job's artifact credentials</b>, rather than the controller
 * presigning URLs for the agent (as the artifact-manager-s3 plugin does, so that agents need neither SDK classes nor
 * credentials): an output directory is zipped while it is sent, so its length is not known in advance and a multipart
 * upload's part URLs would have to be presigned on demand, one round trip to the controller per part; the SDK gives
 * the agent retries with backoff and S3's error codes (AccessDenied, KMS, NoSuchKey, ExpiredToken) for clear
 * messages; and the artifact credentials CodePipeline hands out are scoped to this job's artifact objects and expire
 * on their own, so what the agent holds, for the length of one call, is worth little elsewhere. The credentials
 * travel only inside the callable ({@link AgentCredentials}): never persisted, logged or put in the environment, and
 * dropped when the call returns. On ExpiredToken the callable returns its progress; the controller calls
 * GetJobDetails again (at most {@link #MAX_RENEWALS} times per step) and calls again from the next file or part.
 *
 * <p>A transfer that fails ends in an {@link AbortException} with the message (no SDK exception leaves this class:
 * Jenkins' class filter would reject it), and is recorded for the build's own job with
 * {@link JobResultSender#recordStepFailure}, so that the automatic report is a failure with the reason even when the
 * Jenkinsfile catches the error.
 */
final class ArtifactTransferSession {
    static final String PREFIX = "[CodePipeline] ";
    /** GetJobDetails calls for new artifact credentials, per step. */
    static final int MAX_RENEWALS = 5;
    private static final Logger LOGGER = Logger.getLogger(ArtifactTransferSession.class.getName());

    /**
     * A step's connection arguments, each null when not given (freestyle: already expanded).
     */
    record Arguments(@CheckForNull String jobId, @CheckForNull String region, @CheckForNull String credentialsId,
            @CheckForNull String endpointUrl) {
    }

    /** What a transfer does once the session is open. */
    @FunctionalInterface
    private interface Work {
        Map<String, String> run(ArtifactTransferSession session) throws IOException, InterruptedException;
    }

    private final Run<?, ?> run;
    private final PrintStream log;
    private final String jobId;
    private final ConnectionSettings settings;
    private final AwsCredentialsProvider caller;
    private final ArtifactStoreSettings store;
    private boolean recorded;
    private int renewals;

    private ArtifactTransferSession(Run<?, ?> run, PrintStream log, String jobId, ConnectionSettings settings,
            AwsCredentialsProvider caller, ArtifactStoreSettings store) {
        this.run = run;
        this.log = log;
        this.jobId = jobId;
        this.settings = settings;
        this.caller = caller;
        this.store = store;
    }

    /**
     * Downloads input artifacts into the workspace.
     *
     * @param names the artifacts to download, in this order; null or empty for all of the job's inputs
     * @param dir   where to put them (relative to the workspace): one artifact goes into {@code dir} itself,
     *              several into {@code dir/<Name>}; null for {@code codepipeline/input/<Name>}
     * @return artifact name to directory, relative to the workspace, in the order downloaded
     */
    static Map<String, String> download(Run<?, ?> run, FilePath workspace, Map<String, String> environment,
            TaskListener listener, Arguments arguments, @CheckForNull List<String> names, @CheckForNull String dir)
            throws IOException, InterruptedException {
        return transfer(run, environment, listener, arguments, false, () -> {
            String target = dir == null ? null : WorkspacePaths.relative(dir, "dir");
            if (target != null && target.isEmpty()) {
                throw new IllegalArgumentException("dir '" + dir + "' is the workspace itself. Give a directory "
                        + "inside the workspace (it is emptied before the artifacts are extracted into it), or leave "
                        + "dir out for " + WorkspacePaths.DEFAULT_INPUT_ROOT + "/<artifact name>.");
            }
            return session -> session.downloadInputs(workspace, names, target);
        });
    }

    /**
     * Uploads output artifacts from the workspace.
     *
     * @param paths artifact name and path relative to the workspace (a directory is zipped, a file sent as is); every
     *              output the job declares must be given
     * @return artifact name to {@code s3://bucket/key}, in the job's order
     */
    static Map<String, String> upload(Run<?, ?> run, FilePath workspace, Map<String, String> environment,
            TaskListener listener, Arguments arguments, List<Map.Entry<String, String>> paths)
            throws IOException, InterruptedException {
        return transfer(run, environment, listener, arguments, true, () -> {
            List<Map.Entry<String, String>> relative = new ArrayList<>();
            for (Map.Entry<String, String> pair : paths) {
                String name = pair.getKey();
                String what = "The path of output artifact '" + name + "'";
                String path = pair.getValue() == null || pair.getValue().isBlank() ? null
                        : WorkspacePaths.relative(pair.getValue(), what);
                relative.add(new AbstractMap.SimpleImmutableEntry<>(name, path == null ? null
                        : path.isEmpty() ? "." : path));
            }
            return session -> session.uploadOutputs(workspace, relative);
        });
    }

    /** Checks the arguments (before anything is sent) and gives the work to do. */
    @FunctionalInterface
    private interface Checked {
        Work check();
    }

    /**
     * @param afterFollowUp whether the transfer waits for the live link's follow-up job (an upload goes to the job
     *                      that gets the result); a download takes the chain's current job as it is
     */
    private static Map<String, String> transfer(Run<?, ?> run, Map<String, String> environment, TaskListener listener,
            Arguments arguments, boolean afterFollowUp, Checked checked) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        String resolved = JobResultSender.jobId(run, arguments.jobId(), environment).value();
        String jobId = afterFollowUp ? FollowUpWait.currentJob(run, resolved, log)
                : FollowUpWait.currentJobNow(run, resolved);
        ArtifactTransferSession session = null;
        try {
            Work work = checked.check();
            session = open(run, log, environment, jobId, arguments);
            return work.run(session);
        } catch (AbortException e) {
            JobResultSender.recordStepFailure(run, jobId, e.getMessage(), log);
            throw e;
        } catch (IllegalArgumentException e) {
            JobResultSender.recordStepFailure(run, jobId, e.getMessage(), log);
            throw new AbortException(e.getMessage());
        } catch (IOException e) {
            // the agent went away, for example (remoting's exceptions: Jenkins' class filter accepts them); a
            // ChannelClosedException may have no message of its own
            JobResultSender.recordStepFailure(run, jobId, e.getMessage() != null ? e.getMessage() : e.toString(), log);
            throw e;
        } catch (RuntimeException e) {
            // Not an SDK exception object: Jenkins would reject it when recording the failure.
            String message = "The artifact transfer for CodePipeline job " + jobId + " failed unexpectedly: "
                    + e.getClass().getName() + ": " + e.getMessage();
            LOGGER.log(Level.WARNING, message, e);
            JobResultSender.recordStepFailure(run, jobId, message, log);
            throw new AbortException(message);
        } finally {
            if (session != null && session.recorded) {
                saveQuietly(run, log);
            }
        }
    }

    /** Resolves the job's connection and credentials and the S3 endpoint; sends nothing. */
    private static ArtifactTransferSession open(Run<?, ?> run, PrintStream log, Map<String, String> environment,
            @CheckForNull String jobId, Arguments arguments) throws AbortException {
        if (jobId == null) {
            throw new AbortException("No CodePipeline job id: give jobId, or run the build with a "
                    + SettingSources.JOB_ID_VARIABLE + " parameter or environment variable holding the id of the job "
                    + "CodePipeline handed out.");
        }
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
        CodePipelineJobAction ownJob = action != null && action.getJobId().equals(jobId) ? action : null;

        ConnectionSources sources = ConnectionSources.resolve(ownJob == null ? null : ownJob.getConnection(),
                arguments.region(), arguments.endpointUrl(), arguments.credentialsId(), environment);
        SettingSources.Setting region = sources.region();
        SettingSources.Setting endpoint = sources.endpoint();
        ConnectionSettings settings;
        try {
            settings = JobResultSender.connectionSettings(region.value(), endpoint.value());
        } catch (IllegalArgumentException e) {
            throw new AbortException("The artifacts of CodePipeline job " + jobId + " were not transferred: "
                    + e.getMessage() + " (region from " + region.source() + ", endpoint from " + endpoint.source()
                    + ")");
        }

        String credentialsId = sources.credentialsId();
        String credentialsSource = sources.credentialsSource();
        // Used for GetJobDetails only: S3 is reached with the job's own artifact credentials.
        AwsCredentialsProvider caller = AwsCredentialsResolver.resolve(run, credentialsId, credentialsSource,
                global.isAllowControllerCredentials());

        SettingSources.Setting s3 = S3EndpointSources.endpoint(null, environment, global.getS3EndpointUrl());
        ArtifactStoreSettings store;
        try {
            store = new ArtifactStoreSettings(settings.region(),
                    s3.value() == null ? null : ConnectionSettings.parseEndpoint(s3.value()), HttpSettings.defaults());
        } catch (IllegalArgumentException e) {
            throw new AbortException("The artifacts of CodePipeline job " + jobId + " were not transferred: the S3 "
                    + "endpoint '" + s3.value() + "' (from " + s3.source() + ") is not valid: " + e.getMessage());
        }
        log.println(PREFIX + "Getting the artifacts of job " + jobId + " from CodePipeline in " + settings.region()
                + " (region from " + region.source() + (endpoint.isSet()
                        ? ", endpoint " + settings.endpoint() + " from " + endpoint.source() : "")
                + ", credentials " + (credentialsId == null ? "of the controller" : "'" + credentialsId + "'")
                + "); S3 at " + store.endpointDescription() + (s3.isSet() ? " (from " + s3.source() + ")" : ""));
        return new ArtifactTransferSession(run, log, jobId, settings, caller, store);
    }

    private Map<String, String> downloadInputs(FilePath workspace, @CheckForNull List<String> names,
            @CheckForNull String dir) throws IOException, InterruptedException {
        JobArtifactDetails details = fetch();
        List<JobArtifact> selected = ArtifactSelection.inputs(details.inputs(), names);
        Map<String, String> directories = new LinkedHashMap<>();
        if (selected.isEmpty()) {
            log.println(PREFIX + "Job " + jobId + " has no input artifacts: nothing to download");
            return directories;
        }
        List<ArtifactRef> refs = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (JobArtifact artifact : selected) {
            refs.add(new ArtifactRef(artifact));
            String target;
            if (dir == null) {
                target = WorkspacePaths.join(WorkspacePaths.DEFAULT_INPUT_ROOT, WorkspacePaths.segment(artifact.name()));
            } else if (selected.size() == 1) {
                target = dir;
            } else {
                target = WorkspacePaths.join(dir, WorkspacePaths.segment(artifact.name()));
            }
            targets.add(target);
        }
        S3Connection connection = connection(workspace);
        AwsSessionCredentials credentials = details.artifactCredentials();
        int next = 0;
        while (true) {
            TransferProgress progress = workspace.act(new DownloadInputArtifacts(refs, targets, next, connection,
                    new AgentCredentials(credentials)));
            for (TransferProgress.Done done : progress.done()) {
                log.println(PREFIX + "Downloaded input artifact '" + done.name + "' (" + done.format + ", "
                        + Formats.size(done.bytes) + ", " + Formats.count(done.files, "file", "files") + ") from "
                        + done.location + " into " + done.path);
                record("input", done);
                directories.put(done.name, done.path);
            }
            if (progress.failure != null) {
                throw new AbortException(progress.failure);
            }
            if (!progress.expired) {
                return directories;
            }
            next = progress.next;
            credentials = renew("downloading input artifact '" + refs.get(next).name + "'");
        }
    }

    private Map<String, String> uploadOutputs(FilePath workspace, List<Map.Entry<String, String>> paths)
            throws IOException, InterruptedException {
        JobArtifactDetails details = fetch();
        List<Map.Entry<JobArtifact, String>> selected = ArtifactSelection.outputs(details.outputs(), paths);
        Map<String, String> locations = new LinkedHashMap<>();
        if (selected.isEmpty()) {
            log.println(PREFIX + "Job " + jobId + " declares no output artifacts: nothing to upload");
            return locations;
        }
        List<ArtifactRef> refs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Map.Entry<JobArtifact, String> pair : selected) {
            refs.add(new ArtifactRef(pair.getKey()));
            sources.add(pair.getValue());
        }
        log.println(PREFIX + "Uploading " + Formats.count(refs.size(), "output artifact", "output artifacts")
                + " of job " + jobId + ": " + refs.stream().map(r -> r.name).collect(Collectors.joining(", "))
                + (details.kmsKeyId() == null ? " (encrypted with the bucket's default KMS key)"
                        : " (encrypted with KMS key " + details.kmsKeyId() + ")"));
        S3Connection connection = connection(workspace);
        AwsSessionCredentials credentials = details.artifactCredentials();
        int next = 0;
        String resumePoint = null;
        while (true) {
            TransferProgress progress = workspace.act(new UploadOutputArtifacts(refs, sources, next, resumePoint,
                    details.kmsKeyId(), connection, new AgentCredentials(credentials)));
            for (TransferProgress.Done done : progress.done()) {
                String what = "zip".equals(done.format)
                        ? "zip of " + Formats.count(done.files, "file", "files") : done.format;
                log.println(PREFIX + "Uploaded output artifact '" + done.name + "' (" + what + ", "
                        + Formats.size(done.bytes) + ", " + Formats.count(done.parts, "part", "parts") + ") to "
                        + done.location + (done.resumed ? "; resumed after the artifact credentials were renewed" : ""));
                record("output", done);
                locations.put(done.name, done.location);
            }
            if (progress.failure != null) {
                throw new AbortException(progress.failure);
            }
            if (!progress.expired) {
                return locations;
            }
            next = progress.next;
            resumePoint = progress.resumePoint;
            credentials = renew("uploading output artifact '" + refs.get(next).name + "'"
                    + (resumePoint == null ? "" : " (the upload goes on from the next part)"));
        }
    }

    /** GetJobDetails with the job's CodePipeline credentials, through the controller's shared clients. */
    private JobArtifactDetails fetch() throws AbortException, InterruptedException {
        try (CodePipelineClientCache.Lease lease = SharedReporter.clients().acquire(settings)) {
            return JobArtifactDetails.fetch(lease.client(), settings, jobId, caller,
                    message -> log.println(PREFIX + message));
        } catch (JobDetailsException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException(e.getMessage());
            }
            throw new AbortException(e.getMessage());
        } catch (RuntimeException e) {
            throw new AbortException("GetJobDetails for CodePipeline job " + jobId + " in " + settings.region()
                    + " failed unexpectedly: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** New artifact credentials after S3 answered ExpiredToken, at most {@link #MAX_RENEWALS} times per step. */
    private AwsSessionCredentials renew(String doing) throws AbortException, InterruptedException {
        if (renewals >= MAX_RENEWALS) {
            throw new AbortException("The artifact credentials of CodePipeline job " + jobId + " expired again while "
                    + doing + ", after " + MAX_RENEWALS + " renewals; giving up. Check the clocks of the agent and "
                    + "the controller, and the network's speed to S3.");
        }
        renewals++;
        log.println(PREFIX + "The job's artifact credentials expired (S3 answered ExpiredToken) while " + doing
                + "; getting new ones with GetJobDetails (renewal " + renewals + " of at most " + MAX_RENEWALS + ")");
        AwsSessionCredentials fresh = fetch().artifactCredentials();
        if (fresh == null) {
            throw new AbortException("GetJobDetails for CodePipeline job " + jobId + " gave no new artifact credentials "
                    + "after they expired while " + doing + ". Check that the job is still in progress.");
        }
        return fresh;
    }

    /** Jenkins' proxy applies on the controller only; an agent uses its own JVM's proxy settings. */
    private S3Connection connection(FilePath workspace) {
        return new S3Connection(store, workspace.isRemote() ? null : SharedReporter.httpSettings());
    }

    private void record(String direction, TransferProgress.Done done) {
        CodePipelineArtifactsAction.add(run, new CodePipelineArtifactsAction.Transfer(direction, jobId, done.name,
                done.location, done.path, done.format, done.bytes, done.files, done.parts, System.currentTimeMillis()));
        recorded = true;
    }

    private static void saveQuietly(Run<?, ?> run, PrintStream log) {
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + run, e);
            log.println(PREFIX + "Warning: could not save the build record: " + e.getMessage());
        }
    }
}
