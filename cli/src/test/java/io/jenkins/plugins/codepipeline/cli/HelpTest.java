package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {
    private final CliRunner cli = new CliRunner();

    private static final List<String> SUCCESS_OPTIONS = List.of("--job-id", "--region", "--endpoint-url",
            "--revision", "--change-identifier", "--revision-summary", "--revision-created", "--continuation-token",
            "--summary", "--external-execution-id", "--percent-complete", "--output-variable",
            "--output-variables-file", "--output-variables-file-format", "--output-variables-from-env", "--dry-run",
            "--truncate-long-text", "--max-attempts", "--timeout", "--help", "--version");
    private static final List<String> FAILURE_OPTIONS = List.of("--job-id", "--type", "--message",
            "--external-execution-id", "--region", "--endpoint-url", "--dry-run", "--truncate-long-text",
            "--max-attempts", "--timeout", "--help", "--version");

    private static final List<String> WORKER_OPTIONS = List.of("--category", "--provider", "--version", "--query",
            "--region", "--endpoint-url", "--max-attempts", "--timeout", "--max-jobs", "--poll-interval", "--once",
            "--journal", "--s3-endpoint-url", "--artifacts-dir", "--no-artifacts", "--report-progress", "--help");
    private static final List<String> CREATE_ACTION_TYPE_OPTIONS = List.of("--category", "--provider", "--version",
            "--jenkins-url", "--query-name", "--region", "--endpoint-url", "--max-attempts", "--timeout", "--dry-run",
            "--help");

    @Test
    void createActionTypeHelpDocumentsEveryOption() {
        Run run = cli.run("create-action-type", "--help");
        assertEquals(0, run.exitCode());
        for (String option : CREATE_ACTION_TYPE_OPTIONS) {
            assertTrue(run.out().contains(option), () -> option + " missing from\n" + run.out());
        }
        assertTrue(run.out().contains("Default: ProjectName"), run.out());
        assertTrue(run.out().contains("codepipeline/build/{ExternalExecutionId}"), run.out());
    }

    @Test
    void successHelpDocumentsEveryOptionWithDefaults() {
        Run run = cli.run("success", "--help");
        assertEquals(0, run.exitCode());
        for (String option : SUCCESS_OPTIONS) {
            assertTrue(run.out().contains(option), () -> option + " missing from\n" + run.out());
        }
        assertTrue(run.out().contains("Default: " + ConnectionSettings.DEFAULT_MAX_ATTEMPTS), run.out());
        assertTrue(run.out().contains("Default: 120"), run.out());
        assertTrue(run.out().contains("Default: auto"), run.out());
        assertTrue(run.out().contains("AWS_REGION") && run.out().contains("AWS_ENDPOINT_URL_CODEPIPELINE"));
        assertEquals("", run.err());
    }

    @Test
    void failureHelpDocumentsEveryOption() {
        Run run = cli.run("failure", "--help");
        assertEquals(0, run.exitCode());
        for (String option : FAILURE_OPTIONS) {
            assertTrue(run.out().contains(option), () -> option + " missing from\n" + run.out());
        }
        assertTrue(run.out().contains("RevisionOutOfSync"), run.out());
    }

    @Test
    void everyOptionHasADescriptionAndNoOtherOptionsExist() {
        CommandLine commandLine = CodePipelineJobCommand.commandLine(new CliEnvironment(java.util.Map.of(),
                () -> null), new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()));
        check(commandLine.getSubcommands().get("success"), SUCCESS_OPTIONS);
        check(commandLine.getSubcommands().get("failure"), FAILURE_OPTIONS);
        check(commandLine.getSubcommands().get("worker"), WORKER_OPTIONS);
        check(commandLine.getSubcommands().get("create-action-type"), CREATE_ACTION_TYPE_OPTIONS);
    }

    private static void check(CommandLine command, List<String> expected) {
        List<String> names = command.getCommandSpec().options().stream().map(OptionSpec::longestName).sorted()
                .toList();
        assertEquals(expected.stream().sorted().toList(), names);
        for (OptionSpec option : command.getCommandSpec().options()) {
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                    option.longestName() + " has no description");
        }
    }

    @Test
    void topLevelHelpListsTheSubcommandsAndExitCodes() {
        Run run = cli.run("--help");
        assertEquals(0, run.exitCode());
        for (String command : List.of("success", "failure", "worker", "create-action-type")) {
            assertTrue(run.out().contains(command), () -> command + " missing from\n" + run.out());
        }
        assertTrue(run.out().contains("Exit codes of success and failure"), run.out());
    }

    @Test
    void version() {
        Run run = cli.run("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("codepipeline-job "), run.out());
    }

    @Test
    void defaultTimeoutIsCoresDefault() {
        assertEquals(ConnectionSettings.DEFAULT_TIMEOUT.toSeconds(),
                Long.parseLong(ConnectionOptions.DEFAULT_TIMEOUT_SECONDS));
    }
}
