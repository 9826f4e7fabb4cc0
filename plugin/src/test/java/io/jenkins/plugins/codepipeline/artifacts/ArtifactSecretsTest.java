package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The job's artifact credentials are used (every S3 request carries the session token) and dropped: neither the secret
 * key nor the session token is in build.xml or any other file of the build, the build log, the environment a shell
 * step sees, the build's environment, the build page, the job worker's files, or the plugin's log records.
 */
@WithJenkins
class ArtifactSecretsTest extends ArtifactsTestSupport {
    /** Kept, so that the level set on it stays. */
    private final Logger pluginLogger = Logger.getLogger("io.jenkins.plugins.codepipeline");
    private final List<String> logged = new ArrayList<>();
    private Level levelBefore;
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(formatter.format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        levelBefore = pluginLogger.getLevel();
        pluginLogger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        pluginLogger.addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        pluginLogger.removeHandler(capture);
        pluginLogger.setLevel(levelBefore);
    }

    @Test
    void noArtifactCredentialIsKeptInTheBuildTheLogOrTheEnvironment() throws Exception {
        FakeJob job = addJob("app", List.of("SourceOutput"), List.of("BuildOutput"));
        putInput(job, "SourceOutput", Archives.of().file("src.txt", "source\n").zip());
        assertTrue(endpoint.jobData(job.jobId()).contains(FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY),
                "the job does carry artifact credentials");
        WorkflowJob pipeline = pipeline("app", "node {\n"
                + "  def dirs = codePipelineInputArtifacts()\n"
                + "  sh 'echo ENV-DUMP-START; env; echo ENV-DUMP-END'\n"
                + "  codePipelineOutputArtifacts artifacts: [[name: 'BuildOutput', path: dirs.SourceOutput]]\n"
                + "  sh 'env > env-after.txt'\n"
                + "  echo \"WORKSPACE=${pwd()}\"\n"
                + "}");

        startBuildFor(pipeline, job);
        WorkflowRun run = j.assertBuildStatusSuccess(awaitBuildOf(pipeline, job));
        assertEquals("PutJobSuccessResult", awaitOnlyResult(job).operation());

        // The credentials were there and used: every S3 request carried the session token.
        assertFalse(requests.isEmpty());
        for (S3Request request : requests) {
            assertEquals(FakeCodePipeline.ARTIFACT_SESSION_TOKEN, request.header("x-amz-security-token"),
                    request.operation());
        }
        String log = JenkinsRule.getLog(run);
        assertTrue(log.contains("ENV-DUMP-START") && log.contains("CODEPIPELINE_JOB_ID=" + job.jobId()),
                "the shell step printed its environment");
        assertNoSecret("the build log (with the shell step's environment)", log);
        assertNoSecret("the environment after the upload",
                Files.readString(workspace(run).resolve("env-after.txt"), StandardCharsets.UTF_8));
        EnvVars environment = run.getEnvironment(TaskListener.NULL);
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            assertNoSecret("the build's environment variable " + variable.getKey(), variable.getValue());
        }

        run.save();
        String buildXml = Files.readString(new File(run.getRootDir(), "build.xml").toPath(), StandardCharsets.UTF_8);
        assertTrue(buildXml.contains(output(job, "BuildOutput").url()), "build.xml records the transfer: " + buildXml);
        assertNoSecretIn(run.getRootDir()); // build.xml, the log, the flow nodes
        assertNoSecretIn(new File(j.jenkins.getRootDir(), "codepipeline-job-worker"));
        assertNoSecret("the build page", j.createWebClient().getPage(run).getWebResponse().getContentAsString());
        synchronized (logged) {
            for (String line : logged) {
                assertNoSecret("a log record", line);
            }
        }
    }
}
