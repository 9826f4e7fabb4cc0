package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeJobRequest;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeJobResponse;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.PollForJobsRequest;
import software.amazon.awssdk.services.codepipeline.model.PollForJobsResponse;

/**
 * One poll: PollForJobs for at most the free room, then AcknowledgeJob with each job's nonce, one job at a time,
 * asking the handler whether it takes each job at all, telling it about each job before its acknowledgement (so that
 * it can record the job first) and handing it on right after its acknowledgement answered InProgress.
 *
 * <p>The nonce decides who runs a job: when two workers received it (CodePipeline hands a job out again once its
 * dispatch timeout passes), only the latest nonce is accepted, and the other worker gets InvalidNonceException. Such a
 * job, one CodePipeline no longer knows, and one whose status is not InProgress are no longer ours: they are dropped
 * quietly. A job whose acknowledgement keeps failing is dropped too; CodePipeline hands it out again after its
 * dispatch timeout, so it is not lost.
 *
 * <p>Each call is retried with the SDK's standard retry strategy (throttling, 5xx, broken connections), at most
 * {@link Retrying#MAX_ATTEMPTS} attempts; the credentials are resolved once per poll and every request carries
 * them. Nothing secret leaves a poll: the nonce and the artifact credentials stay in this method, and secret
 * configuration values are left out of {@link ReceivedJob}.
 */
public final class JobPoller {
    /** PollForJobs' limit on maxBatchSize. */
    public static final int MAX_BATCH_SIZE = 100;

    private final CodePipelineClientCache clients;
    private final ActionTypeCatalog catalog;
    private final Retrying retrying;

    public JobPoller(CodePipelineClientCache clients, ActionTypeCatalog catalog) {
        this(clients, catalog, null);
    }

    /** @param backoff the wait before each retry (tests: a short one); null for the SDK's standard waits */
    public JobPoller(CodePipelineClientCache clients, ActionTypeCatalog catalog, BackoffStrategy backoff) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.retrying = new Retrying(backoff);
    }

    public ActionTypeCatalog catalog() {
        return catalog;
    }

    /**
     * Polls once.
     *
     * @param maxBatchSize the most jobs to take, 1 or more; above {@link #MAX_BATCH_SIZE} asks for that many
     * @param handler      is told about each job before it is acknowledged (an exception there keeps the job from
     *                     being acknowledged), then takes each acknowledged job (an exception there is noted in the
     *                     outcome's dropped jobs: the job is ours by then) or hears that it was not acknowledged
     * @throws InterruptedException when the thread is interrupted; jobs handed on before that stay handed on, jobs
     *                              not yet acknowledged are handed out again by CodePipeline
     */
    public PollOutcome poll(PollKey key, AwsCredentialsProvider credentials, int maxBatchSize,
            AcknowledgedJobHandler handler) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(handler, "handler");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize " + maxBatchSize + " is below 1; poll only when there "
                    + "is room for a job (at most " + MAX_BATCH_SIZE + " are taken per poll)");
        }
        Instant at = catalog.clock().instant();
        AwsCredentials session;
        try {
            session = Objects.requireNonNull(credentials, "credentials").resolveCredentials();
        } catch (RuntimeException e) {
            return PollOutcome.failure(key, at, e.getClass().getSimpleName(), PollErrors.credentials(key, e));
        }
        StaticCredentialsProvider signWith = StaticCredentialsProvider.create(session);
        AwsRequestOverrideConfiguration signed = AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(signWith).build();

        try (CodePipelineClientCache.Lease lease = clients.acquire(key.settings())) {
            CodePipelineClient client = lease.client();
            PollForJobsRequest.Builder builder = PollForJobsRequest.builder()
                    .actionTypeId(key.actionType().toSdk())
                    .maxBatchSize(Math.min(maxBatchSize, MAX_BATCH_SIZE))
                    .overrideConfiguration(signed);
            if (!key.query().matchesAll()) {
                builder.queryParam(key.query().toQueryParam()); // an empty map would still be sent, as {}
            }
            PollForJobsRequest request = builder.build();
            Retrying.Result<PollForJobsResponse> polled =
                    retrying.call("codepipeline-poll-for-jobs", () -> client.pollForJobs(request));
            if (polled.failed()) {
                return PollOutcome.failure(key, at, PollErrors.code(polled.failure()),
                        PollErrors.describe("PollForJobs", key, polled.failure(), session.accessKeyId()));
            }
            List<Job> jobs = polled.value().jobs();
            if (jobs.isEmpty()) {
                return new PollOutcome(key, at, List.of(), List.of(), null, null);
            }
            // Once per poll that received jobs, before any is acknowledged: a job must not be kept with a secret.
            Set<String> secrets = catalog.secretProperties(key, signWith).orElse(null);
            List<ReceivedJob> acknowledged = new ArrayList<>();
            List<DroppedJob> dropped = new ArrayList<>();
            List<String> left = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Job job : jobs) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while acknowledging the jobs of " + key.describe());
                }
                take(key, job, secrets, client, signed, session, seen, handler, acknowledged, dropped, left);
            }
            return new PollOutcome(key, at, acknowledged, dropped, null, null, left);
        }
    }

    private void take(PollKey key, Job job, Set<String> secrets, CodePipelineClient client,
            AwsRequestOverrideConfiguration signed, AwsCredentials session, Set<String> seen,
            AcknowledgedJobHandler handler, List<ReceivedJob> acknowledged, List<DroppedJob> dropped,
            List<String> left) throws InterruptedException {
        String jobId = job.id();
        if (jobId == null || !seen.add(jobId)) {
            return; // one answer listing a job twice still hands it on once
        }
        ReceivedJob received;
        try {
            received = ReceivedJob.from(job, key.settings().region(), secrets);
        } catch (IllegalArgumentException e) {
            // Not acknowledged: a job this worker cannot read goes back to CodePipeline, not into a build.
            dropped.add(new DroppedJob(jobId, "not acknowledged: its data is malformed (" + e.getMessage() + ")"));
            return;
        }
        boolean taken;
        try {
            taken = handler.take(received);
        } catch (RuntimeException e) {
            taken = false; // the contract says it must not throw; a job nobody decided on is not ours
        }
        if (!taken) {
            left.add(jobId); // not acknowledged on purpose: CodePipeline hands it out again
            return;
        }
        try {
            handler.beforeAcknowledge(received);
        } catch (RuntimeException e) {
            // Not acknowledged: a job the worker cannot record must not become ours.
            dropped.add(new DroppedJob(jobId, "not acknowledged: the worker could not record it ("
                    + AwsErrorMessages.rootMessage(e) + "); CodePipeline hands it out again after its dispatch "
                    + "timeout"));
            return;
        }
        AcknowledgeJobRequest request = AcknowledgeJobRequest.builder().jobId(jobId).nonce(job.nonce())
                .overrideConfiguration(signed).build();
        Retrying.Result<AcknowledgeJobResponse> answer =
                retrying.call("codepipeline-acknowledge-job", () -> client.acknowledgeJob(request));
        if (answer.failed()) {
            String reason = ackFailure(key, answer, session);
            dropped.add(new DroppedJob(jobId, reason));
            notAcknowledged(handler, received, reason);
            return;
        }
        JobStatus status = answer.value().status();
        if (status != JobStatus.IN_PROGRESS) {
            String reason = "no longer ours: AcknowledgeJob answered status " + answer.value().statusAsString()
                    + ", not InProgress";
            dropped.add(new DroppedJob(jobId, reason));
            notAcknowledged(handler, received, reason);
            return;
        }
        try {
            handler.acknowledged(received);
            acknowledged.add(received);
        } catch (RuntimeException e) {
            dropped.add(new DroppedJob(jobId, "acknowledged, but the worker could not take it ("
                    + AwsErrorMessages.rootMessage(e) + "); it times out in CodePipeline"));
        }
    }

    private static void notAcknowledged(AcknowledgedJobHandler handler, ReceivedJob job, String reason) {
        try {
            handler.notAcknowledged(job, reason);
        } catch (RuntimeException e) {
            // the contract says it must not throw; the job is dropped either way
        }
    }

    private static String ackFailure(PollKey key, Retrying.Result<?> answer, AwsCredentials session) {
        String code = PollErrors.code(answer.failure());
        switch (code) {
            case "InvalidNonceException":
                return "another worker has it: CodePipeline handed it out again and refused this worker's nonce";
            case "JobNotFoundException":
                return "CodePipeline no longer knows it";
            case "InvalidJobStateException":
                return "no longer ours: CodePipeline says it is no longer open";
            default:
                String reason = PollErrors.describe("AcknowledgeJob", key, answer.failure(), session.accessKeyId());
                boolean answered = answer.failure() instanceof AwsServiceException;
                // Not handed on: if it was not acknowledged, another worker may get it after the dispatch timeout,
                // and running it here too would run it twice.
                return "could not be acknowledged after " + answer.attempts() + " attempt(s): " + reason
                        + " CodePipeline hands it out again after its dispatch timeout"
                        + (answered ? "" : "; if an unanswered attempt did acknowledge it, it times out instead");
        }
    }
}
