package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * End to end through the trigger: the job carries artifact credentials and a configuration property that
 * ListActionTypes flags secret (and one it does not list at all). None of them, nor the trigger's secret key, is ever
 * in build.xml, queue.xml, the record of jobs in flight, the build log, the polling page, the Manage Jenkins page, the
 * plugin's log records or the build's environment.
 */
@WithJenkins
class TriggerSecretsTest extends WorkerTestSupport.EndpointTest {
    private static final String SECRET_PROPERTY = "ApiToken";
    private static final String SECRET_VALUE = "s3cr3t-Trigger-Config-Value";
    private static final String UNLISTED_PROPERTY = "Unlisted";
    private static final String UNLISTED_VALUE = "unl1sted-Value";
    private static final List<String> SECRETS = List.of(FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID,
            FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY, FakeCodePipeline.ARTIFACT_SESSION_TOKEN, SECRET_VALUE,
            UNLISTED_VALUE, WorkerTestSupport.SECRET_KEY);

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
    void setUp() {
        levelBefore = pluginLogger.getLevel();
        pluginLogger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        pluginLogger.addHandler(capture);
        // the action type as ListActionTypes lists it: ApiToken is secret
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1",
                Map.of("ProjectName", false, SECRET_PROPERTY, true));
    }

    @AfterEach
    void tearDown() {
        pluginLogger.removeHandler(capture);
        pluginLogger.setLevel(levelBefore);
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), where + " holds the secret " + secret);
        }
    }

    /** Every file below {@code dir}, read as text. */
    private static void assertNoSecretIn(File dir) throws IOException {
        assertTrue(dir.exists(), dir + " exists");
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNoSecret(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void noSecretOfTheJobIsKeptAnywhere() throws Exception {
        FreeStyleProject project = j.createFreeStyleProject("app");
        CaptureEnvironmentBuilder environment = new CaptureEnvironmentBuilder();
        project.getBuildersList().add(environment);
        project.setAssignedLabel(Label.get("nowhere")); // no such node: the build waits in the queue
        WorkerTestSupport.addTrigger(project, WorkerTestSupport.trigger("app"));
        String jobId = "81111111-2222-3333-4444-555555555555";
        endpoint.addJob(new FakeCodePipeline.FakeJob(jobId, "us-east-1", "123456789012", "Build", "Jenkins", "1",
                Map.of("ProjectName", "app", SECRET_PROPERTY, SECRET_VALUE, UNLISTED_PROPERTY, UNLISTED_VALUE),
                List.of("SourceOutput"), List.of("BuildOutput"), null));

        // While queued: queue.xml, the record of jobs in flight, the pages.
        waitUntil("the build is queued", () -> j.jenkins.getQueue().getItem(project) != null);
        assertTrue(endpoint.jobData(jobId).contains(FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY),
                "the job did carry the artifact credentials");
        j.jenkins.getQueue().save();
        File queueXml = new File(j.jenkins.getRootDir(), "queue.xml");
        String queued = Files.readString(queueXml.toPath(), StandardCharsets.UTF_8);
        assertTrue(queued.contains(jobId), "queue.xml holds the job's item: " + queued);
        assertNoSecret("queue.xml", queued);
        assertNoSecretIn(new File(j.jenkins.getRootDir(), "codepipeline-job-worker"));
        assertTrue(new File(j.jenkins.getRootDir(), "codepipeline-job-worker/jobs-in-flight.json").isFile());
        JenkinsRule.WebClient wc = j.createWebClient();
        String pollingPage = wc.getPage(project, "codepipeline-polling/").getWebResponse().getContentAsString();
        assertTrue(pollingPage.contains(jobId), pollingPage);
        assertNoSecret("the polling page", pollingPage);
        String managePage = wc.goTo("manage/codepipeline-jobs/").getWebResponse().getContentAsString();
        assertTrue(managePage.contains(jobId), managePage);
        assertNoSecret("the Manage Jenkins page", managePage);

        // Then it runs.
        project.setAssignedLabel(null);
        waitUntil("the build runs", () -> project.getLastBuild() != null);
        FreeStyleBuild build = j.waitForCompletion(project.getLastBuild());
        j.assertBuildStatusSuccess(build);
        waitUntil("the job is closed", () -> endpoint.isClosed(jobId));
        j.waitUntilNoActivity();

        EnvVars env = environment.getEnvVars();
        assertEquals(jobId, env.get("CODEPIPELINE_JOB_ID"));
        assertEquals("app", env.get("CODEPIPELINE_CONFIG_ProjectName"), "a property listed as not secret is set");
        assertNull(env.get("CODEPIPELINE_CONFIG_" + SECRET_PROPERTY), "a secret property is not set");
        assertNull(env.get("CODEPIPELINE_CONFIG_" + UNLISTED_PROPERTY),
                "a property the listing does not name is not set");
        for (Map.Entry<String, String> variable : env.entrySet()) {
            assertNoSecret("the environment variable " + variable.getKey(), variable.getValue());
        }
        assertNotNull(build.getAction(CodePipelineJobAction.class));
        build.save();
        assertNoSecretIn(build.getRootDir()); // build.xml and the log
        assertNoSecret("the build log", JenkinsRule.getLog(build));
        assertNoSecretIn(new File(j.jenkins.getRootDir(), "codepipeline-job-worker"));
        pollingPage = wc.getPage(project, "codepipeline-polling/").getWebResponse().getContentAsString();
        assertNoSecret("the polling page", pollingPage);
        assertNoSecret("the build page", wc.getPage(build).getWebResponse().getContentAsString());
        assertNoSecret("the Manage Jenkins page",
                wc.goTo("manage/codepipeline-jobs/").getWebResponse().getContentAsString());
        synchronized (logged) {
            assertFalse(logged.isEmpty(), "the plugin logged something");
            for (String line : logged) {
                assertNoSecret("a log record", line);
            }
        }
    }
}
