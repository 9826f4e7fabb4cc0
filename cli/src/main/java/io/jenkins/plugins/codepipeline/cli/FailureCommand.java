package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "failure", sortOptions = false, showDefaultValues = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Report that a job failed (PutJobFailureResult).",
        description = "Reports the failure of a CodePipeline custom-action job, with its type and a message shown in "
                + "the pipeline.")
final class FailureCommand extends ReportCommand {

    @Option(names = "--type", paramLabel = "TYPE", required = true, order = 10,
            converter = Converters.FailureTypeName.class,
            description = "The kind of failure: JobFailed, ConfigurationError, PermissionError, RevisionOutOfSync, "
                    + "RevisionUnavailable or SystemUnavailable (any case; JOB_FAILED is accepted too).")
    FailureType type;

    @Option(names = "--message", paramLabel = "M", required = true, order = 11,
            description = "What went wrong, shown in the pipeline (1-5000 characters).")
    String message;

    @Option(names = "--external-execution-id", paramLabel = "ID", order = 12,
            description = "The id of the run in the external system, such as a build number (1-1500 characters).")
    String externalExecutionId;

    FailureCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    JobResult buildResult(PrintWriter err) {
        return FailureResult.builder().jobId(jobId).type(type).message(message)
                .externalExecutionId(externalExecutionId).build();
    }
}
