package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.codepipeline.worker.WorkerTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Run;
import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeCatalog;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.JobPoller;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.worker.build.CodePipelineJobAction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Many jobs, and two workers on one action type: every CodePipeline job runs exactly once. Counted at the fake
 * endpoint (acknowledgements, results) and in Jenkins (builds and the job each ran).
 */
@WithJenkins
class TriggerLoadTest extends WorkerTestSupport.EndpointTest {
    private static final Duration LONG = Duration.ofSeconds(120);

    @BeforeEach
    void setUp() throws Exception {
        j.jenkins.setNumExecutors(4);
    }

    @Test
    void twentyJobsForFourJenkinsJobsRunOnceEach() throws Exception {
        List<FreeStyleProject> projects = new ArrayList<>();
        Map<String, String> valueOfJob = new HashMap<>();
        for (int p = 0; p < 4; p++) {
            FreeStyleProject project = j.createFreeStyleProject("p" + p);
            project.setConcurrentBuild(true);
            projects.add(project);
            for (int n = 0; n < 5; n++) {
                FakeCodePipeline.FakeJob job = WorkerTestSupport.job("app" + p);
                endpoint.addJob(job);
                valueOfJob.put(job.jobId(), "p" + p);
            }
        }
        for (int p = 0; p < 4; p++) {
            CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("app" + p);
            trigger.setMaxJobsInFlight(3);
            WorkerTestSupport.addTrigger(projects.get(p), trigger);
        }

        waitUntil("every job is closed", LONG, () -> valueOfJob.keySet().stream().allMatch(endpoint::isClosed));
        j.waitUntilNoActivity();

        List<String> built = WorkerTestSupport.builtJobIds(projects);
        assertEquals(20, built.size(), "one build per job: " + built);
        assertEquals(valueOfJob.keySet(), new HashSet<>(built), "each job built once");
        for (FreeStyleProject project : projects) {
            assertEquals(5, project.getBuilds().size(), project.getFullName());
            for (Run<?, ?> run : project.getBuilds()) {
                String jobId = run.getAction(CodePipelineJobAction.class).getJobId();
                assertEquals(valueOfJob.get(jobId), project.getName(), "job " + jobId + " went to its own project");
            }
        }
        for (String jobId : valueOfJob.keySet()) {
            assertEquals(1, WorkerTestSupport.requests(endpoint, "AcknowledgeJob", jobId), "acknowledged once: " + jobId);
            assertEquals(1, WorkerTestSupport.results(endpoint, jobId), "one result: " + jobId);
            assertEquals("Succeeded", endpoint.jobStatus(jobId));
        }
    }

    /**
     * Jenkins and a second worker (core's poller, as another controller or the command line would run it, with other
     * keys) poll the same action type and value. Jobs are handed out again after a short dispatch timeout, and some
     * requests are slowed beyond it, so that both workers get the same job: the nonce decides, and each job runs once.
     */
    @Test
    void twoPollersOnOneActionTypeRunEachJobOnce() throws Exception {
        endpoint.setDispatchTimeout(Duration.ofSeconds(1));
        FreeStyleProject project = j.createFreeStyleProject("shared");
        project.setConcurrentBuild(true);
        CodePipelineJobsTrigger trigger = WorkerTestSupport.trigger("shared");
        trigger.setMaxJobsInFlight(4);
        Set<String> jobIds = new HashSet<>();
        for (int n = 0; n < 12; n++) {
            FakeCodePipeline.FakeJob job = WorkerTestSupport.job("shared");
            endpoint.addJob(job);
            jobIds.add(job.jobId());
        }
        // Slow answers past the dispatch timeout, whichever requests (of either worker) they fall on.
        for (int n = 0; n < 6; n++) {
            endpoint.enqueue(new FakeCodePipeline.Delay(1500));
        }

        Set<String> otherTook = ConcurrentHashMap.newKeySet();
        List<String> otherTookTwice = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        PollKey key = new PollKey(ConnectionSettings.builder().region("us-east-1").endpoint(endpoint.endpoint())
                .maxAttempts(3).build(), "other-controller", new ActionTypeId("Build", "Jenkins", "1"),
                new JobQuery("ProjectName", "shared"));
        StaticCredentialsProvider otherKeys = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDOTHERWORKER", "other-Secret-Key"));
        Thread other;
        try (CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory())) {
            JobPoller poller = new JobPoller(clients, new ActionTypeCatalog(clients, Clock.systemUTC()));
            other = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        poller.poll(key, otherKeys, 2, job -> {
                            synchronized (otherTookTwice) {
                                if (!otherTook.add(job.jobId())) {
                                    otherTookTwice.add(job.jobId());
                                }
                            }
                        });
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // a failed poll: try again, as a worker does
                    }
                }
            }, "the other worker");
            other.start();
            WorkerTestSupport.addTrigger(project, trigger);
            try {
                // every job is taken: closed by Jenkins' report, or in progress at the other worker
                waitUntil("every job is taken by one worker", LONG,
                        () -> jobIds.stream().allMatch(id -> endpoint.isClosed(id) || otherTook.contains(id)
                                && "InProgress".equals(endpoint.jobStatus(id))));
                j.waitUntilNoActivity();
            } finally {
                stop.set(true);
                other.interrupt();
                other.join(30_000);
            }
        }

        List<String> built = WorkerTestSupport.builtJobIds(List.of(project));
        Set<String> builtOnce = new HashSet<>(built);
        assertEquals(built.size(), builtOnce.size(), "Jenkins built no job twice: " + built);
        assertTrue(otherTookTwice.isEmpty(), "the other worker took no job twice: " + otherTookTwice);
        for (String id : jobIds) {
            boolean byJenkins = builtOnce.contains(id);
            boolean byOther = otherTook.contains(id);
            assertTrue(byJenkins ^ byOther, "job " + id + " ran exactly once (Jenkins " + byJenkins + ", other "
                    + byOther + ")");
            if (byJenkins) {
                assertEquals(1, WorkerTestSupport.results(endpoint, id), id);
            }
        }
        assertEquals(jobIds.size(), builtOnce.size() + otherTook.size());
    }
}
