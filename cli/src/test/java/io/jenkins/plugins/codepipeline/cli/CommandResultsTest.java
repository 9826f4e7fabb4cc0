package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandResultsTest {
    private static final String JOB_ID = CliRunner.JOB_ID;

    @TempDir
    Path dir;

    private CommandResults.Finished finished(int exitCode, OutputTail tail) throws IOException {
        Path variables = Files.createFile(dir.resolve("variables-" + System.nanoTime()));
        Path token = Files.createFile(dir.resolve("token-" + System.nanoTime()));
        return new CommandResults.Finished(JOB_ID, "run-1", "build.sh", exitCode, Duration.ofMillis(1500), tail,
                variables, token);
    }

    @Test
    void theTailOfOutputInAstralCharactersStaysWithinTheLimitAndWhole() throws IOException {
        OutputTail tail = new OutputTail();
        for (int i = 0; i < 3000; i++) {
            tail.add("🚀 step " + i + " 🚀");
        }
        tail.add("x".repeat(20_000)); // one huge line: only its end is kept
        tail.add("🚀 the end");
        JobResult result = CommandResults.of(finished(1, tail));
        String message = ((FailureResult) result).message();
        assertEquals(5000, message.codePointCount(0, message.length()));
        assertTrue(message.startsWith("build.sh exited with code 1 after 1.5 s (run run-1). The end of its output:\n…"),
                message.substring(0, 120));
        assertTrue(message.endsWith("x\n🚀 the end"));
        assertFalse(Character.isLowSurrogate(message.charAt(message.indexOf('…') + 1)), "a pair was split");
        assertTrue(JobResultValidator.validate(result).isEmpty());
    }

    @Test
    void shortOutputIsKeptWhole() throws IOException {
        OutputTail tail = new OutputTail();
        tail.add("compiling");
        tail.add("error: missing semicolon");
        String message = ((FailureResult) CommandResults.of(finished(2, tail))).message();
        assertEquals("build.sh exited with code 2 after 1.5 s (run run-1). The end of its output:\ncompiling\n"
                + "error: missing semicolon", message);
    }

    @Test
    void successReadsDotenvVariablesAndATokenFile() throws IOException {
        CommandResults.Finished run = finished(0, new OutputTail());
        Files.writeString(run.variablesFile(), "# built\nexport IMAGE=\"repo/app:1\"\nEMPTY=\n");
        SuccessResult success = (SuccessResult) CommandResults.of(run);
        assertEquals("repo/app:1", success.outputVariables().get("IMAGE"));
        assertEquals("", success.outputVariables().get("EMPTY"));
        assertEquals("run-1", success.executionDetails().externalExecutionId());

        CommandResults.Finished next = finished(0, new OutputTail());
        Files.writeString(next.tokenFile(), "\n  page-2  \n");
        success = (SuccessResult) CommandResults.of(next);
        assertEquals("page-2", success.continuationToken());
        assertTrue(success.executionDetails().summary().endsWith("the action goes on with a follow-up job"));
    }

    @Test
    void aVariableCodePipelineRefusesFailsTheJobWithoutItsValue() throws IOException {
        CommandResults.Finished run = finished(0, new OutputTail());
        Files.writeString(run.variablesFile(), "{\"bad.key\": \"the-value\"}");
        String message = ((FailureResult) CommandResults.of(run)).message();
        assertTrue(message.startsWith("build.sh exited 0, but its result breaks CodePipeline's rules: "
                + "outputVariables"), message);
        assertFalse(message.contains("the-value"), message);
    }
}
