package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.fail;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.AbstractProject;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/** What the trigger's tests share: the in-process CodePipeline endpoint, credentials, a short poll interval, waits. */
final class WorkerTestSupport {
    static final String ACCESS_KEY = "AKIDTRIGGERTEST";
    /** A secret that must never show in a log or a page. */
    static final String SECRET_KEY = "tr1gger-Secret-Access-Key";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private WorkerTestSupport() {
    }

    /** Reports and polls go to {@code endpoint}, every second, with few attempts. */
    static void useEndpoint(FakeCodePipeline endpoint) {
        // An endpoint in the host's environment would win over the global configuration (as it should for users).
        Assumptions.assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null
                && System.getenv("AWS_ENDPOINT_URL_CODEPIPELINE") == null, "the host overrides the CodePipeline endpoint");
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        global.setDefaultEndpointUrl(endpoint.endpoint().toString());
        global.setMaxAttempts(3);
        global.setPollIntervalSeconds(1);
    }

    /**
     * A new in-process CodePipeline that every poll and report of this Jenkins goes to ({@link #useEndpoint}), with
     * the global keys and the action type known; close it after the test.
     */
    static FakeCodePipeline startEndpoint() throws Exception {
        FakeCodePipeline endpoint = new FakeCodePipeline();
        useEndpoint(endpoint);
        addGlobalKeys();
        addActionType(endpoint);
        return endpoint;
    }

    /**
     * For tests that do not poll: the triggers' polls go to a closed local port (they fail at once, no network), once
     * an hour.
     */
    static void noNetwork() {
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        global.setDefaultEndpointUrl("http://127.0.0.1:9");
        global.setMaxAttempts(1);
        global.setPollIntervalSeconds(3600);
    }

    /** Global username/password credentials "keys" holding an access key id and secret key. */
    static void addGlobalKeys() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "keys", "test keys", ACCESS_KEY, SECRET_KEY));
        SystemCredentialsProvider.getInstance().save();
    }

    /** Build/Custom/Jenkins/1 with ProjectName = {@code projectName} in us-east-1 (the fake's default), keys "keys". */
    static CodePipelineJobsTrigger trigger(String projectName) {
        CodePipelineJobsTrigger trigger = new CodePipelineJobsTrigger("Build", "Jenkins", "1");
        trigger.setProjectName(projectName);
        trigger.setRegion("us-east-1");
        trigger.setCredentialsId("keys");
        return trigger;
    }

    /** Adds the trigger to a freestyle job and starts it, as the job's configuration page does. */
    static void addTrigger(AbstractProject<?, ?> project, CodePipelineJobsTrigger trigger) throws Exception {
        project.addTrigger(trigger); // does not start it
        trigger.start(project, true);
    }

    /** A job of Build/Custom/Jenkins/1 for ProjectName {@code projectName}. */
    static FakeCodePipeline.FakeJob job(String projectName) {
        return FakeCodePipeline.FakeJob.of("Build", "Jenkins", "1", Map.of("ProjectName", projectName));
    }

    /** The action type, known to ListActionTypes, with ProjectName not secret. */
    static void addActionType(FakeCodePipeline endpoint) {
        endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false));
    }

    /** Waits until {@code condition} holds, checking every 100 ms; fails after {@code timeout}. */
    static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        waitUntil(what, TIMEOUT, condition);
    }
}
