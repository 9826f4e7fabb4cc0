package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.fail;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.AbstractProject;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.TestSupport;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What the trigger's tests share: the in-process CodePipeline endpoint, credentials, a short poll interval, waits.
 * The endpoint and the credentials are set up as for the reporting tests ({@link TestSupport}).
 */
final class WorkerTestSupport {
    static final String ACCESS_KEY = "AKIDTRIGGERTEST";
    /** A secret that must never show in a log or a page. */
    static final String SECRET_KEY = "tr1gger-Secret-Access-Key";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private WorkerTestSupport() {
    }

    /** Reports and polls go to {@code endpoint}, every second, with few attempts. */
    static void useEndpoint(FakeCodePipeline endpoint) {
        TestSupport.useEndpoint(endpoint);
        CodePipelineJobWorkerConfiguration.get().setPollIntervalSeconds(1);
    }

    /**
     * A new in-process CodePipeline that every poll and report of this Jenkins goes to ({@link #useEndpoint}), with
     * the global keys and the action type known; close it after the test.
     */
    static FakeCodePipeline startEndpoint() throws Exception {
        FakeCodePipeline endpoint = new FakeCodePipeline();
        try {
            useEndpoint(endpoint);
            addGlobalKeys();
            addActionType(endpoint);
        } catch (Exception | Error e) { // the host's endpoint skips the test: no endpoint is left open
            endpoint.close();
            throw e;
        }
        return endpoint;
    }

    /**
     * A test of one Jenkins ({@code j}, the subclass is {@code @WithJenkins}) against a new in-process CodePipeline
     * ({@code endpoint}, {@link #startEndpoint}), closed after each test. A subclass's own {@code @BeforeEach} runs
     * after this one's.
     */
    abstract static class EndpointTest {
        JenkinsRule j;
        FakeCodePipeline endpoint;

        @BeforeEach
        void startJenkinsEndpoint(JenkinsRule rule) throws Exception {
            j = rule;
            endpoint = startEndpoint();
        }

        @AfterEach
        void closeJenkinsEndpoint() throws Exception {
            if (endpoint != null) {
                endpoint.close();
            }
        }
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
        TestSupport.addGlobal(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "keys", "test keys",
                ACCESS_KEY, SECRET_KEY));
    }

    /**
     * Stops the periodic polls: waits for a first cycle (until then the next tick polls whatever the interval), sets
     * the interval to an hour and waits until no cycle runs. After this, only {@link ControllerPoller#runCycle()}
     * calls of the test poll, until the test sets a shorter interval.
     */
    static void quietPoller() throws InterruptedException {
        ControllerPoller poller = ControllerPoller.get();
        waitUntil("a first cycle", () -> poller.cycles() >= 1);
        CodePipelineJobWorkerConfiguration.get().setPollIntervalSeconds(3600);
        waitUntil("no cycle runs", () -> !poller.isCycleRunning());
    }

    /** The ids of the CodePipeline jobs the builds of these Jenkins jobs ran, one entry per build, newest first. */
    static List<String> builtJobIds(List<? extends Job<?, ?>> jobs) {
        List<String> ids = new ArrayList<>();
        for (Job<?, ?> job : jobs) {
            for (Run<?, ?> run : job.getBuilds()) {
                CodePipelineJobAction action = run.getAction(CodePipelineJobAction.class);
                if (action != null) {
                    ids.add(action.getJobId());
                }
            }
        }
        return ids;
    }

    /** How many requests of {@code operation} the endpoint received for {@code jobId}, answered or not. */
    static long requests(FakeCodePipeline endpoint, String operation, String jobId) {
        return endpoint.requests(operation).stream().filter(r -> jobId.equals(r.jobId())).count();
    }

    /** How many results (PutJobSuccessResult, PutJobFailureResult) the endpoint received for {@code jobId}. */
    static long results(FakeCodePipeline endpoint, String jobId) {
        return requests(endpoint, "PutJobSuccessResult", jobId) + requests(endpoint, "PutJobFailureResult", jobId);
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
