package io.jenkins.plugins.codepipeline.cli;

import static io.jenkins.plugins.codepipeline.cli.CliRunner.JOB_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --dry-run: the request body on stdout, nothing sent, no credentials; and where the settings come from. */
class DryRunTest {
    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    private Run dryRun(String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--dry-run";
        Run run = cli.run(all);
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals(0, cli.credentials.built.get(), "a dry run needs no credentials");
        assertTrue(run.err().contains("Dry run: nothing sent"), run::toString);
        return run;
    }

    private static String oneLine(String json) {
        return json.replaceAll("\\s+", "");
    }

    @Test
    void successWithEveryField() {
        Run run = dryRun("success", "--job-id", JOB_ID, "--revision", "abc", "--change-identifier", "c-1",
                "--revision-summary", "Fix ü", "--revision-created", "2026-11-25T10:00:00Z", "--summary", "done",
                "--external-execution-id", "build-7", "--percent-complete", "50", "--output-variable", "A=b=c",
                "--output-variable", "EMPTY=");
        String json = oneLine(run.out());
        assertTrue(json.startsWith("{\"jobId\":\"" + JOB_ID + "\",\"currentRevision\":{\"revision\":\"abc\","
                + "\"changeIdentifier\":\"c-1\",\"created\":"), json);
        assertTrue(json.contains("\"revisionSummary\":\"Fixü\""), json);
        assertTrue(json.contains("\"executionDetails\":{\"summary\":\"done\",\"externalExecutionId\":\"build-7\","
                + "\"percentComplete\":50}"), json);
        assertTrue(json.endsWith("\"outputVariables\":{\"A\":\"b=c\",\"EMPTY\":\"\"}}"), json);
        assertEquals(1_795_600_800.0, created(json), 0.0);
        assertTrue(run.out().contains("\n  \""), "pretty-printed");
    }

    @Test
    void revisionCreatedWithAnOffset() {
        String json = oneLine(dryRun("success", "--job-id", JOB_ID, "--revision", "abc", "--change-identifier", "c",
                "--revision-created", "2026-11-25T11:00:00+01:00").out());
        assertEquals(1_795_600_800.0, created(json), 0.0);
    }

    /** The number after "created": (JSON numbers may be written with an exponent). */
    private static double created(String json) {
        int start = json.indexOf("\"created\":") + "\"created\":".length();
        int end = start;
        while (end < json.length() && "0123456789.eE+-".indexOf(json.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(json.substring(start, end));
    }

    @Test
    void minimalSuccessIsTheJobIdAlone() {
        assertEquals("{\"jobId\":\"" + JOB_ID + "\"}", oneLine(dryRun("success", "--job-id", JOB_ID).out()));
    }

    @ParameterizedTest
    @CsvSource({"JobFailed,JobFailed", "job-failed,JobFailed", "JOB_FAILED,JobFailed",
            "configurationerror,ConfigurationError", "PermissionError,PermissionError",
            "revision_out_of_sync,RevisionOutOfSync", "RevisionUnavailable,RevisionUnavailable",
            "SYSTEM-UNAVAILABLE,SystemUnavailable"})
    void failureTypeSpellings(String given, String sent) {
        String json = oneLine(dryRun("failure", "--job-id", JOB_ID, "--type", given, "--message", "it broke",
                "--external-execution-id", "b-1").out());
        assertEquals("{\"jobId\":\"" + JOB_ID + "\",\"failureDetails\":{\"type\":\"" + sent + "\",\"message\":"
                + "\"itbroke\",\"externalExecutionId\":\"b-1\"}}", json);
    }

    @Test
    void variablesFromEveryKindOfSourceInOrder() throws IOException {
        Path properties = dir.resolve("a.properties");
        Files.writeString(properties, "P1=p\nSHARED=same\n");
        Path dotenv = dir.resolve("b.env");
        Files.writeString(dotenv, "export D1=\"d d\"\n");
        Path json = dir.resolve("c.json");
        Files.writeString(json, "{\"J1\": 1.50, \"J2\": true}");
        cli.env("BUILD_NUMBER", "7").env("GIT_COMMIT", "abc").env("GIT_BRANCH", "main").env("OTHER", "x");
        String out = oneLine(dryRun("success", "--job-id", JOB_ID, "--output-variable", "X=1",
                "--output-variable", "SHARED=same", "--output-variables-file", properties.toString(),
                "--output-variables-file", dotenv.toString(), "--output-variables-file", json.toString(),
                "--output-variables-from-env", "GIT_*", "--output-variables-from-env", "BUILD_NUMBER").out());
        assertTrue(out.endsWith("\"outputVariables\":{\"X\":\"1\",\"SHARED\":\"same\",\"P1\":\"p\",\"D1\":\"dd\","
                + "\"J1\":\"1.50\",\"J2\":\"true\",\"GIT_BRANCH\":\"main\",\"GIT_COMMIT\":\"abc\","
                + "\"BUILD_NUMBER\":\"7\"}}"), out);
    }

    @Test
    void explicitFileFormat() throws IOException {
        Path file = dir.resolve("vars.txt");
        Files.writeString(file, "{\"A\": \"1\"}");
        String out = oneLine(dryRun("success", "--job-id", JOB_ID, "--output-variables-file", file.toString(),
                "--output-variables-file-format", "JSON").out());
        assertTrue(out.endsWith("\"outputVariables\":{\"A\":\"1\"}}"), out);
    }

    @Test
    void aGlobMatchingNothingIsAWarning() {
        Run run = dryRun("success", "--job-id", JOB_ID, "--output-variables-from-env", "NOTHING_*");
        assertTrue(run.err().contains("Warning: --output-variables-from-env 'NOTHING_*' matches no environment"),
                run::toString);
        assertFalse(run.out().contains("outputVariables"), run::toString);
    }

    @Test
    void truncateLongTextShortensAndWarns() {
        Run run = dryRun("success", "--job-id", JOB_ID, "--summary", "s".repeat(3000), "--revision", "r",
                "--change-identifier", "c", "--revision-summary", "r".repeat(2049), "--truncate-long-text");
        assertTrue(run.err().contains("Warning: shortened to the limit (--truncate-long-text): "
                + "executionDetails.summary, currentRevision.revisionSummary"), run::toString);
        String expected = "s".repeat(2048 - LongTextShortener.MARKER.length()) + LongTextShortener.MARKER;
        assertTrue(run.out().contains("\"summary\" : \"" + expected + "\""), run::toString);
    }

    @Test
    void truncateLongTextLeavesShortTextAlone() {
        Run run = dryRun("failure", "--job-id", JOB_ID, "--type", "JobFailed", "--message", "short",
                "--truncate-long-text");
        assertFalse(run.err().contains("Warning"), run::toString);
    }

    @Test
    void regionAndEndpointDefaults() {
        Run run = dryRun("success", "--job-id", JOB_ID);
        assertTrue(run.err().contains("codepipeline.us-east-1 (AWS) in region us-east-1 (region from the default)"),
                run::toString);
    }

    @Test
    void regionFromAwsRegionBeforeAwsDefaultRegion() {
        cli.env("AWS_REGION", "eu-west-1").env("AWS_DEFAULT_REGION", "us-west-2");
        assertTrue(dryRun("success", "--job-id", JOB_ID).err()
                .contains("in region eu-west-1 (region from the environment variable AWS_REGION)"));
    }

    @Test
    void regionFromAwsDefaultRegion() {
        cli.env("AWS_REGION", " ").env("AWS_DEFAULT_REGION", "ap-south-1");
        assertTrue(dryRun("success", "--job-id", JOB_ID).err()
                .contains("in region ap-south-1 (region from the environment variable AWS_DEFAULT_REGION)"));
    }

    @Test
    void regionOptionBeforeTheEnvironment() {
        cli.env("AWS_REGION", "eu-west-1");
        assertTrue(dryRun("success", "--job-id", JOB_ID, "--region", "eu-central-1").err()
                .contains("in region eu-central-1 (region from --region)"));
    }

    @Test
    void endpointFromTheServiceSpecificVariableFirst() {
        cli.env("AWS_ENDPOINT_URL_CODEPIPELINE", "http://127.0.0.1:4566").env("AWS_ENDPOINT_URL", "http://other:1");
        assertTrue(dryRun("success", "--job-id", JOB_ID).err().contains("go to http://127.0.0.1:4566 in region "
                + "us-east-1 (region from the default, endpoint from the environment variable "
                + "AWS_ENDPOINT_URL_CODEPIPELINE)"));
    }

    @Test
    void endpointFromAwsEndpointUrl() {
        cli.env("AWS_ENDPOINT_URL", "https://vpce.example.com");
        assertTrue(dryRun("success", "--job-id", JOB_ID).err()
                .contains("go to https://vpce.example.com in region us-east-1"));
    }

    @Test
    void endpointOptionBeforeTheEnvironment() {
        cli.env("AWS_ENDPOINT_URL_CODEPIPELINE", "http://127.0.0.1:4566");
        assertTrue(dryRun("success", "--job-id", JOB_ID, "--endpoint-url", "https://fips.example.com").err()
                .contains("go to https://fips.example.com in region us-east-1 (region from the default, endpoint "
                        + "from --endpoint-url)"));
    }
}
