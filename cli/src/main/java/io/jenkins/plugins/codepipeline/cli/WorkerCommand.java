package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "worker", sortOptions = false, showDefaultValues = true,
        header = "Take jobs of a custom action type and run a command for each.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = {"codepipeline-job worker --category CATEGORY --provider NAME --version V",
            "         [--query [NAME=]VALUE] [--region R] [--endpoint-url URL] [--max-jobs N]",
            "         [--poll-interval SECONDS] [--once] [--journal FILE] [--max-attempts N]",
            "         [--timeout SECONDS] [--s3-endpoint-url URL] [--report-progress]",
            "         [--artifacts-dir DIR | --no-artifacts] -- COMMAND [ARGS...]"},
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        description = {
            "",
            "Polls CodePipeline for jobs of one custom action type (PollForJobs), acknowledges each (AcknowledgeJob), "
                    + "runs COMMAND once per job, and reports its result: PutJobSuccessResult when COMMAND exits 0, "
                    + "PutJobFailureResult (JobFailed) with the exit code and the end of its output otherwise. At "
                    + "most --max-jobs commands run at once; jobs beyond that are left in CodePipeline for another "
                    + "worker or a later poll.",
            "",
            "COMMAND runs without a shell (use sh -c '...' for one), in the current directory, with this process's "
                    + "environment (without any CODEPIPELINE_* variable of it) plus:",
            "  CODEPIPELINE_JOB_ID, CODEPIPELINE_REGION, CODEPIPELINE_ACCOUNT_ID, CODEPIPELINE_PIPELINE_NAME, "
                    + "CODEPIPELINE_PIPELINE_EXECUTION_ID, CODEPIPELINE_PIPELINE_ARN, CODEPIPELINE_STAGE_NAME, "
                    + "CODEPIPELINE_ACTION_NAME, CODEPIPELINE_ACTION_EXECUTION_ID",
            "  CODEPIPELINE_CONFIG_<NAME>: each configuration property of the action that ListActionTypes says is "
                    + "not secret (NAME with characters other than A-Z a-z 0-9 _ replaced by _). Anyone who can edit "
                    + "the pipeline sets these values: quote them in scripts.",
            "  CODEPIPELINE_INPUT_ARTIFACTS, CODEPIPELINE_OUTPUT_ARTIFACTS: the artifact names, comma-separated; "
                    + "CODEPIPELINE_INPUT_REVISION_<NAME>: an input artifact's revision",
            "  CODEPIPELINE_CONTINUATION_TOKEN: in a follow-up job, the token the previous job of the action "
                    + "handed over",
            "  CODEPIPELINE_EXTERNAL_EXECUTION_ID: this run's id, reported as the result's externalExecutionId",
            "  CODEPIPELINE_OUTPUT_VARIABLES_FILE: an empty file COMMAND may write output variables to, as "
                    + "KEY=VALUE lines (dotenv: # comments, optional quotes, no interpolation) or as one JSON "
                    + "object. They go with the success result.",
            "  CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE: an empty file COMMAND may write a continuation token to "
                    + "(1-2048 characters; surrounding white space is dropped; not starting with jcp1:, which "
                    + "--report-progress keeps). Then the job is reported as "
                    + "succeeded with that token, the action keeps running, and CodePipeline hands out a follow-up "
                    + "job whose command sees the token in CODEPIPELINE_CONTINUATION_TOKEN. A token and output "
                    + "variables together are refused (JobFailed): write the variables in the last job.",
            "  CODEPIPELINE_INPUT_ARTIFACTS_DIR: a directory holding each input artifact of the job, downloaded "
                    + "and extracted into <DIR>/<NAME>/ before COMMAND starts",
            "  CODEPIPELINE_OUTPUT_ARTIFACTS_DIR: a directory with an empty <NAME>/ directory for each output "
                    + "artifact of the job; what COMMAND puts into one is zipped and uploaded as that artifact",
            "  CODEPIPELINE_OUTPUT_ARTIFACTS_FILE: an empty file COMMAND may write NAME=PATH lines to (one per output "
                    + "artifact; PATH absolute or relative to the current directory; # comments): a directory is "
                    + "zipped, a file uploaded as is. It takes precedence over the artifact's directory.",
            "Secret configuration properties and the job's artifact credentials are never passed to COMMAND.",
            "",
            "Artifacts: when the job has input or output artifacts, the worker calls GetJobDetails for the job's "
                    + "artifact credentials and KMS key, then downloads every input artifact from the pipeline's S3 "
                    + "artifact store (zip, tar or tar.gz extracted with file modes and empty directories; any other "
                    + "object saved as one file named after the artifact). A download that fails is reported as "
                    + "JobFailed with its reason, and COMMAND does not run. After COMMAND exited 0 the output "
                    + "artifacts are uploaded with server-side encryption aws:kms (the job's KMS key), and only then "
                    + "is the success reported. An output artifact that COMMAND neither named in the file nor put "
                    + "anything into its directory fails the job as ConfigurationError, naming it; an upload that "
                    + "fails is reported as JobFailed with its reason. A job that hands over a continuation token "
                    + "uploads the outputs it has and leaves the rest to a later job. The artifact credentials are "
                    + "renewed by GetJobDetails when S3 answers ExpiredToken. With --no-artifacts nothing is "
                    + "downloaded or uploaded, for commands that move the artifacts themselves ('codepipeline-job "
                    + "artifacts get|put').",
            "",
            "COMMAND's stdout and stderr, merged in the order it wrote them, go to this process's stdout, each line "
                    + "prefixed with [JOB_ID]; the worker's own log goes to stderr. The end of the output is kept (a "
                    + "few thousand characters) for the failure message, which CodePipeline limits to 5000 "
                    + "characters.",
            "",
            "The log goes to stderr: a line per poll that received jobs, per job started and reported, and per "
                    + "poll failure when it starts, changes or ends (not once per poll).",
            "",
            "Stopping: SIGTERM or SIGINT (Ctrl-C) stops polling; the running commands finish and are reported, then "
                    + "the worker exits with the JVM's code for the signal (143 or 130). Ctrl-C in a terminal "
                    + "reaches the commands too. With --journal, a worker that was killed reports a failure for its "
                    + "unfinished jobs when it starts again, instead of leaving them to time out.",
            "",
            "Credentials come from the AWS SDK's default chain (see 'codepipeline-job --help'); session credentials "
                    + "are reused until 5 minutes before they expire. The IAM policy needs codepipeline:PollForJobs, "
                    + "AcknowledgeJob, ListActionTypes, PutJobSuccessResult and PutJobFailureResult, and for jobs with "
                    + "artifacts GetJobDetails. S3 is called with the job's own artifact credentials only."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every job taken was run and its result delivered (a failed command's JobFailed result included), "
                    + "and with --once the poll succeeded",
            "1:a result could not be delivered or was refused (for example, the job had timed out), or with "
                    + "--once the poll failed",
            "2:refused before polling (bad options, COMMAND not found, journal in use); nothing was polled",
            "3:a result most likely arrived but its answer was lost",
            "130, 143:stopped by SIGINT or SIGTERM, after the running commands were reported"})
final class WorkerCommand implements Callable<Integer> {
    static final int MAX_JOBS_LIMIT = 100;
    static final long POLL_INTERVAL_MAX = 3600;

    private final CliEnvironment env;
    private final Clock clock;

    @Spec
    CommandSpec spec;

    @Mixin
    ActionTypeOptions actionType = new ActionTypeOptions();

    @Option(names = "--query", paramLabel = "[NAME=]VALUE", order = 4,
            description = "Take only jobs whose queryable configuration property NAME (default ProjectName) has "
                    + "VALUE (1-20 letters, digits, _ and -), such as ProjectName=app. Default: every job of the "
                    + "action type.")
    String query;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--max-jobs", paramLabel = "N", order = 110, defaultValue = "1",
            description = "The most commands running at once (1-" + MAX_JOBS_LIMIT + "); each poll asks for as "
                    + "many jobs as there is room for.")
    int maxJobs;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", order = 111, defaultValue = "10",
            description = "Seconds between polls that found no more jobs (1-" + POLL_INTERVAL_MAX + "). After a "
                    + "poll that filled the room, the next poll follows as soon as a command ends.")
    long pollIntervalSeconds;

    @Option(names = "--once", order = 112,
            description = "Poll once, run the commands of the jobs received, report them, and exit.")
    boolean once;

    @Option(names = "--journal", paramLabel = "FILE", order = 113,
            description = "Record the jobs in flight in FILE (JSON, no secrets), so that a worker that was killed "
                    + "reports a failure (\"the worker stopped before the command finished\") for its unfinished "
                    + "jobs when it starts again with the same FILE. One worker per FILE: FILE.lock keeps a "
                    + "second one off. Default: no journal.")
    Path journal;

    @Option(names = "--s3-endpoint-url", paramLabel = "URL", order = 104,
            description = "S3 endpoint for the artifacts instead of the region's (VPC endpoints, S3-compatible "
                    + "servers in tests); it is then addressed path-style. Default: the environment variable "
                    + "AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else the region's S3 endpoint.")
    String s3EndpointUrl;

    @Option(names = "--artifacts-dir", paramLabel = "DIR", order = 114,
            description = "Where the artifacts of a job go: DIR/input/<NAME>/ and DIR/output/<NAME>/, both emptied "
                    + "when a job starts and left there after it (made when missing; only with --max-jobs 1). "
                    + "Default: a fresh private directory under the system's temporary directory per job, deleted "
                    + "after the job.")
    Path artifactsDir;

    @Option(names = "--no-artifacts", order = 115,
            description = "Neither download the input artifacts nor upload the output artifacts, and set no "
                    + "CODEPIPELINE_*_ARTIFACTS_DIR/FILE variables: for commands that move the artifacts themselves.")
    boolean noArtifacts;

    @Option(names = "--report-progress", order = 116,
            description = "Report each job early, right after COMMAND started: success with a continuation token "
                    + "of this worker (jcp1:<fingerprint>:<job id>), COMMAND's run id as externalExecutionId and "
                    + "the summary \"<COMMAND> running\", so that the pipeline shows the action's run while it runs. "
                    + "CodePipeline then closes the job and queues a follow-up job with that token; the worker takes "
                    + "it with its next polls (even with no free room), and COMMAND's result, output artifacts "
                    + "(uploaded with the follow-up job's details) and output variables go to it. COMMAND keeps "
                    + "the first job's id in CODEPIPELINE_JOB_ID: a 'codepipeline-job success|failure' it runs "
                    + "itself would report on a closed job. Each job costs one more job in CodePipeline. A "
                    + "follow-up job whose token another worker issued is never acknowledged. The fingerprint "
                    + "comes from FILE.identity beside --journal (made when missing), else it is new per process. "
                    + "With --once, the worker polls on for the follow-up jobs of the jobs it took. Default: off.")
    boolean reportProgress;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 300, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", showDefaultValue = Visibility.NEVER,
            description = "The command and its arguments, after --, run once per job.")
    List<String> command = new ArrayList<>();

    WorkerCommand(CliEnvironment env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Worker.Config config;
        try {
            config = config();
        } catch (LocalProblem e) {
            err.println("codepipeline-job worker: " + e.getMessage());
            err.println("Nothing was polled. See 'codepipeline-job worker --help'.");
            err.flush();
            return ExitCodes.REFUSED_LOCALLY;
        }
        try {
            return new Worker(config, env, out, err, clock).run();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Every option checked; nothing of the SDK is touched. */
    Worker.Config config() throws LocalProblem {
        ActionTypeId type = actionType.actionType();
        JobQuery jobQuery;
        try {
            jobQuery = JobQuery.parse(query);
        } catch (IllegalArgumentException e) {
            throw new LocalProblem("--query: " + e.getMessage());
        }
        if (maxJobs < 1 || maxJobs > MAX_JOBS_LIMIT) {
            throw new LocalProblem("--max-jobs " + maxJobs + " is not in 1-" + MAX_JOBS_LIMIT + "; give how many "
                    + "commands may run at once, such as 1 (the default) or 4");
        }
        if (pollIntervalSeconds < 1 || pollIntervalSeconds > POLL_INTERVAL_MAX) {
            throw new LocalProblem("--poll-interval " + pollIntervalSeconds + " is not in 1-" + POLL_INTERVAL_MAX
                    + " seconds; the default is 10");
        }
        ConnectionSettings settings = connection.settings(env);
        checkCommand(command);
        Path journalFile = null;
        if (journal != null) {
            journalFile = journal.toAbsolutePath();
            if (Files.isDirectory(journalFile)) {
                throw new LocalProblem("--journal " + journal + " is a directory; give a file (it is created when "
                        + "missing)");
            }
            Path parent = journalFile.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new LocalProblem("--journal " + journal + ": the directory " + parent + " does not exist");
            }
        }
        return new Worker.Config(type, jobQuery, settings, maxJobs, Duration.ofSeconds(pollIntervalSeconds), once,
                journalFile, List.copyOf(command), artifacts(settings), reportProgress);
    }

    private Worker.Artifacts artifacts(ConnectionSettings settings) throws LocalProblem {
        if (noArtifacts) {
            if (artifactsDir != null || s3EndpointUrl != null) {
                throw new LocalProblem((artifactsDir != null ? "--artifacts-dir" : "--s3-endpoint-url") + " has no "
                        + "use with --no-artifacts; give one or the other");
            }
            return new Worker.Artifacts(false, null, null);
        }
        ArtifactStoreSettings store = ArtifactTransfers.storeSettings(s3EndpointUrl, env.variables(), settings);
        if (artifactsDir == null) {
            return new Worker.Artifacts(true, null, store);
        }
        if (maxJobs > 1) {
            throw new LocalProblem("--artifacts-dir " + artifactsDir + " with --max-jobs " + maxJobs + ": the jobs "
                    + "running at once would share it. Leave --artifacts-dir out (each job then gets a directory of "
                    + "its own) or run one job at a time");
        }
        Path dir = artifactsDir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new LocalProblem("--artifacts-dir " + artifactsDir + " is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            throw new LocalProblem("--artifacts-dir " + artifactsDir + " cannot be made: " + e.getMessage());
        }
        return new Worker.Artifacts(true, dir, store);
    }

    /** COMMAND must be there and executable: a worker that takes jobs only to fail them is worse than none. */
    static void checkCommand(List<String> command) throws LocalProblem {
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new LocalProblem("COMMAND is missing; give it after --, such as -- ./build.sh or -- sh -c 'make'");
        }
        String name = command.get(0);
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return; // PATHEXT and friends: left to the start of the process
        }
        try {
            if (name.contains("/")) {
                Path path = Path.of(name);
                if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                    throw new LocalProblem("COMMAND " + name + (Files.exists(path) ? " is not an executable file"
                            : " does not exist") + " (relative to " + Path.of("").toAbsolutePath() + ")");
                }
                return;
            }
            // ProcessBuilder searches this process's PATH, whatever the command's environment says
            String searchPath = System.getenv("PATH");
            for (String dir : (searchPath == null ? "/bin:/usr/bin" : searchPath).split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return;
                }
            }
        } catch (InvalidPathException e) {
            throw new LocalProblem("COMMAND " + name + " is not a valid file name: " + e.getReason());
        }
        throw new LocalProblem("COMMAND " + name + " was not found on the PATH; give its path, such as ./" + name);
    }
}
