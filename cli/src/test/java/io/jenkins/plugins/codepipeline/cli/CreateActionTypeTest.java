package io.jenkins.plugins.codepipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.codepipeline.cli.CliRunner.Run;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CreateActionTypeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Test
    void dryRunPrintsTheRequestAndSendsNothing() throws IOException {
        Run run = cli.run("create-action-type", "--category", "build", "--provider", "Jenkins", "--version", "1",
                "--jenkins-url", "https://jenkins.example.com/ci", "--query-name", "Project", "--dry-run",
                "--endpoint-url", endpoint.endpoint().toString());
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        JsonNode request = JSON.readTree(run.out());
        assertEquals("Build", request.get("category").asText());
        assertEquals("Jenkins", request.get("provider").asText());
        assertEquals("1", request.get("version").asText());
        assertEquals("https://jenkins.example.com/ci/codepipeline/project/{Config:Project}",
                request.get("settings").get("entityUrlTemplate").asText(), request::toString);
        assertEquals("https://jenkins.example.com/ci/codepipeline/build/{ExternalExecutionId}",
                request.get("settings").get("executionUrlTemplate").asText(), request::toString);
        JsonNode property = request.get("configurationProperties").get(0);
        assertEquals("Project", property.get("name").asText());
        assertTrue(property.get("queryable").asBoolean() && property.get("required").asBoolean()
                && !property.get("secret").asBoolean(), property::toString);
        assertTrue(run.err().contains("Dry run: nothing sent"), run::toString);
        assertTrue(endpoint.requests().isEmpty());
        assertEquals(0, cli.credentials.built.get());
    }

    @Test
    void createsTheTypeAndPrintsIt() throws IOException {
        Run run = cli.run("create-action-type", "--category", "Build", "--provider", "Jenkins", "--version", "2",
                "--jenkins-url", "https://jenkins.example.com/", "--endpoint-url", endpoint.endpoint().toString(),
                "--region", "eu-west-1");
        assertEquals(ExitCodes.DELIVERED, run.exitCode(), run::toString);
        assertEquals("CreateCustomActionType", endpoint.lastRequest().operation());
        assertEquals("eu-west-1", endpoint.lastRequest().region());
        JsonNode created = JSON.readTree(run.out()).get("actionType");
        assertEquals("Custom", created.get("id").get("owner").asText(), run::toString);
        assertEquals("2", created.get("id").get("version").asText());
        assertTrue(run.err().contains("Created custom action type Build/Custom/Jenkins/2 in eu-west-1 (AWS request "
                + "id " + endpoint.lastRequest().requestId() + ")"), run::toString);

        run = cli.run("create-action-type", "--category", "Build", "--provider", "Jenkins", "--version", "2",
                "--jenkins-url", "https://jenkins.example.com/", "--endpoint-url", endpoint.endpoint().toString(),
                "--region", "eu-west-1");
        assertEquals(ExitCodes.NOT_DELIVERED, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains("CreateCustomActionType for Build/Custom/Jenkins/2 in eu-west-1 failed"),
                run::toString);
    }

    @Test
    void badOptionsAreRefused() {
        Run run = cli.run("create-action-type", "--category", "Build", "--provider", "Jenkins", "--version", "1",
                "--jenkins-url", "ftp://jenkins.example.com/", "--endpoint-url", endpoint.endpoint().toString());
        assertEquals(ExitCodes.REFUSED_LOCALLY, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--jenkins-url 'ftp://jenkins.example.com/' is not an http(s) URL"),
                run::toString);
        run = cli.run("create-action-type", "--category", "Build", "--provider", "Jenkins", "--version", "1234567890",
                "--jenkins-url", "https://jenkins.example.com/", "--endpoint-url", endpoint.endpoint().toString());
        assertEquals(ExitCodes.REFUSED_LOCALLY, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--version '1234567890' has 10 characters"), run::toString);
        run = cli.run("create-action-type", "--category", "Build", "--provider", "Jenkins", "--version", "1",
                "--jenkins-url", "https://jenkins.example.com/", "--query-name", "a b");
        assertEquals(ExitCodes.REFUSED_LOCALLY, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--query-name: query property name 'a b'"), run::toString);
        assertFalse(run.out().contains("{"));
        assertTrue(endpoint.requests().isEmpty());
        assertEquals(0, cli.credentials.built.get());
    }
}
