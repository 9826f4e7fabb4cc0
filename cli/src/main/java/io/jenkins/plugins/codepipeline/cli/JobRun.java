package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.worker.JobEnvironment;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** One job: its command run to the end, then its result reported. */
final class JobRun {
    /** How long the output of a finished command is still read (a child it left behind may hold the pipes). */
    private static final long OUTPUT_GRACE_MILLIS = 5_000;

    private final Worker worker;
    /** The run's current job: the job taken, then (--report-progress) the follow-up job attached. */
    private ReceivedJob job;
    private final String runId;
    /** --report-progress: whether the early report was tried (it settles the chain when it fails). */
    private boolean earlyTried;
    /** The follow-up job did not come: nothing is reported. */
    private boolean noFollowUp;

    JobRun(Worker worker, ReceivedJob job, String runId) {
        this.worker = worker;
        this.job = job;
        this.runId = runId;
    }

    void run() {
        String jobId = job.jobId();
        String name = worker.commandName();
        worker.log().info("Job " + jobId + ": started " + name + " (run " + runId + ") for "
                + job.pipeline().describe() + (job.isFollowUp() ? ", a follow-up job" : ""));
        Path dir = null;
        JobResult result = null;
        WorkerArtifacts artifacts = null;
        try {
            dir = createPrivateTempDirectory();
            Path variables = Files.createFile(dir.resolve("output-variables"));
            Path token = Files.createFile(dir.resolve("continuation-token"));
            Worker.Artifacts options = worker.config().artifacts();
            if (options.enabled()) {
                artifacts = WorkerArtifacts.prepare(worker, job, options.dir() != null ? options.dir()
                        : dir.resolve("artifacts"), dir.resolve("output-artifacts"));
                String failed = artifacts.downloadInputs();
                if (failed != null) {
                    worker.log().warning("Job " + jobId + ": " + failed);
                    result = CommandResults.inputsNotDownloaded(jobId, runId, name, failed);
                    worker.log().info("Job " + jobId + ": " + name + " was not run; reporting " + describe(result));
                }
            }
            if (result == null) {
                result = runCommand(name, variables, token, artifacts);
            }
        } catch (IOException e) {
            result = CommandResults.notStarted(jobId, runId, name, "no temporary files for it: " + e);
        } catch (LocalProblem e) {
            result = CommandResults.notStarted(jobId, runId, name, e.getMessage());
        } finally {
            if (artifacts != null) {
                artifacts.close();
            }
            if (worker.config().reportProgress() && !earlyTried) {
                worker.settleChain(null); // COMMAND did not start: no chain, the job gets its result
            }
        }
        if (noFollowUp) {
            deleteQuietly(dir);
            return;
        }
        jobId = job.jobId(); // the follow-up job's, when one was attached
        result = withJobId(result, jobId);
        try {
            worker.markReporting(jobId);
            ReportOutcome outcome = worker.report(jobId, result, worker.config().settings());
            if (outcome != null && outcome.status() != ReportOutcome.Status.NOT_DELIVERED) {
                worker.forget(jobId);
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    private JobResult runCommand(String name, Path variables, Path token, WorkerArtifacts artifacts) {
        String jobId = job.jobId();
        // stderr into stdout: one pipe keeps the lines in the order the command wrote them, so the failure
        // message ends with what the command printed last, whichever stream it used
        ProcessBuilder builder = new ProcessBuilder(worker.config().command()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(worker.env().variables());
        // a worker started from a build must not hand that build's job data to this job's command
        environment.keySet().removeIf(k -> k.startsWith(JobEnvironment.PREFIX));
        environment.putAll(JobEnvironment.variables(job));
        environment.put(CommandResults.OUTPUT_VARIABLES_FILE, variables.toString());
        environment.put(CommandResults.OUTPUT_CONTINUATION_TOKEN_FILE, token.toString());
        environment.put(CommandResults.EXTERNAL_EXECUTION_ID, runId);
        if (artifacts != null) {
            environment.putAll(artifacts.environment());
        }

        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            worker.log().warning("Job " + jobId + ": could not start " + name + ": " + e.getMessage());
            return CommandResults.notStarted(jobId, runId, name, String.valueOf(e.getMessage()));
        }
        Worker.Chain chain = null;
        if (worker.config().reportProgress()) {
            earlyTried = true;
            chain = worker.reportEarly(job, runId);
        }
        try {
            process.getOutputStream().close(); // no input: a command that reads stdin gets end of file
        } catch (IOException ignored) {
            // it exited already
        }
        OutputTail tail = new OutputTail();
        String prefix = "[" + jobId + "] ";
        Thread output = pump(new OutputPump(process.getInputStream(), worker.out(), prefix, tail), "output");
        int exitCode = waitFor(process);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        join(output);
        JobResult result = CommandResults.of(new CommandResults.Finished(jobId, runId, name, exitCode, took, tail,
                variables, token));
        if (chain != null) {
            ReceivedJob followUp = chain.followUpNow();
            if (followUp == null) {
                worker.log().info("Job " + jobId + ": " + name + " exited " + (exitCode == 0 ? "0" : "with code "
                        + exitCode) + " after " + CommandResults.seconds(took) + "; waiting for the follow-up job of "
                        + "the progress report");
                followUp = chain.awaitFollowUp(Worker.FOLLOW_UP_WAIT_MAX);
            }
            if (followUp == null) {
                worker.followUpMissing(chain, jobId);
                noFollowUp = true;
                return result;
            }
            job = followUp;
            jobId = followUp.jobId();
            result = withJobId(result, jobId);
            if (artifacts != null) {
                artifacts.switchTo(followUp);
            }
        }
        if (result instanceof SuccessResult success && artifacts != null) {
            // the outputs are in S3 before the success is reported, or the job fails
            WorkerArtifacts.Problem problem = artifacts.uploadOutputs(name, success.continuationToken() == null);
            if (problem != null) {
                worker.log().warning("Job " + jobId + ": " + problem.message());
                result = CommandResults.outputsNotUploaded(jobId, runId, problem.type(), problem.message());
            }
        }
        worker.log().info("Job " + jobId + ": " + name + " exited " + (exitCode == 0 ? "0" : "with code " + exitCode)
                + " after " + CommandResults.seconds(took) + "; reporting " + describe(result));
        return result;
    }

    /** The same result for another job of the chain. */
    private static JobResult withJobId(JobResult result, String jobId) {
        if (result == null || jobId.equals(result.jobId())) {
            return result;
        }
        if (result instanceof SuccessResult success) {
            return success.toBuilder().jobId(jobId).build();
        }
        return ((FailureResult) result).toBuilder().jobId(jobId).build();
    }

    private static String describe(JobResult result) {
        if (result instanceof SuccessResult success) {
            if (success.continuationToken() != null) {
                return "success with a continuation token";
            }
            return success.outputVariables().isEmpty() ? "success"
                    : "success with output variables " + String.join(", ", success.outputVariables().keySet());
        }
        FailureResult failure = (FailureResult) result;
        return "failure (" + failure.type().awsName() + ")";
    }

    private Thread pump(OutputPump pump, String stream) {
        Thread thread = new Thread(pump, "codepipeline-job-" + job.jobId() + "-" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Every acknowledged job gets its result: an interrupt does not stop the wait for the command. */
    private static int waitFor(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void join(Thread pump) {
        try {
            pump.join(OUTPUT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path createPrivateTempDirectory() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory("codepipeline-job-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("codepipeline-job-");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            });
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
