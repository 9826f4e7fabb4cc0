package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.CurrentRevision;
import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.variables.EnvironmentVariableSelector;
import io.jenkins.plugins.codepipeline.core.variables.OutputVariablesMerger;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileParser;
import io.jenkins.plugins.codepipeline.core.variables.VariablesSourceException;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

@Command(name = "success", sortOptions = false, showDefaultValues = true, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Report that a job succeeded (PutJobSuccessResult).",
        description = {
            "Reports the success of a CodePipeline custom-action job, with the revision it worked on, what it did, "
                    + "and output variables for later actions of the pipeline.",
            "",
            "Output variables come from --output-variable, then each --output-variables-file in order, then "
                    + "--output-variables-from-env. A name that two sources define with different values is an "
                    + "error. All names and values together may take at most 122880 bytes (UTF-8). Values are never "
                    + "printed, only names."})
final class SuccessCommand extends ReportCommand {

    @Option(names = "--revision", paramLabel = "REV", order = 10,
            description = "The revision the job worked on, such as a commit id (1-1500 characters). Needs "
                    + "--change-identifier.")
    String revision;

    @Option(names = "--change-identifier", paramLabel = "CID", order = 11,
            description = "The change identifier of the revision (1-100 characters). Needs --revision.")
    String changeIdentifier;

    @Option(names = "--revision-summary", paramLabel = "S", order = 12,
            description = "A summary of the revision, such as a commit message (1-2048 characters).")
    String revisionSummary;

    @Option(names = "--revision-created", paramLabel = "ISO-8601", order = 13,
            converter = Converters.IsoInstant.class,
            description = "When the revision was created, such as 2026-11-25T10:00:00Z.")
    Instant revisionCreated;

    @Option(names = "--continuation-token", paramLabel = "T", order = 20,
            description = "Keep the action running: CodePipeline closes this job and hands the token to a follow-up "
                    + "job (1-2048 characters). Not together with output variables. Tokens starting with jcp1: are "
                    + "reserved for the worker's --report-progress.")
    String continuationToken;

    @Option(names = "--summary", paramLabel = "S", order = 30,
            description = "What the job did, shown in the pipeline (1-2048 characters).")
    String summary;

    @Option(names = "--external-execution-id", paramLabel = "ID", order = 31,
            description = "The id of the run in the external system, such as a build number (1-1500 characters).")
    String externalExecutionId;

    @Option(names = "--percent-complete", paramLabel = "N", order = 32,
            description = "How far the action is, 0-100.")
    Integer percentComplete;

    @Option(names = "--output-variable", showDefaultValue = Visibility.NEVER, paramLabel = "KEY=VALUE", order = 40,
            converter = Converters.Assignment.class,
            description = "An output variable; repeatable. Split at the first '='; the value may be empty.")
    List<Converters.Variable> outputVariables = new ArrayList<>();

    @Option(names = "--output-variables-file", showDefaultValue = Visibility.NEVER, paramLabel = "FILE", order = 41,
            description = "Read output variables from a .properties, .env (dotenv) or .json file; repeatable.")
    List<Path> outputVariablesFiles = new ArrayList<>();

    @Option(names = "--output-variables-file-format", paramLabel = "FORMAT", order = 42, defaultValue = "auto",
            converter = Converters.FileFormatName.class,
            description = "Format of the --output-variables-file files: auto (by the file name's extension), "
                    + "properties, dotenv or json.")
    VariablesFileFormat outputVariablesFileFormat;

    @Option(names = "--output-variables-from-env", showDefaultValue = Visibility.NEVER, paramLabel = "NAME|GLOB", order = 43,
            description = "Publish environment variables as output variables: an exact name (which must be set) or "
                    + "a glob with * and ?, such as 'BUILD_*'; repeatable.")
    List<String> outputVariablesFromEnv = new ArrayList<>();

    SuccessCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    JobResult buildResult(PrintWriter err) throws LocalProblem {
        try {
            ContinuationTokens.requireUserToken(continuationToken, "--continuation-token");
        } catch (IllegalArgumentException e) {
            throw new LocalProblem(e.getMessage());
        }
        SuccessResult.Builder result = SuccessResult.builder()
                .jobId(jobId)
                .continuationToken(continuationToken)
                .outputVariables(outputVariables(err));
        if (revision != null || changeIdentifier != null || revisionSummary != null || revisionCreated != null) {
            result.currentRevision(CurrentRevision.builder().revision(revision).changeIdentifier(changeIdentifier)
                    .revisionSummary(revisionSummary).created(revisionCreated).build());
        }
        ExecutionDetails details = new ExecutionDetails(summary, externalExecutionId, percentComplete);
        if (!details.isEmpty()) {
            result.executionDetails(details);
        }
        return result.build();
    }

    /** Every source read, every problem reported at once. */
    private Map<String, String> outputVariables(PrintWriter err) throws LocalProblem {
        OutputVariablesMerger merger = new OutputVariablesMerger();
        List<String> problems = new ArrayList<>();
        for (Converters.Variable variable : outputVariables) {
            // one source per entry: the merger reports a name given twice with different values
            merger.add("--output-variable", Map.of(variable.key(), variable.value()));
        }
        for (Path file : outputVariablesFiles) {
            try {
                merger.add("file " + file, VariablesFileParser.read(file, outputVariablesFileFormat));
            } catch (VariablesSourceException e) {
                problems.add(e.getMessage());
            }
        }
        if (!outputVariablesFromEnv.isEmpty()) {
            try {
                merger.add("environment", EnvironmentVariableSelector.select(env.variables(), outputVariablesFromEnv));
                for (String glob : EnvironmentVariableSelector.globsMatchingNothing(env.variables(),
                        outputVariablesFromEnv)) {
                    err.println("Warning: --output-variables-from-env '" + glob + "' matches no environment variable");
                }
            } catch (VariablesSourceException e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                return merger.merge();
            } catch (VariablesSourceException e) {
                problems.add(e.getMessage());
            }
        }
        throw new LocalProblem("the output variables could not be read:" + System.lineSeparator() + "  - "
                + String.join(System.lineSeparator() + "  - ",
                        String.join(System.lineSeparator(), problems).split("\\R")));
    }

    @Override
    void describeDelivered(JobResult sent, PrintWriter err) {
        Map<String, String> variables = ((SuccessResult) sent).outputVariables();
        if (!variables.isEmpty()) {
            err.println("Output variables published (" + variables.size() + "): "
                    + String.join(", ", variables.keySet()));
        }
    }
}
