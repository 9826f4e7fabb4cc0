package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactSelection;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactTransferException;
import io.jenkins.plugins.codepipeline.core.artifacts.JobDetailsException;
import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A job's artifacts around its command: the input artifacts downloaded into {@code DIR/input/<Name>/} before the
 * command runs, the output artifacts uploaded after it exited 0 and before the success is reported. The command
 * names its outputs in {@code $CODEPIPELINE_OUTPUT_ARTIFACTS_FILE} ({@code NAME=PATH} lines) or fills
 * {@code $CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/<Name>/}. The job's artifact credentials never reach the command: they
 * stay in this process, for the transfers.
 */
final class WorkerArtifacts implements AutoCloseable {
    static final String INPUT_DIR = "CODEPIPELINE_INPUT_ARTIFACTS_DIR";
    static final String OUTPUT_DIR = "CODEPIPELINE_OUTPUT_ARTIFACTS_DIR";
    static final String OUTPUT_FILE = "CODEPIPELINE_OUTPUT_ARTIFACTS_FILE";

    /** Why the job cannot be reported as a success: the failure's type and message head. */
    record Problem(FailureType type, String message) {
    }

    private final Worker worker;
    private ReceivedJob job;
    private final Path input;
    private final Path output;
    private final Path file;
    private CodePipelineClientCache.Lease lease;
    private ArtifactTransfers transfers;


    private WorkerArtifacts(Worker worker, ReceivedJob job, Path dir, Path file) {
        this.worker = worker;
        this.job = job;
        this.input = dir.resolve("input");
        this.output = dir.resolve("output");
        this.file = file;
    }

    /**
     * Makes {@code dir/input}, {@code dir/output/<Name>/} for each declared output (both emptied first) and the
     * empty outputs file.
     *
     * @throws LocalProblem when an output's name cannot be a directory name
     */
    static WorkerArtifacts prepare(Worker worker, ReceivedJob job, Path dir, Path file)
            throws IOException, LocalProblem {
        WorkerArtifacts artifacts = new WorkerArtifacts(worker, job, dir, file);
        for (JobArtifact artifact : job.inputArtifacts()) {
            ArtifactNames.check(artifact.name(), "the job's input artifact name");
        }
        for (JobArtifact artifact : job.outputArtifacts()) {
            ArtifactNames.check(artifact.name(), "the job's output artifact name");
        }
        deleteTree(artifacts.input);
        deleteTree(artifacts.output);
        Files.createDirectories(artifacts.input);
        for (JobArtifact artifact : job.outputArtifacts()) {
            Files.createDirectories(artifacts.output.resolve(artifact.name()));
        }
        Files.createDirectories(artifacts.output);
        Files.deleteIfExists(file);
        Files.createFile(file);
        return artifacts;
    }

    /** The command's variables: where its inputs are and where its outputs go. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(INPUT_DIR, input.toString());
        env.put(OUTPUT_DIR, output.toString());
        env.put(OUTPUT_FILE, file.toString());
        return env;
    }

    private boolean hasArtifacts() {
        return !job.inputArtifacts().isEmpty() || !job.outputArtifacts().isEmpty();
    }

    /**
     * GetJobDetails (when the job has artifacts), then every input artifact downloaded.
     *
     * @return null when done; else why the command must not run
     */
    String downloadInputs() {
        if (!hasArtifacts()) {
            return null;
        }
        String jobId = job.jobId();
        String failed = startTransfers();
        if (failed != null) {
            return failed;
        }
        List<JobArtifact> inputs = transfers.details().inputs();
        int done = 0;
        for (JobArtifact artifact : inputs) {
            try {
                ArtifactNames.check(artifact.name(), "the job's input artifact name");
                worker.log().info("Job " + jobId + ": " + transfers.download(artifact, input.resolve(artifact.name())));
                done++;
            } catch (ArtifactTransferException e) {
                return e.getMessage() + (inputs.size() > 1 ? " (downloaded " + done + " of " + inputs.size()
                        + " input artifacts)" : "");
            } catch (LocalProblem e) {
                return e.getMessage() + ".";
            } catch (RuntimeException e) {
                return "The download of the input artifact '" + artifact.name() + "' (" + ArtifactTransfers.location(
                        artifact) + ") failed: " + e;
            }
        }
        return null;
    }

    /**
     * The run's job is now {@code followUp} (--report-progress): the outputs are uploaded with its GetJobDetails (its
     * artifact credentials and locations), fetched by {@link #uploadOutputs}.
     */
    void switchTo(ReceivedJob followUp) {
        closeTransfers();
        job = followUp;
    }

    /**
     * After the command exited 0: finds each declared output (named in the file, else its directory when the
     * command put something there), then uploads them all in the job's order.
     *
     * @param complete whether every declared output must be there (false when the command handed over a
     *                 continuation token: the action goes on, and its last job uploads the outputs)
     * @return null when every output was uploaded; else the failure
     */
    Problem uploadOutputs(String commandName, boolean complete) {
        if (transfers == null && hasArtifacts()) { // a follow-up job (--report-progress): its own details
            String failed = startTransfers();
            if (failed != null) {
                return new Problem(FailureType.JOB_FAILED, commandName + " exited 0, but its output artifacts cannot "
                        + "be uploaded: " + failed);
            }
        }
        List<JobArtifact> declared = transfers == null ? job.outputArtifacts() : transfers.details().outputs();
        if (declared.isEmpty()) {
            return null;
        }
        String jobId = job.jobId();
        Map<String, Path> named;
        try {
            named = readOutputsFile();
        } catch (LocalProblem e) {
            return new Problem(FailureType.JOB_FAILED, commandName + " exited 0, but " + e.getMessage());
        }
        List<String> declaredNames = declared.stream().map(JobArtifact::name).toList();
        List<String> unknown = named.keySet().stream().filter(n -> !declaredNames.contains(n)).toList();
        if (!unknown.isEmpty()) {
            return new Problem(FailureType.CONFIGURATION_ERROR, commandName + " exited 0, but it named the output "
                    + "artifact(s) " + String.join(", ", unknown) + " in $" + OUTPUT_FILE + ", which the job does "
                    + "not declare; its output artifacts are " + String.join(", ", declaredNames) + ". Nothing was "
                    + "uploaded.");
        }
        Map<String, Path> sources = new LinkedHashMap<>();
        for (JobArtifact artifact : declared) {
            Path path = named.get(artifact.name());
            if (path != null) {
                if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
                    return new Problem(FailureType.JOB_FAILED, commandName + " exited 0, but the path " + path
                            + " it gave for the output artifact '" + artifact.name() + "' in $" + OUTPUT_FILE
                            + " is neither a directory nor a file. Nothing was uploaded.");
                }
                sources.put(artifact.name(), path);
            } else if (hasContent(output.resolve(artifact.name()))) {
                sources.put(artifact.name(), output.resolve(artifact.name()));
            }
        }
        List<String> missing = ArtifactSelection.missingOutputs(declaredNames, sources.keySet());
        if (!missing.isEmpty() && complete) {
            return new Problem(FailureType.CONFIGURATION_ERROR, commandName + " exited 0 without producing the "
                    + "output artifact(s) " + String.join(", ", missing) + " that the job declares, so the job is "
                    + "not reported as succeeded and nothing was uploaded. Write a NAME=PATH line for each to $"
                    + OUTPUT_FILE + ", or put its files into $" + OUTPUT_DIR + "/<NAME>/.");
        }
        if (!missing.isEmpty()) {
            worker.log().info("Job " + jobId + ": " + commandName + " handed over a continuation token; the output "
                    + "artifact(s) " + String.join(", ", missing) + " are left to a later job of the action");
        }
        if (sources.isEmpty()) {
            return null;
        }
        if (transfers == null) {
            return new Problem(FailureType.JOB_FAILED, "The job's details were not fetched, so its output "
                    + "artifacts cannot be uploaded.");
        }
        int done = 0;
        for (JobArtifact artifact : declared) {
            Path source = sources.get(artifact.name());
            if (source == null) {
                continue;
            }
            try {
                worker.log().info("Job " + jobId + ": " + transfers.upload(artifact, source));
                done++;
            } catch (ArtifactTransferException e) {
                return new Problem(FailureType.JOB_FAILED, commandName + " exited 0, but uploading its output "
                        + "artifacts failed (" + done + " of " + sources.size() + " uploaded): " + e.getMessage());
            } catch (RuntimeException e) {
                return new Problem(FailureType.JOB_FAILED, commandName + " exited 0, but the upload of the output "
                        + "artifact '" + artifact.name() + "' (" + ArtifactTransfers.location(artifact) + ") failed: "
                        + e);
            }
        }
        return null;
    }

    /** GetJobDetails of the current job; null when done, else why not. */
    private String startTransfers() {
        String jobId = job.jobId();
        try {
            if (lease == null) {
                lease = worker.clients().acquire(worker.config().settings());
            }
            transfers = ArtifactTransfers.start(lease.client(), worker.config().settings(), jobId,
                    worker.credentials(), worker.config().artifacts().store(),
                    line -> worker.log().info("Job " + jobId + ": " + line));
            return null;
        } catch (JobDetailsException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return "GetJobDetails for job " + jobId + " failed: " + e;
        }
    }

    private void closeTransfers() {
        if (transfers != null) {
            transfers.close();
            transfers = null;
        }
    }

    /** NAME=PATH lines; blank lines and # comments skipped; PATH relative to the working directory. */
    private Map<String, Path> readOutputsFile() throws LocalProblem {
        String what = "the output artifacts file ($" + OUTPUT_FILE + ")";
        String content;
        try {
            if (!Files.exists(file)) {
                return Map.of();
            }
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new LocalProblem(what + " is not valid UTF-8");
        } catch (IOException e) {
            throw new LocalProblem(what + " could not be read: " + e.getClass().getSimpleName());
        }
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1);
        }
        Map<String, Path> named = new LinkedHashMap<>();
        Path workingDirectory = Path.of("").toAbsolutePath();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = what + ", line " + (i + 1);
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new LocalProblem(where + ", is not NAME=PATH");
            }
            String name = line.substring(0, equals).strip();
            String text = line.substring(equals + 1).strip();
            ArtifactNames.check(name, where + ": the name");
            if (named.containsKey(name)) {
                throw new LocalProblem(where + ", names the output artifact " + name + " a second time");
            }
            if (text.isEmpty()) {
                throw new LocalProblem(where + ", gives no path for the output artifact " + name);
            }
            try {
                named.put(name, workingDirectory.resolve(text).normalize());
            } catch (InvalidPathException e) {
                throw new LocalProblem(where + ": the path of " + name + " is not valid: " + e.getReason());
            }
        }
        return named;
    }

    private static boolean hasContent(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a directory and what it holds, without following links; nothing when it does not exist. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(paths::add);
        }
        paths.sort(Comparator.reverseOrder());
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    @Override
    public void close() {
        closeTransfers();
        if (lease != null) {
            lease.close();
        }
    }
}
