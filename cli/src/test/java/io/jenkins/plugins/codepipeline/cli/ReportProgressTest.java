package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's --report-progress against core's in-process endpoint: early report, follow-up job, final result. */
class ReportProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeCodePipeline endpoint;
    private final CliRunner cli = new CliRunner();

    @BeforeEach
    void start() throws IOException {
        endpoint = new FakeCodePipeline();
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1",
                new LinkedHashMap<>(Map.of("ProjectName", false)));
        cli.env("PATH", System.getenv("PATH")).env("OUT", dir.toString());
    }

    @AfterEach
    void stop() throws IOException {
        endpoint.close();
    }

    private Run worker(String... args) {
        List<String> all = new ArrayList<>(List.of("worker", "--category", "Build", "--provider", "Jenkins",
                "--version", "1", "--once", "--no-artifacts", "--poll-interval", "1", "--endpoint-url",
                endpoint.endpoint().toString()));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.body());
    }

    private List<RecordedRequest> requestsFor(String jobId, String operation) {
        return endpoint.requests(operation).stream().filter(r -> jobId.equals(r.jobId())).toList();
    }

    private static FakeJob job() {
        return FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", "app"));
    }

    @Test
    void theJobIsReportedEarlyAndTheResultGoesToTheFollowUpJob() throws IOException {
        FakeJob job = job();
        endpoint.addJob(job);
        String script = "echo \"$CODEPIPELINE_JOB_ID $CODEPIPELINE_EXTERNAL_EXECUTION_ID\" > \"$OUT/seen\"; "
                + "sleep 1; echo DONE=yes > \"$CODEPIPELINE_OUTPUT_VARIABLES_FILE\"";

        Run run = worker("--report-progress", "--", "/bin/sh", "-c", script);

        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        String[] seen = Files.readString(dir.resolve("seen"), StandardCharsets.UTF_8).strip().split(" ");
        assertEquals(job.jobId(), seen[0], "COMMAND keeps the first job's id");
        List<RecordedRequest> early = requestsFor(job.jobId(), "PutJobSuccessResult");
        assertEquals(1, early.size(), run::toString);
        JsonNode first = body(early.get(0));
        String token = first.get("continuationToken").asText();
        ContinuationTokens.Issued issued = ContinuationTokens.parse(token).orElseThrow();
        assertEquals(job.jobId(), issued.recordId());
        assertTrue(run.err().contains("jcp1:" + issued.fingerprint()), run::toString);
        assertEquals(seen[1], first.get("executionDetails").get("externalExecutionId").asText());
        assertEquals("sh running", first.get("executionDetails").get("summary").asText());
        assertNull(first.get("executionDetails").get("percentComplete"));
        assertNull(first.get("outputVariables"), first::toString);

        String followUp = endpoint.followUpJobId(job.jobId());
        assertNotNull(followUp);
        assertEquals(1, requestsFor(followUp, "AcknowledgeJob").size());
        List<RecordedRequest> last = requestsFor(followUp, "PutJobSuccessResult");
        assertEquals(1, last.size(), run::toString);
        JsonNode result = body(last.get(0));
        assertEquals("yes", result.get("outputVariables").get("DONE").asText(), result::toString);
        assertNull(result.get("continuationToken"), result::toString);
        assertEquals(seen[1], result.get("executionDetails").get("externalExecutionId").asText());
        assertEquals("Succeeded", endpoint.jobStatus(job.jobId()));
        assertEquals("Succeeded", endpoint.jobStatus(followUp));
        assertNull(endpoint.followUpJobId(followUp), "the chain ends with the final result");
        assertEquals(List.of(), endpoint.requests("PutJobFailureResult"));
        assertTrue(run.err().contains("the follow-up job of job " + job.jobId() + " is attached"), run::toString);
    }

    @Test
    void aFailureGoesToTheFollowUpJobAndTheJournalFollowsTheChain() throws IOException {
        FakeJob job = job();
        endpoint.addJob(job);
        Path journal = dir.resolve("jobs.json");

        Run run = worker("--report-progress", "--journal", journal.toString(), "--", "/bin/sh", "-c",
                "echo broken; exit 3");

        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        String followUp = endpoint.followUpJobId(job.jobId());
        assertNotNull(followUp, run::toString);
        JsonNode failure = body(requestsFor(followUp, "PutJobFailureResult").get(0));
        assertTrue(failure.get("failureDetails").get("message").asText().startsWith("sh exited with code 3"),
                failure::toString);
        assertEquals("Failed", endpoint.jobStatus(followUp));
        assertTrue(new JobJournal(journal).entries().isEmpty());
        byte[] identity = Files.readAllBytes(dir.resolve("jobs.json.identity"));
        assertEquals(32, identity.length);
        String token = body(requestsFor(job.jobId(), "PutJobSuccessResult").get(0)).get("continuationToken")
                .asText();
        assertEquals(ContinuationTokens.issue(ContinuationTokens.fingerprint(identity), job.jobId()), token);
    }

    @Test
    void aFollowUpJobOfAnotherWorkerIsLeftAlone() throws IOException {
        FakeJob foreign = job().withContinuationToken("jcp1:0123456789abcdef:" + UUID.randomUUID());
        endpoint.addJob(foreign);

        for (String[] options : List.of(new String[] {"--report-progress"}, new String[0])) {
            List<String> args = new ArrayList<>(List.of(options));
            args.addAll(List.of("--", "/bin/sh", "-c", "touch \"$OUT/ran\""));
            Run run = worker(args.toArray(String[]::new));
            assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
            assertTrue(run.err().contains("left for the Jenkins instance 0123456789abcdef"), run::toString);
            endpoint.setJobStatus(foreign.jobId(), "Created"); // handed out again
        }
        assertEquals(List.of(), endpoint.requests("AcknowledgeJob"));
        assertEquals(List.of(), endpoint.requests("PutJobSuccessResult"));
        assertEquals(List.of(), endpoint.requests("PutJobFailureResult"));
        assertFalse(Files.exists(dir.resolve("ran")));
    }

    @Test
    void aFollowUpJobWhoseRunIsGoneGetsAFailure() throws IOException {
        Path journal = dir.resolve("jobs.json");
        byte[] identity = new byte[32];
        identity[0] = 7;
        Files.write(dir.resolve("jobs.json.identity"), identity);
        String firstJob = UUID.randomUUID().toString();
        new JobJournal(journal).put(new JobJournal.Entry(firstJob, "us-east-1", endpoint.endpoint().toString(),
                Worker.CREDENTIALS_KEY, Worker.JOURNAL_OWNER, 0, 0, JobJournal.State.AWAITING_FOLLOW_UP,
                Instant.parse("2026-01-01T10:00:00Z"), "demo/Build/Jenkins", firstJob, false));
        FakeJob followUp = job().withContinuationToken(ContinuationTokens.issue(
                ContinuationTokens.fingerprint(identity), firstJob));
        endpoint.addJob(followUp);

        Run run = worker("--report-progress", "--journal", journal.toString(), "--", "/bin/sh", "-c",
                "touch \"$OUT/ran\"");

        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertFalse(Files.exists(dir.resolve("ran")), "a follow-up job never runs COMMAND");
        JsonNode failure = body(requestsFor(followUp.jobId(), "PutJobFailureResult").get(0));
        String message = failure.get("failureDetails").get("message").asText();
        assertTrue(message.contains("no longer runs the action (its run for job " + firstJob + " is gone"), message);
        assertEquals("Failed", endpoint.jobStatus(followUp.jobId()));
        assertTrue(new JobJournal(journal).entries().isEmpty(), "the orphan is forgotten");
    }

    @Test
    void aUsersTokenStartingWithJcp1IsRefused() throws IOException {
        FakeJob job = job();
        endpoint.addJob(job);
        Run run = worker("--", "/bin/sh", "-c", "echo jcp1:mine > \"$CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE\"");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        JsonNode failure = body(requestsFor(job.jobId(), "PutJobFailureResult").get(0));
        String message = failure.get("failureDetails").get("message").asText();
        assertTrue(message.contains("starts with \"jcp1:\", which is reserved"), message);
        assertEquals(List.of(), endpoint.requests("PutJobSuccessResult"));

        Run success = cli.run("success", "--job-id", CliRunner.JOB_ID, "--continuation-token", "jcp1:abc",
                "--endpoint-url", endpoint.endpoint().toString());
        assertEquals(ExitCodes.REFUSED_LOCALLY, success.exitCode(), success::toString);
        assertTrue(success.err().contains("--continuation-token starts with \"jcp1:\""), success::toString);
        assertEquals(List.of(), endpoint.requests("PutJobSuccessResult"));
    }

    @Test
    void aUsersOwnTokenStillHandsTheActionToANewRun() throws IOException {
        FakeJob job = job();
        endpoint.addJob(job);
        String script = "if [ -n \"$CODEPIPELINE_CONTINUATION_TOKEN\" ]; then touch \"$OUT/second\"; "
                + "else echo step-2 > \"$CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE\"; fi";
        Run first = worker("--report-progress", "--", "/bin/sh", "-c", script);
        assertEquals(ExitCodes.DELIVERED, first.exitCode(), first::toString);
        String live = endpoint.followUpJobId(job.jobId());
        JsonNode last = body(requestsFor(live, "PutJobSuccessResult").get(0));
        assertEquals("step-2", last.get("continuationToken").asText(), "the command's own token, on the final job");
        String userFollowUp = endpoint.followUpJobId(live);
        assertNotNull(userFollowUp);
        assertNotEquals(live, userFollowUp);

        Run second = worker("--report-progress", "--", "/bin/sh", "-c", script);
        assertEquals(ExitCodes.DELIVERED, second.exitCode(), second::toString);
        assertTrue(Files.exists(dir.resolve("second")), "a user's token starts a new run");
        assertEquals("Succeeded", endpoint.jobStatus(userFollowUp));
    }
}
