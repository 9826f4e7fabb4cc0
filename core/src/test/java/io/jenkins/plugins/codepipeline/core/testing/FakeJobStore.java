package io.jenkins.plugins.codepipeline.core.testing;

import static io.jenkins.plugins.codepipeline.core.testing.FakeActionTypeStore.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.codepipeline.core.testing.FakeActionTypeStore.TypeId;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.FakeJob;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The jobs of {@link FakeCodePipeline} and their state machine: Created -> Dispatched (PollForJobs) -> InProgress
 * (AcknowledgeJob) -> Succeeded / Failed (PutJob*Result); TimedOut only when a test sets it. A Dispatched job that is
 * not acknowledged within the dispatch timeout goes back to Created with a new nonce. A job is visible only in its
 * region. Results for job ids the store never had are accepted once (the endpoint's behaviour before it had a store).
 * Thread-safe: every method holds the store's lock.
 */
final class FakeJobStore {
    static final List<String> STATUSES =
            List.of("Created", "Queued", "Dispatched", "InProgress", "Succeeded", "Failed", "TimedOut");
    private static final Set<String> OPEN = Set.of("Created", "Queued", "Dispatched", "InProgress");
    private static final Pattern QUERY_VALUE = Pattern.compile("[a-zA-Z0-9_-]+");

    private static final class StoredJob {
        final String id;
        final String region;
        final String accountId;
        final TypeId type;
        final ObjectNode data;
        String status = "Created";
        String nonce;
        Instant dispatchedAt;
        String followUpJobId;

        StoredJob(String id, String region, String accountId, TypeId type, ObjectNode data, String nonce) {
            this.id = id;
            this.region = region;
            this.accountId = accountId;
            this.type = type;
            this.data = data;
            this.nonce = nonce;
        }

        Map<String, String> configuration() {
            Map<String, String> configuration = new HashMap<>();
            data.path("actionConfiguration").path("configuration").fields()
                    .forEachRemaining(e -> configuration.put(e.getKey(), e.getValue().asText()));
            return configuration;
        }

        ObjectNode toJob() {
            ObjectNode job = JsonNodeFactory.instance.objectNode();
            job.put("id", id);
            job.set("data", data.deepCopy());
            job.put("nonce", nonce);
            job.put("accountId", accountId);
            return job;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, StoredJob> jobs = new LinkedHashMap<>(); // in the order they were added: poll order
    private final Map<String, String> untracked = new HashMap<>(); // job id never added -> status
    private Clock clock = Clock.systemUTC();
    private Duration dispatchTimeout = Duration.ofSeconds(30);

    synchronized void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    synchronized void setDispatchTimeout(Duration timeout) {
        this.dispatchTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    synchronized void add(FakeJob job) {
        if (jobs.containsKey(job.jobId()) || untracked.containsKey(job.jobId())) {
            throw new IllegalArgumentException("job " + job.jobId() + " already exists");
        }
        TypeId type = new TypeId(job.category(), "Custom", job.provider(), job.version());
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("actionTypeId", type.toJson());
        ObjectNode configuration = data.putObject("actionConfiguration").putObject("configuration");
        job.configuration().forEach(configuration::put);
        ObjectNode context = data.putObject("pipelineContext");
        context.put("pipelineName", FakeJob.PIPELINE_NAME);
        context.putObject("stage").put("name", FakeJob.STAGE_NAME);
        context.putObject("action").put("name", FakeJob.ACTION_NAME)
                .put("actionExecutionId", UUID.randomUUID().toString());
        context.put("pipelineArn",
                "arn:aws:codepipeline:" + job.region() + ":" + job.accountId() + ":" + FakeJob.PIPELINE_NAME);
        context.put("pipelineExecutionId", UUID.randomUUID().toString());
        artifacts(data.putArray("inputArtifacts"), job.inputArtifacts(), job.region(), true);
        artifacts(data.putArray("outputArtifacts"), job.outputArtifacts(), job.region(), false);
        data.putObject("encryptionKey").put("type", "KMS").put("id",
                "arn:aws:kms:" + job.region() + ":" + job.accountId() + ":alias/codepipeline-fake-artifacts");
        data.putObject("artifactCredentials").put("accessKeyId", FakeCodePipeline.ARTIFACT_ACCESS_KEY_ID)
                .put("secretAccessKey", FakeCodePipeline.ARTIFACT_SECRET_ACCESS_KEY)
                .put("sessionToken", FakeCodePipeline.ARTIFACT_SESSION_TOKEN);
        if (job.continuationToken() != null) {
            data.put("continuationToken", job.continuationToken());
        }
        jobs.put(job.jobId(), new StoredJob(job.jobId(), job.region(), job.accountId(), type, data, newNonce(null)));
    }

    private void artifacts(ArrayNode into, List<String> names, String region, boolean input) {
        for (String name : names) {
            ObjectNode artifact = into.addObject().put("name", name);
            if (input) {
                artifact.put("revision", FakeJob.revision(name));
            }
            artifact.putObject("location").put("type", "S3").putObject("s3Location")
                    .put("bucketName", "codepipeline-" + region + "-fake-artifacts")
                    .put("objectKey", FakeJob.PIPELINE_NAME + "/" + name + "/"
                            + UUID.randomUUID().toString().substring(0, 7));
        }
    }

    private String newNonce(String old) {
        String nonce;
        do {
            nonce = Long.toString(random.nextLong(1_000_000_000_000L));
        } while (nonce.equals(old));
        return nonce;
    }

    /** Applies the dispatch timeout: called under the lock before every read or change. */
    private void tick() {
        if (dispatchTimeout.isZero() || dispatchTimeout.isNegative()) {
            return;
        }
        Instant now = clock.instant();
        for (StoredJob job : jobs.values()) {
            if ("Dispatched".equals(job.status) && job.dispatchedAt != null
                    && !now.isBefore(job.dispatchedAt.plus(dispatchTimeout))) {
                job.status = "Created";
                job.nonce = newNonce(job.nonce);
                job.dispatchedAt = null;
            }
        }
    }

    synchronized String status(String jobId) {
        tick();
        StoredJob job = jobs.get(jobId);
        return job != null ? job.status : untracked.get(jobId);
    }

    synchronized void setStatus(String jobId, String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status " + status + " is not one of " + STATUSES);
        }
        tick();
        StoredJob job = jobs.get(jobId);
        if (job == null) {
            untracked.put(jobId, status);
        } else {
            job.status = status;
            job.dispatchedAt = "Dispatched".equals(status) ? clock.instant() : null;
        }
    }

    synchronized String nonce(String jobId) {
        tick();
        StoredJob job = jobs.get(jobId);
        return job == null ? null : job.nonce;
    }

    synchronized List<String> ids(String status) {
        tick();
        List<String> ids = new ArrayList<>();
        jobs.values().stream().filter(j -> status == null || status.equals(j.status)).forEach(j -> ids.add(j.id));
        untracked.forEach((id, s) -> {
            if (status == null || status.equals(s)) {
                ids.add(id);
            }
        });
        return ids;
    }

    synchronized String followUpJobId(String jobId) {
        StoredJob job = jobs.get(jobId);
        return job == null ? null : job.followUpJobId;
    }

    synchronized String data(String jobId) {
        StoredJob job = jobs.get(jobId);
        return job == null ? null : job.data.toString();
    }

    synchronized boolean hasType(String region, TypeId type) {
        return jobs.values().stream().anyMatch(j -> j.region.equals(region) && j.type.equals(type));
    }

    /** PollForJobs for a Custom type: Created jobs of the region, type and query; marks them Dispatched. */
    synchronized ObjectNode poll(String region, TypeId type, JsonNode body) {
        tick();
        int max = 1;
        JsonNode batch = body.get("maxBatchSize");
        if (batch != null && !batch.isNull()) {
            if (!batch.canConvertToInt() || batch.asInt() < 1) {
                throw FakeApiException.validation(batch.asText(), "maxBatchSize",
                        "have value greater than or equal to 1");
            }
            max = batch.asInt();
        }
        Map<String, String> query = new LinkedHashMap<>();
        JsonNode queryParam = body.get("queryParam");
        if (queryParam != null && !queryParam.isNull()) {
            if (queryParam.size() > 1) {
                throw FakeApiException.validation(queryParam, "queryParam", "have length less than or equal to 1");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = queryParam.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String value = e.getValue().asText();
                if (e.getKey().isEmpty() || e.getKey().length() > 50 || value.isEmpty() || value.length() > 50
                        || !QUERY_VALUE.matcher(value).matches()) {
                    throw FakeApiException.validation(value, "queryParam",
                            "have key and value lengths between 1 and 50 and values matching " + QUERY_VALUE);
                }
                query.put(e.getKey(), value);
            }
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode list = answer.putArray("jobs");
        Instant now = clock.instant();
        for (StoredJob job : jobs.values()) {
            if (list.size() >= max) {
                break;
            }
            if (!job.region.equals(region) || !job.type.equals(type)
                    || !("Created".equals(job.status) || "Queued".equals(job.status))) {
                continue;
            }
            Map<String, String> configuration = job.configuration();
            if (query.entrySet().stream().allMatch(q -> q.getValue().equals(configuration.get(q.getKey())))) {
                job.status = "Dispatched";
                job.dispatchedAt = now;
                list.add(job.toJob());
            }
        }
        return answer;
    }

    private StoredJob find(String region, JsonNode body) {
        String jobId = required(body, "jobId");
        StoredJob job = jobs.get(jobId);
        if (job == null || !job.region.equals(region)) {
            throw new FakeApiException("JobNotFoundException",
                    "No job with id " + jobId + " in region " + region + ".");
        }
        return job;
    }

    private static String required(JsonNode body, String member) {
        String value = text(body, member);
        if (value == null) {
            throw FakeApiException.validation(null, member, "not be null");
        }
        return value;
    }

    /** AcknowledgeJob: checks the nonce; Created/Queued/Dispatched -> InProgress; answers the status. */
    synchronized ObjectNode acknowledge(String region, JsonNode body) {
        tick();
        StoredJob job = find(region, body);
        if (!job.nonce.equals(required(body, "nonce"))) {
            throw new FakeApiException("InvalidNonceException", "The nonce was specified in an invalid format.");
        }
        if (Set.of("Created", "Queued", "Dispatched").contains(job.status)) {
            job.status = "InProgress";
            job.dispatchedAt = null;
        }
        return JsonNodeFactory.instance.objectNode().put("status", job.status);
    }

    /** GetJobDetails. */
    synchronized ObjectNode details(String region, JsonNode body) {
        tick();
        StoredJob job = find(region, body);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ObjectNode details = answer.putObject("jobDetails");
        details.put("id", job.id);
        details.set("data", job.data.deepCopy());
        details.put("accountId", job.accountId);
        return answer;
    }

    /**
     * PutJobSuccessResult / PutJobFailureResult: closes an open job (a job never added is accepted once); a success
     * with a continuationToken queues a follow-up job.
     */
    synchronized ObjectNode result(String region, JsonNode body, boolean success) {
        tick();
        String token = success ? text(body, "continuationToken") : null;
        if (token != null && body.path("outputVariables").size() > 0) {
            throw new FakeApiException("ValidationException",
                    "outputVariables can be included only when there is no continuation token on the request.");
        }
        String jobId = text(body, "jobId");
        String closed = success ? "Succeeded" : "Failed";
        if (jobId == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        StoredJob job = jobs.get(jobId);
        if (job == null) {
            String status = untracked.get(jobId);
            if (status != null && !OPEN.contains(status)) {
                throw invalidState(jobId, status);
            }
            untracked.put(jobId, closed);
            return JsonNodeFactory.instance.objectNode();
        }
        job = find(region, body);
        if (!OPEN.contains(job.status)) {
            throw invalidState(jobId, job.status);
        }
        job.status = closed;
        job.dispatchedAt = null;
        if (token != null) {
            String followUpId = UUID.randomUUID().toString();
            ObjectNode data = job.data.deepCopy();
            data.put("continuationToken", token);
            jobs.put(followUpId, new StoredJob(followUpId, job.region, job.accountId, job.type, data, newNonce(null)));
            job.followUpJobId = followUpId;
        }
        return JsonNodeFactory.instance.objectNode();
    }

    private static FakeApiException invalidState(String jobId, String status) {
        return new FakeApiException("InvalidJobStateException",
                "Job " + jobId + " is in state " + status + ", results can no longer be reported");
    }
}
