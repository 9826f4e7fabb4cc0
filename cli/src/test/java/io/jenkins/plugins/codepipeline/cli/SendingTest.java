package io.jenkins.plugins.codepipeline.cli;

import static io.jenkins.plugins.codepipeline.cli.CliRunner.JOB_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.cli.CliRunner.CountingCredentials;
import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Sending, against core's in-process endpoint: exit codes, stdout and stderr. */
class SendingTest {
    private FakeCodePipeline endpoint;
    private final CliRunner cli = new CliRunner();

    @BeforeEach
    void start() throws IOException {
        endpoint = new FakeCodePipeline();
    }

    @AfterEach
    void stop() throws IOException {
        endpoint.close();
    }

    private Run send(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoint-url";
        all[args.length + 1] = endpoint.endpoint().toString();
        return cli.run(all);
    }

    @Test
    void deliveredPrintsTheRequestIdAloneOnStdout() {
        Run run = send("success", "--job-id", JOB_ID, "--summary", "done", "--output-variable", "COMMIT=s3cr3t",
                "--output-variable", "URL=https://example");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        RecordedRequest request = endpoint.lastRequest();
        assertEquals(request.requestId() + System.lineSeparator(), run.out());
        assertEquals("PutJobSuccessResult", request.operation());
        assertEquals("AKIDTEST", request.accessKeyId());
        assertTrue(request.body().contains("\"COMMIT\":\"s3cr3t\""), request::body);
        assertTrue(run.err().contains("Reported success for job " + JOB_ID + " in us-east-1 (AWS request id "
                + request.requestId() + ")"), run::toString);
        assertTrue(run.err().contains("Output variables published (2): COMMIT, URL"), run::toString);
        assertFalse(run.err().contains("s3cr3t") || run.err().contains("https://example"), "a value was printed");
        assertEquals(1, cli.credentials.built.get());
        assertEquals(1, cli.credentials.closed.get(), "the credentials provider is closed at the end");
    }

    @Test
    void failureDelivered() {
        Run run = send("failure", "--job-id", JOB_ID, "--type", "configuration-error", "--message", "bad config");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertTrue(endpoint.lastRequest().body().contains("\"type\":\"ConfigurationError\""));
        assertEquals(endpoint.lastRequest().requestId() + System.lineSeparator(), run.out());
        assertTrue(run.err().contains("Reported failure for job " + JOB_ID), run::toString);
    }

    @Test
    void sessionCredentialsSendTheirToken() {
        cli.credentials(new CountingCredentials(AwsSessionCredentials.create("ASIATEST", "secret", "theToken")));
        Run run = send("success", "--job-id", JOB_ID);
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("theToken", endpoint.lastRequest().header("X-Amz-Security-Token"));
    }

    @Test
    void refusedByAwsExitsOneWithNothingOnStdout() {
        endpoint.enqueue(new FakeCodePipeline.Error(400, "JobNotFoundException", "No job"));
        Run run = send("success", "--job-id", JOB_ID, "--region", "eu-west-1");
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains("JobNotFoundException") && run.err().contains("eu-west-1"), run::toString);
        assertEquals(1, endpoint.requests().size(), "not retried");
    }

    @Test
    void secondReportOfAClosedJob() {
        assertEquals(ExitCodes.DELIVERED, send("success", "--job-id", JOB_ID).exitCode());
        Run run = send("failure", "--job-id", JOB_ID, "--type", "JobFailed", "--message", "m");
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("InvalidJobStateException"), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void retriesAreLoggedOneLineEach() {
        endpoint.enqueue(FakeCodePipeline.internalError());
        Run run = send("success", "--job-id", JOB_ID);
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        List<String> retries = run.err().lines().filter(l -> l.startsWith("Attempt ")).toList();
        assertEquals(1, retries.size(), run::toString);
        assertTrue(retries.get(0).startsWith("Attempt 1 of 5 failed (InternalFailure: "), retries::toString);
        assertTrue(retries.get(0).contains("retrying in "), retries::toString);
        assertEquals(endpoint.lastRequest().requestId() + System.lineSeparator(), run.out());
    }

    @Test
    void maxAttemptsLimitsTheRetries() {
        endpoint.enqueue(FakeCodePipeline.internalError(), FakeCodePipeline.internalError());
        Run run = send("success", "--job-id", JOB_ID, "--max-attempts", "2");
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertEquals(2, endpoint.requests().size());
        assertEquals("", run.out(), "a failed report prints no request id");
    }

    @Test
    void lostAnswerExitsThreeWithTheRequestIdOfTheClosedJobAnswer() {
        endpoint.enqueue(new FakeCodePipeline.LoseResponse());
        Run run = send("success", "--job-id", JOB_ID);
        assertEquals(ExitCodes.ANSWER_LOST, run.exitCode(), run::toString);
        List<RecordedRequest> requests = endpoint.requests();
        assertEquals(List.of("ok:response-lost", "InvalidJobStateException"),
                requests.stream().map(RecordedRequest::verdict).toList());
        assertEquals(requests.get(1).requestId() + System.lineSeparator(), run.out());
        assertTrue(run.err().contains("most likely delivered"), run::toString);
    }

    @Test
    void droppedConnectionIsRetried() {
        endpoint.enqueue(new FakeCodePipeline.Drop());
        Run run = send("success", "--job-id", JOB_ID);
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Attempt 1 of 5 got no answer"), run::toString);
    }

    @Test
    void missingCredentialsNotDeliveredAndNothingSent() {
        cli.credentials(new CountingCredentials(null));
        Run run = send("success", "--job-id", JOB_ID);
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Could not get AWS credentials"), run::toString);
        assertEquals(0, endpoint.requests().size());
        assertEquals(1, cli.credentials.closed.get());
    }

    @Test
    void nothingListensOnTheEndpoint() throws IOException {
        String url = endpoint.endpoint().toString();
        endpoint.close();
        Run run = cli.run("success", "--job-id", JOB_ID, "--endpoint-url", url, "--max-attempts", "1");
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("did not answer"), run::toString);
        assertEquals("", run.out());
    }
}
