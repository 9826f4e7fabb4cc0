package io.jenkins.plugins.codepipeline.cli;

import static io.jenkins.plugins.codepipeline.cli.CliRunner.JOB_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way to exit with 2: nothing sent, no credentials asked for, nothing on stdout. */
class LocalRefusalTest {
    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    private Run refused(String... args) {
        Run run = cli.run(args);
        assertEquals(ExitCodes.REFUSED_LOCALLY, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(0, cli.credentials.built.get(), "credentials were asked for");
        return run;
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "expected '" + part + "' in:\n" + text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-job", "0A1B2C3D-1111-2222-3333-444455556666", "0a1b2c3d11112222333344445555666"})
    void badJobId(String jobId) {
        Run run = refused("success", "--job-id", jobId);
        assertContains(run.err(), "PutJobSuccessResult not sent", "jobId");
    }

    @Test
    void emptyJobIdOfAFailure() {
        assertContains(refused("failure", "--job-id", "", "--type", "JobFailed", "--message", "m").err(),
                "PutJobFailureResult not sent", "jobId: is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"101", "-1"})
    void percentOutOfRange(String percent) {
        assertContains(refused("success", "--job-id", JOB_ID, "--percent-complete", percent).err(),
                "executionDetails.percentComplete", "0–100");
    }

    @Test
    void percentNotANumber() {
        assertContains(refused("success", "--job-id", JOB_ID, "--percent-complete", "half").err(),
                "--percent-complete", "half");
    }

    @Test
    void everyViolationAtOnce() {
        Run run = refused("success", "--job-id", "nope", "--percent-complete", "200", "--revision", "r");
        assertContains(run.err(), "3 problems", "jobId", "percentComplete", "currentRevision.changeIdentifier");
    }

    @Test
    void revisionWithoutChangeIdentifier() {
        assertContains(refused("success", "--job-id", JOB_ID, "--revision", "abc").err(),
                "currentRevision.changeIdentifier: is missing");
    }

    @Test
    void changeIdentifierWithoutRevision() {
        assertContains(refused("success", "--job-id", JOB_ID, "--change-identifier", "c",
                "--revision-created", "2026-11-25T10:00:00Z").err(), "currentRevision.revision: is missing");
    }

    @Test
    void variablesOneByteOverTheQuota() throws IOException {
        // "V" plus 122880 bytes of value: 1 byte over
        Path file = dir.resolve("big.properties");
        Files.writeString(file, "V=" + "x".repeat(122_880), StandardCharsets.UTF_8);
        Run run = refused("success", "--job-id", JOB_ID, "--output-variables-file", file.toString());
        assertContains(run.err(), "outputVariables", "122881 bytes, 1 too many", "122880 bytes");
    }

    @Test
    void variablesOverTheQuotaCountUtf8Bytes() {
        // 61439 two-byte characters = 122878 bytes, plus "A" and "B": 122880, fine; one more character: over
        String value = "é".repeat(61_439);
        assertEquals(0, cli.run("success", "--job-id", JOB_ID, "--output-variable", "A=" + value,
                "--output-variable", "B=", "--dry-run").exitCode());
        assertContains(refused("success", "--job-id", JOB_ID, "--output-variable", "A=" + value + "é",
                "--output-variable", "B=").err(), "122882 bytes, 2 too many");
    }

    @Test
    void continuationTokenWithVariables() {
        assertContains(refused("success", "--job-id", JOB_ID, "--continuation-token", "t",
                "--output-variable", "A=1").err(), "outputVariables", "continuationToken");
    }

    @Test
    void badVariableName() {
        assertContains(refused("success", "--job-id", JOB_ID, "--output-variable", "MY VAR=1").err(),
                "outputVariables[\"MY VAR\"]", "MY_VAR");
    }

    @Test
    void unknownFailureType() {
        Run run = refused("failure", "--job-id", JOB_ID, "--type", "Exploded", "--message", "m");
        assertContains(run.err(), "--type", "'Exploded'", "JobFailed, ConfigurationError, PermissionError",
                "SystemUnavailable");
    }

    @Test
    void failureNeedsTypeAndMessage() {
        assertContains(refused("failure", "--job-id", JOB_ID).err(), "--type", "--message");
    }

    @Test
    void overLongMessageWithoutTruncation() {
        assertContains(refused("failure", "--job-id", JOB_ID, "--type", "JobFailed", "--message", "m".repeat(5001))
                .err(), "failureDetails.message", "5001 characters", "--truncate-long-text");
    }

    @Test
    void outputVariableWithoutEqualsSign() {
        Run run = refused("success", "--job-id", JOB_ID, "--output-variable", "s3cr3tValue");
        assertContains(run.err(), "--output-variable", "KEY=VALUE");
        assertFalse(run.err().contains("s3cr3tValue"), "the argument is repeated: it may be a secret");
    }

    @Test
    void malformedDotenvFile() throws IOException {
        Path file = dir.resolve("vars.env");
        Files.writeString(file, "GOOD=1\nthis line has no equals sign\nQ=\"unterminated s3cr3t\n");
        Run run = refused("success", "--job-id", JOB_ID, "--output-variables-file", file.toString());
        assertContains(run.err(), "output variables could not be read", file + ":2");
        assertFalse(run.err().contains("s3cr3t"), run::toString);
    }

    @Test
    void malformedJsonFile() throws IOException {
        Path file = dir.resolve("vars.json");
        Files.writeString(file, "{\"A\": [1, 2], \"B\": \"s3cr3t\"");
        Run run = refused("success", "--job-id", JOB_ID, "--output-variables-file", file.toString());
        assertContains(run.err(), file + ":1", "\"A\"");
        assertFalse(run.err().contains("s3cr3t"), run::toString);
    }

    @Test
    void everyBadFileReported() throws IOException {
        Path missing = dir.resolve("missing.properties");
        Path unknown = dir.resolve("vars.yaml");
        Files.writeString(unknown, "A: 1\n");
        Run run = refused("success", "--job-id", JOB_ID, "--output-variables-file", missing.toString(),
                "--output-variables-file", unknown.toString());
        assertContains(run.err(), missing + " does not exist", "cannot tell the format of variables file " + unknown);
    }

    @Test
    void unknownFileFormat() {
        assertContains(refused("success", "--job-id", JOB_ID, "--output-variables-file-format", "yaml").err(),
                "--output-variables-file-format", "auto, properties, dotenv, json");
    }

    @Test
    void conflictingSourcesNameKeysAndSourcesNotValues() throws IOException {
        Path file = dir.resolve("a.env");
        Files.writeString(file, "SHARED=fromFile\n");
        Run run = refused("success", "--job-id", JOB_ID, "--output-variable", "SHARED=fromOption",
                "--output-variables-file", file.toString());
        assertContains(run.err(), "\"SHARED\"", "--output-variable", "file " + file);
        assertFalse(run.err().contains("fromFile") || run.err().contains("fromOption"), run::toString);
    }

    @Test
    void sameOptionTwiceWithDifferentValues() {
        assertContains(refused("success", "--job-id", JOB_ID, "--output-variable", "A=1", "--output-variable",
                "A=2").err(), "\"A\" is defined differently by --output-variable");
    }

    @Test
    void unsetEnvironmentVariable() {
        assertContains(refused("success", "--job-id", JOB_ID, "--output-variables-from-env", "NOT_SET").err(),
                "environment variable NOT_SET is not set");
    }

    @Test
    void malformedRegionNamesItsSource() {
        cli.env("AWS_REGION", "Europe");
        assertContains(refused("success", "--job-id", JOB_ID).err(), "region 'Europe'",
                "the environment variable AWS_REGION");
        assertContains(refused("success", "--job-id", JOB_ID, "--region", "eu_west_1").err(), "region 'eu_west_1'",
                "--region");
    }

    @Test
    void malformedEndpoint() {
        assertContains(refused("success", "--job-id", JOB_ID, "--endpoint-url", "ftp://example.com").err(),
                "endpoint URL 'ftp://example.com'", "--endpoint-url");
        cli.env("AWS_ENDPOINT_URL", "not a url");
        assertContains(refused("success", "--job-id", JOB_ID).err(), "AWS_ENDPOINT_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "21"})
    void maxAttemptsOutOfRange(String attempts) {
        assertContains(refused("success", "--job-id", JOB_ID, "--max-attempts", attempts).err(),
                "--max-attempts " + attempts, "1–20");
    }

    @Test
    void timeoutNotPositive() {
        assertContains(refused("success", "--job-id", JOB_ID, "--timeout", "0").err(), "--timeout 0");
    }

    @Test
    void badRevisionCreated() {
        assertContains(refused("success", "--job-id", JOB_ID, "--revision", "r", "--change-identifier", "c",
                "--revision-created", "25.11.2026").err(), "--revision-created", "ISO-8601", "2026-11-25T10:00:00Z");
    }

    @Test
    void missingSubcommandOrJobIdOrUnknownOption() {
        assertContains(refused().err(), "Missing subcommand");
        assertContains(refused("success").err(), "Missing required option: '--job-id=ID'");
        assertContains(refused("success", "--job-id", JOB_ID, "--summry", "s").err(), "--summry", "--summary");
        assertContains(refused("report").err(), "report");
    }

    @Test
    void dryRunOfAnInvalidResultIsRefusedToo() {
        assertContains(refused("failure", "--job-id", JOB_ID, "--type", "JobFailed", "--message", "", "--dry-run")
                .err(), "failureDetails.message: is empty");
    }
}
