package io.jenkins.plugins.codepipeline.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code codepipeline-job}: the top command, which only holds the subcommands. */
@Command(name = "codepipeline-job", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Work on AWS CodePipeline custom-action jobs: report their results, or take and run them.",
        synopsisSubcommandLabel = "(success | failure | worker | create-action-type | artifacts)",
        description = {
            "success and failure send PutJobSuccessResult or PutJobFailureResult for a job that this worker got "
                    + "from CodePipeline. worker polls for the jobs of a custom action type and runs a command for "
                    + "each; create-action-type creates such a type. artifacts get and artifacts put download a "
                    + "job's input artifacts and upload its output artifacts. See 'codepipeline-job COMMAND --help'.",
            "",
            "Credentials come from the AWS SDK's default chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
                    + "AWS_SESSION_TOKEN, Java system properties, the profile AWS_PROFILE of ~/.aws/credentials "
                    + "and ~/.aws/config (static keys or credential_process), then container and instance "
                    + "metadata. SSO and web-identity profiles are not supported: export their credentials first.",
            "",
            "success and failure print on stdout the AWS request id of the last answered request (exit codes 0 "
                    + "and 3), or the request body with --dry-run; everything else goes to stderr."},
        exitCodeListHeading = "%nExit codes of success and failure (worker, create-action-type and artifacts: see "
                + "their --help):%n",
        exitCodeList = {
            "0:the result was delivered",
            "1:CodePipeline refused the result, or it could not be delivered",
            "2:refused before sending (bad options, invalid result, unreadable variables); nothing was sent",
            "3:the result most likely arrived but its answer was lost; check the job in the pipeline"})
final class CodePipelineJobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: success or failure");
    }

    /** The command line for this environment, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(CliEnvironment env, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new CodePipelineJobCommand())
                .addSubcommand(new SuccessCommand(env))
                .addSubcommand(new FailureCommand(env))
                .addSubcommand(new WorkerCommand(env, Clock.systemUTC()))
                .addSubcommand(new CreateActionTypeCommand(env))
                .addSubcommand(new CommandLine(new ArtifactsCommand())
                        .addSubcommand(new ArtifactsGetCommand(env))
                        .addSubcommand(new ArtifactsPutCommand(env)));
        // worker ... -- sh -c '...': everything from COMMAND on is COMMAND's, even without the --
        commandLine.getSubcommands().get("worker").setStopAtPositional(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(CodePipelineJobCommand::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("codepipeline-job: unexpected error: " + e);
            cmd.getErr().flush();
            return ExitCodes.NOT_DELIVERED;
        });
        return commandLine;
    }

    /** A short message and a pointer to --help, not the whole usage text. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        String name = cmd.getCommandSpec().name();
        err.println((name.equals("worker") ? "Nothing was polled."
                : name.equals("get") || name.equals("put") || name.equals("artifacts") ? "Nothing was transferred."
                : "Nothing was sent.")
                + " See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.REFUSED_LOCALLY;
    }
}
