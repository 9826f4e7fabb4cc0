package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker against core's in-process endpoint: one poll (--once), a command per job, its result reported. */
class WorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_VALUE = "s3cr3t-config-value";

    @TempDir
    Path dir;

    private FakeCodePipeline endpoint;
    private final CliRunner cli = new CliRunner();

    @BeforeEach
    void start() throws IOException {
        endpoint = new FakeCodePipeline();
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1",
                new LinkedHashMap<>(Map.of("ProjectName", false, "Token", true, "Flavour", false)));
        cli.env("PATH", System.getenv("PATH")).env("OUT", dir.toString())
                .env("CODEPIPELINE_CONTINUATION_TOKEN", "inherited-must-not-show");
    }

    @AfterEach
    void stop() throws IOException {
        endpoint.close();
    }

    private Run worker(String... args) {
        // the jobs here have artifacts but no artifact store: WorkerArtifactsTest moves them through S3Proxy
        List<String> all = new ArrayList<>(List.of("worker", "--category", "Build", "--provider", "Jenkins",
                "--version", "1", "--once", "--no-artifacts", "--endpoint-url", endpoint.endpoint().toString()));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.body());
    }

    private RecordedRequest resultOf(String jobId, String operation) {
        List<RecordedRequest> results = endpoint.requests(operation).stream()
                .filter(r -> jobId.equals(r.jobId())).toList();
        assertEquals(1, results.size(), () -> operation + " requests for " + jobId + ": " + results);
        return results.get(0);
    }

    private FakeJob job(String projectName) {
        return FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", projectName, "Token", SECRET_VALUE,
                "Flavour", "vanilla")).withArtifacts(List.of("source"), List.of("built"));
    }

    @Test
    void onceRunsTheCommandOfEachJobWithItsEnvironmentAndReportsItsVariables() throws IOException {
        FakeJob first = job("app");
        FakeJob second = job("app");
        FakeJob other = job("other");
        endpoint.addJob(first).addJob(second).addJob(other);
        Run run = worker("--query", "ProjectName=app", "--max-jobs", "5", "--", "/bin/sh", "-c",
                "env | grep '^CODEPIPELINE_' | sort > \"$OUT/$CODEPIPELINE_JOB_ID.env\"; "
                        + "printf 'BUILT=%s\\nRUN=%s\\n' \"$CODEPIPELINE_CONFIG_ProjectName\" "
                        + "\"$CODEPIPELINE_EXTERNAL_EXECUTION_ID\" > \"$CODEPIPELINE_OUTPUT_VARIABLES_FILE\"; "
                        + "echo built $CODEPIPELINE_JOB_ID; echo warned >&2");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("Succeeded", endpoint.jobStatus(first.jobId()));
        assertEquals("Succeeded", endpoint.jobStatus(second.jobId()));
        assertEquals("Created", endpoint.jobStatus(other.jobId()), "a job of another query value was taken");
        JsonNode poll = body(endpoint.requests("PollForJobs").get(0));
        assertEquals(5, poll.get("maxBatchSize").asInt());
        assertEquals("app", poll.get("queryParam").get("ProjectName").asText());

        for (FakeJob job : List.of(first, second)) {
            String env = Files.readString(dir.resolve(job.jobId() + ".env"));
            assertTrue(env.contains("CODEPIPELINE_JOB_ID=" + job.jobId() + "\n"), env);
            assertTrue(env.contains("CODEPIPELINE_REGION=us-east-1\n"), env);
            assertTrue(env.contains("CODEPIPELINE_ACCOUNT_ID=123456789012\n"), env);
            assertTrue(env.contains("CODEPIPELINE_PIPELINE_NAME=demo\n"), env);
            assertTrue(env.contains("CODEPIPELINE_STAGE_NAME=Build\n"), env);
            assertTrue(env.contains("CODEPIPELINE_ACTION_NAME=Jenkins\n"), env);
            assertTrue(env.contains("CODEPIPELINE_CONFIG_ProjectName=app\n"), env);
            assertTrue(env.contains("CODEPIPELINE_CONFIG_Flavour=vanilla\n"), env);
            assertTrue(env.contains("CODEPIPELINE_INPUT_ARTIFACTS=source\n"), env);
            assertTrue(env.contains("CODEPIPELINE_OUTPUT_ARTIFACTS=built\n"), env);
            assertTrue(env.contains("CODEPIPELINE_INPUT_REVISION_source=" + FakeJob.revision("source")), env);
            assertTrue(env.contains("CODEPIPELINE_OUTPUT_VARIABLES_FILE=/"), env);
            assertTrue(env.contains("CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE=/"), env);
            assertFalse(env.contains("CODEPIPELINE_CONFIG_Token"), env);
            assertFalse(env.contains("CODEPIPELINE_CONTINUATION_TOKEN="), "inherited token: " + env);
            for (String secret : List.of(SECRET_VALUE, FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID,
                    FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY, FakeCodePipeline.ARTIFACT_SESSION_TOKEN)) {
                assertFalse(env.contains(secret), secret + " in the command's environment");
                assertFalse(run.out().contains(secret) || run.err().contains(secret), secret + " in the output");
            }

            JsonNode success = body(resultOf(job.jobId(), "PutJobSuccessResult"));
            String runId = success.get("executionDetails").get("externalExecutionId").asText();
            assertTrue(env.contains("CODEPIPELINE_EXTERNAL_EXECUTION_ID=" + runId + "\n"), env);
            assertEquals("app", success.get("outputVariables").get("BUILT").asText(), success::toString);
            assertEquals(runId, success.get("outputVariables").get("RUN").asText());
            assertTrue(success.get("executionDetails").get("summary").asText().startsWith("sh exited 0 after "),
                    success::toString);
            assertNull(success.get("continuationToken"));
            // the output goes through, prefixed by the job id
            assertTrue(run.out().contains("[" + job.jobId() + "] built " + job.jobId() + "\n"), run::toString);
            assertTrue(run.out().contains("[" + job.jobId() + "] warned\n"), run::toString);
            assertTrue(run.err().contains("Job " + job.jobId() + ": started sh"), run::toString);
            assertTrue(run.err().contains("Reported success for job " + job.jobId()), run::toString);
        }
        assertTrue(run.err().contains("Polled Build/Custom/Jenkins/1 ProjectName=app in us-east-1: 2 job(s)"),
                run::toString);
        assertEquals(1, endpoint.requests("PollForJobs").size(), "--once polls once");
    }

    @Test
    void aFailingCommandIsReportedWithTheEndOfItsOutput() throws IOException {
        FakeJob job = job("app");
        endpoint.addJob(job);
        Run run = worker("--", "/bin/sh", "-c",
                "i=0; while [ $i -lt 2000 ]; do echo \"line $i ü\"; i=$((i+1)); done; echo 'the last words' >&2; "
                        + "exit 3");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), "a delivered failure is a delivered result: " + run);
        assertEquals("Failed", endpoint.jobStatus(job.jobId()));
        JsonNode details = body(resultOf(job.jobId(), "PutJobFailureResult")).get("failureDetails");
        assertEquals("JobFailed", details.get("type").asText());
        String message = details.get("message").asText();
        assertTrue(message.startsWith("sh exited with code 3 after "), message);
        assertTrue(message.endsWith("line 1999 ü\nthe last words"), message);
        assertTrue(message.contains("The end of its output:\n…"), message);
        assertFalse(message.contains("line 0 ü"), "the beginning is cut");
        assertTrue(message.codePointCount(0, message.length()) <= 5000, "over the limit: " + message.length());
        assertTrue(message.codePointCount(0, message.length()) > 4900, "the room is used: " + message.length());
        assertTrue(details.get("externalExecutionId").asText().matches("[0-9a-f]{8}-1"), details::toString);
        assertTrue(run.err().contains("sh exited with code 3"), run::toString);
    }

    @Test
    void aCommandWithoutOutputFailsWithThatSaid() throws IOException {
        FakeJob job = job("app");
        endpoint.addJob(job);
        Run run = worker("--", "/bin/sh", "-c", "kill -TERM $$");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        String message = body(resultOf(job.jobId(), "PutJobFailureResult")).get("failureDetails").get("message")
                .asText();
        assertTrue(message.startsWith("sh exited with code 143 (SIGTERM) after "), message);
        assertTrue(message.endsWith("It printed nothing."), message);
    }

    @Test
    void aContinuationTokenHandsTheActionToAFollowUpJob() throws IOException {
        FakeJob job = job("app");
        endpoint.addJob(job);
        String script = "if [ -n \"$CODEPIPELINE_CONTINUATION_TOKEN\" ]; then "
                + "echo \"TOKEN_SEEN=$CODEPIPELINE_CONTINUATION_TOKEN\" > \"$CODEPIPELINE_OUTPUT_VARIABLES_FILE\"; "
                + "else echo ' step-2 ' > \"$CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE\"; fi";
        Run first = worker("--", "/bin/sh", "-c", script);
        assertEquals(ExitCodes.DELIVERED, first.exitCode(), first::toString);
        JsonNode success = body(resultOf(job.jobId(), "PutJobSuccessResult"));
        assertEquals("step-2", success.get("continuationToken").asText(), success::toString);
        assertNull(success.get("outputVariables"), success::toString);
        assertTrue(first.err().contains("reporting success with a continuation token"), first::toString);

        String followUp = endpoint.followUpJobId(job.jobId());
        assertNotNull(followUp);
        Run second = worker("--", "/bin/sh", "-c", script);
        assertEquals(ExitCodes.DELIVERED, second.exitCode(), second::toString);
        assertTrue(second.err().contains("a follow-up job"), second::toString);
        JsonNode last = body(resultOf(followUp, "PutJobSuccessResult"));
        assertEquals("step-2", last.get("outputVariables").get("TOKEN_SEEN").asText(), last::toString);
        assertNull(last.get("continuationToken"));
    }

    @Test
    void tokenAndVariablesTogetherAreAFailure() throws IOException {
        FakeJob job = job("app");
        endpoint.addJob(job);
        Run run = worker("--", "/bin/sh", "-c", "echo A=1 > \"$CODEPIPELINE_OUTPUT_VARIABLES_FILE\"; "
                + "echo t > \"$CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        String message = body(resultOf(job.jobId(), "PutJobFailureResult")).get("failureDetails").get("message")
                .asText();
        assertTrue(message.contains("both output variables (A) and a continuation token"), message);
    }

    @Test
    void variablesAsJsonAndBrokenVariables() throws IOException {
        FakeJob json = job("app");
        endpoint.addJob(json);
        Run run = worker("--", "/bin/sh", "-c",
                "printf '{\"COUNT\": 3, \"NAME\": \"x y\"}' > \"$CODEPIPELINE_OUTPUT_VARIABLES_FILE\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        JsonNode variables = body(resultOf(json.jobId(), "PutJobSuccessResult")).get("outputVariables");
        assertEquals("3", variables.get("COUNT").asText());
        assertEquals("x y", variables.get("NAME").asText());

        FakeJob broken = job("app");
        endpoint.addJob(broken);
        run = worker("--", "/bin/sh", "-c", "printf 'GOOD=1\\nnot a line\\n' > \"$CODEPIPELINE_OUTPUT_VARIABLES_FILE\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        String message = body(resultOf(broken.jobId(), "PutJobFailureResult")).get("failureDetails")
                .get("message").asText();
        assertTrue(message.startsWith("sh exited 0, but its output variables could not be read (dotenv): "),
                message);
        assertTrue(message.contains("CODEPIPELINE_OUTPUT_VARIABLES_FILE:2"), message);
    }

    @Test
    void noJobsIsASuccessfulOnceAndAFailedPollIsNot() {
        Run run = worker("--", "/bin/true");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no jobs"), run::toString);

        endpoint.enqueue(new FakeCodePipeline.Error(400, "AccessDeniedException", "not authorized to poll"));
        run = worker("--", "/bin/true");
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("AccessDeniedException"), run::toString);
    }

    @Test
    void aLateResultIsReportedAsNotDelivered() throws Exception {
        FakeJob job = job("app");
        endpoint.addJob(job);
        Path started = dir.resolve("started");
        Thread timeout = new Thread(() -> {
            try {
                for (int i = 0; i < 200 && !Files.exists(started); i++) {
                    Thread.sleep(50);
                }
                endpoint.setJobStatus(job.jobId(), "TimedOut");
                Files.writeString(dir.resolve("timed-out"), "yes");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        timeout.start();
        Run run = worker("--", "/bin/sh", "-c",
                "touch \"$OUT/started\"; while [ ! -f \"$OUT/timed-out\" ]; do sleep 0.05; done");
        timeout.join();
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertEquals("TimedOut", endpoint.jobStatus(job.jobId()));
        assertTrue(run.err().contains("the success result was not delivered"), run::toString);
        assertTrue(run.err().contains("InvalidJobStateException"), run::toString);
    }

    @Test
    void theJournalFailsTheJobsOfAWorkerThatDied() throws IOException {
        FakeJob left = job("app");
        endpoint.addJob(left);
        endpoint.setJobStatus(left.jobId(), "InProgress");
        Path journalFile = dir.resolve("jobs.json");
        new JobJournal(journalFile).put(new JobJournal.Entry(left.jobId(), "us-east-1",
                endpoint.endpoint().toString(), Worker.CREDENTIALS_KEY, Worker.JOURNAL_OWNER, 0, 0,
                JobJournal.State.BUILDING, Instant.parse("2026-01-01T10:00:00Z"), "demo/Build/Jenkins"));
        FakeJob fresh = job("app");
        endpoint.addJob(fresh);

        Run run = worker("--journal", journalFile.toString(), "--", "/bin/true");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        String message = body(resultOf(left.jobId(), "PutJobFailureResult")).get("failureDetails").get("message")
                .asText();
        assertTrue(message.contains("the worker stopped before the command finished")
                || message.contains("worker stopped before the command finished"), message);
        assertEquals("Failed", endpoint.jobStatus(left.jobId()));
        assertEquals("Succeeded", endpoint.jobStatus(fresh.jobId()));
        assertTrue(new JobJournal(journalFile).entries().isEmpty(), "the journal is empty at the end");
        String journalText = Files.readString(journalFile, StandardCharsets.UTF_8);
        assertFalse(journalText.contains(SECRET_VALUE), journalText);
    }

    @Test
    void aJournalInUseIsRefused() throws Exception {
        Path journalFile = dir.resolve("busy.json");
        try (var channel = java.nio.channels.FileChannel.open(dir.resolve("busy.json.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                var lock = channel.lock()) {
            Run run = worker("--journal", journalFile.toString(), "--", "/bin/true");
            assertEquals(ExitCodes.REFUSED_LOCALLY, run.exitCode(), run::toString);
            assertTrue(run.err().contains("in use by another running worker"), run::toString);
        }
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void optionsAreCheckedBeforeAnythingIsSent() {
        List<List<String>> cases = List.of(
                List.of("worker", "--category", "Bild", "--provider", "Jenkins", "--version", "1", "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jen kins", "--version", "1", "--",
                        "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1", "--max-jobs", "0",
                        "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1",
                        "--poll-interval", "0", "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1", "--query",
                        "ProjectName=far/too/long/for/a/query/value", "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1", "--",
                        "/no/such/command"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1", "--",
                        "no-such-command-on-the-path"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1",
                        "--no-artifacts", "--artifacts-dir", dir.resolve("a").toString(), "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1",
                        "--no-artifacts", "--s3-endpoint-url", "http://127.0.0.1:9", "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1", "--max-jobs", "2",
                        "--artifacts-dir", dir.resolve("a").toString(), "--", "/bin/true"),
                List.of("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1",
                        "--s3-endpoint-url", "ftp://127.0.0.1:9", "--", "/bin/true"));
        List<String> expected = List.of("--category 'Bild' is not an action category", "--provider 'Jen kins'",
                "--max-jobs 0 is not in 1-100", "--poll-interval 0 is not in 1-3600", "--query: query value",
                "COMMAND /no/such/command does not exist", "was not found on the PATH", "COMMAND",
                "--artifacts-dir has no use with --no-artifacts", "--s3-endpoint-url has no use with --no-artifacts",
                "would share it", "(from --s3-endpoint-url)");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(cases.get(i));
            // options after COMMAND belong to it: the endpoint goes first
            args.addAll(1, List.of("--endpoint-url", endpoint.endpoint().toString()));
            Run run = cli.run(args.toArray(String[]::new));
            String want = expected.get(i);
            assertEquals(ExitCodes.REFUSED_LOCALLY, run.exitCode(), () -> args + "\n" + run);
            assertTrue(run.err().contains(want), () -> "expected '" + want + "' in\n" + run);
            assertTrue(run.err().contains("Nothing was polled"), run::toString);
            assertEquals("", run.out());
        }
        assertTrue(endpoint.requests().isEmpty(), "something was sent");
        assertEquals(0, cli.credentials.built.get(), "credentials were asked for");
    }

    @Test
    void argumentsAfterTheCommandAreTheCommands() {
        FakeJob job = job("app");
        endpoint.addJob(job);
        // no -- : sh's -c is not taken for an option of the worker
        Run run = cli.run("worker", "--category", "Build", "--provider", "Jenkins", "--version", "1", "--once",
                "--no-artifacts", "--endpoint-url", endpoint.endpoint().toString(), "/bin/sh", "-c", "echo --once");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.out().contains("] --once"), run::toString);
    }

    @Test
    void helpDocumentsTheOptionsTheEnvironmentAndTheExitCodes() {
        Run run = cli.run("worker", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (String text : List.of("--category", "--provider", "--version", "--query", "--region", "--endpoint-url",
                "--max-jobs", "--poll-interval", "--once", "--journal", "CODEPIPELINE_OUTPUT_VARIABLES_FILE",
                "CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE", "CODEPIPELINE_CONTINUATION_TOKEN",
                "CODEPIPELINE_CONFIG_", "SIGTERM", "Exit codes:", "143", "--artifacts-dir", "--no-artifacts",
                "--s3-endpoint-url", "CODEPIPELINE_INPUT_ARTIFACTS_DIR", "CODEPIPELINE_OUTPUT_ARTIFACTS_DIR",
                "CODEPIPELINE_OUTPUT_ARTIFACTS_FILE", "ConfigurationError", "GetJobDetails")) {
            assertTrue(run.out().contains(text), () -> text + " missing from\n" + run.out());
        }
    }
}
