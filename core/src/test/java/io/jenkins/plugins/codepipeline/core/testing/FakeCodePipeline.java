package io.jenkins.plugins.codepipeline.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.codepipeline.core.testing.FakeActionTypeStore.TypeId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process CodePipeline endpoint for tests: plain HTTP/1.1 on loopback, written on sockets so that it can also
 * drop a connection or lose an answer. It records every request, answers {@code PutJobSuccessResult} and
 * {@code PutJobFailureResult} with {@code {}} and a fresh {@code x-amzn-RequestId}, closes the job, and answers a
 * second result for a closed job with {@code InvalidJobStateException}. Faults queued with {@link #enqueue} are used
 * one per request of any operation, first in first out. Shared with the plugin's tests through core's test-jar.
 *
 * <p>It also serves the job worker's side: jobs added with {@link #addJob} are handed out by {@code PollForJobs},
 * acknowledged by {@code AcknowledgeJob} (nonce checked), shown by {@code GetJobDetails} and closed by the results
 * (see {@link FakeJobStore} for the state machine); custom action types added with {@link #addActionType} or
 * {@code CreateCustomActionType} are listed by {@code ListActionTypes} and removed by {@code DeleteCustomActionType}.
 * A request's region is the one of its SigV4 credential scope; jobs and action types are seen only in their region.
 * Answers are shaped as the CodePipeline service model says, errors as {@code {"__type": ..., "message": ...}}.
 */
public final class FakeCodePipeline implements AutoCloseable {

    /** A request as received. */
    public record RecordedRequest(String target, Map<String, String> headers, String body, String requestId,
            String verdict) {
        /** The operation, such as {@code PutJobSuccessResult}. */
        public String operation() {
            return target == null ? null : target.substring(target.indexOf('.') + 1);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The access key id from the Authorization header's credential scope. */
        public String accessKeyId() {
            Matcher m = Pattern.compile("Credential=([^/]+)/").matcher(String.valueOf(header("authorization")));
            return m.find() ? m.group(1) : null;
        }

        /** The region of the Authorization header's credential scope. */
        public String region() {
            Matcher m = Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/")
                    .matcher(String.valueOf(header("authorization")));
            return m.find() ? m.group(1) : null;
        }

        /** The jobId member of the body. */
        public String jobId() {
            Matcher m = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    /** What to do with one request instead of the normal answer. */
    public sealed interface Fault permits Error, Drop, LoseResponse, Delay {
    }

    /** Answer with an AWS error. */
    public record Error(int status, String type, String message) implements Fault {
    }

    /** Read the request, close the connection, don't carry it out. */
    public record Drop() implements Fault {
    }

    /** Carry the request out, then close the connection without answering. */
    public record LoseResponse() implements Fault {
    }

    /** Wait, then answer normally. */
    public record Delay(long millis) implements Fault {
    }

    /**
     * A job to add with {@link #addJob}. Its data carries this action type id and configuration, the pipeline context
     * of pipeline {@value #PIPELINE_NAME}, stage {@value #STAGE_NAME} and action {@value #ACTION_NAME} (with a fresh
     * pipelineExecutionId and actionExecutionId), the artifacts in S3 (inputs with revision {@link #revision}), the
     * fake artifact credentials ({@link FakeCodePipeline#ARTIFACT_ACCESS_KEY_ID}, ...) and the continuation token
     * when there is one.
     */
    public record FakeJob(String jobId, String region, String accountId, String category, String provider,
            String version, Map<String, String> configuration, List<String> inputArtifacts,
            List<String> outputArtifacts, String continuationToken) {
        public static final String PIPELINE_NAME = "demo";
        public static final String STAGE_NAME = "Build";
        public static final String ACTION_NAME = "Jenkins";
        public static final String DEFAULT_REGION = "us-east-1";
        public static final String DEFAULT_ACCOUNT_ID = "123456789012";

        public FakeJob {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(version, "version");
            configuration = configuration == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
            inputArtifacts = inputArtifacts == null ? List.of() : List.copyOf(inputArtifacts);
            outputArtifacts = outputArtifacts == null ? List.of() : List.copyOf(outputArtifacts);
        }

        /** A job with a random id in {@value #DEFAULT_REGION}, account {@value #DEFAULT_ACCOUNT_ID}, no artifacts. */
        public static FakeJob of(String category, String provider, String version, Map<String, String> configuration) {
            return new FakeJob(UUID.randomUUID().toString(), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, category, provider,
                    version, configuration, List.of(), List.of(), null);
        }

        public FakeJob withId(String id) {
            return new FakeJob(id, region, accountId, category, provider, version, configuration, inputArtifacts,
                    outputArtifacts, continuationToken);
        }

        public FakeJob withRegion(String r) {
            return new FakeJob(jobId, r, accountId, category, provider, version, configuration, inputArtifacts,
                    outputArtifacts, continuationToken);
        }

        public FakeJob withArtifacts(List<String> in, List<String> out) {
            return new FakeJob(jobId, region, accountId, category, provider, version, configuration, in, out,
                    continuationToken);
        }

        public FakeJob withContinuationToken(String t) {
            return new FakeJob(jobId, region, accountId, category, provider, version, configuration, inputArtifacts,
                    outputArtifacts, t);
        }

        /** The revision an input artifact of this name gets: the SHA-1 of the name, in hex (like a Git commit). */
        public static String revision(String artifactName) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(artifactName.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The artifact credentials every job carries: distinctive, so that a test can look for them where they leak. */
    public static final String ARTIFACT_ACCESS_KEY_ID = "ASIAFAKEARTIFACT";
    public static final String ARTIFACT_SECRET_ACCESS_KEY = "fakeArtifactSecret";
    public static final String ARTIFACT_SESSION_TOKEN = "fakeArtifactSessionToken";
    /** The property {@link #addActionType} makes queryable (and required) when it is not secret. */
    static final String QUERYABLE_PROPERTY = "ProjectName";
    private static final String TARGET_PREFIX = "CodePipeline_20150709.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OPERATIONS = Set.of("PutJobSuccessResult", "PutJobFailureResult", "PollForJobs",
            "AcknowledgeJob", "GetJobDetails", "ListActionTypes", "CreateCustomActionType", "DeleteCustomActionType");

    public static Fault throttle() {
        return new Error(400, "ThrottlingException", "Rate exceeded");
    }

    public static Fault internalError() {
        return new Error(500, "InternalFailure", "We encountered an internal error. Please try again.");
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-codepipeline");
        t.setDaemon(true);
        return t;
    });
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final FakeJobStore jobs = new FakeJobStore();
    private final FakeActionTypeStore actionTypes = new FakeActionTypeStore();
    private volatile boolean requireKnownActionTypes;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    public FakeCodePipeline() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        connections.submit(this::acceptLoop);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public FakeCodePipeline enqueue(Fault... queued) {
        Collections.addAll(faults, queued);
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        return requests.get(requests.size() - 1);
    }

    /** The requests of one operation, such as {@code PollForJobs}, in the order they came. */
    public List<RecordedRequest> requests(String operation) {
        return requests.stream().filter(r -> Objects.equals(operation, r.operation())).toList();
    }

    /** Whether a result closed the job (or a test set it Succeeded or Failed). */
    public boolean isClosed(String jobId) {
        String status = jobs.status(jobId);
        return "Succeeded".equals(status) || "Failed".equals(status);
    }

    /** Adds a job, status Created, with a fresh nonce. */
    public FakeCodePipeline addJob(FakeJob job) {
        jobs.add(job);
        return this;
    }

    /**
     * Adds (or replaces) a custom action type of the region for ListActionTypes: one String property per entry,
     * secret as given, key; the non-secret property {@code ProjectName} is also required and queryable. Input and
     * output artifacts 0-5, no settings.
     */
    public FakeCodePipeline addActionType(String region, String category, String provider, String version,
            Map<String, Boolean> propertiesSecret) {
        actionTypes.put(region, category, provider, version, propertiesSecret);
        return this;
    }

    /** Created, Queued, Dispatched, InProgress, Succeeded, Failed, TimedOut, or null for a job it never saw. */
    public String jobStatus(String jobId) {
        return jobs.status(jobId);
    }

    /** Sets a job's status (for example TimedOut, so that a late result gets InvalidJobStateException). */
    public void setJobStatus(String jobId, String status) {
        jobs.setStatus(jobId, status);
    }

    /** The nonce the job has now (a new one after each redispatch); null for a job never added. */
    public String nonce(String jobId) {
        return jobs.nonce(jobId);
    }

    /** How long a Dispatched job waits for AcknowledgeJob before it is Created again with a new nonce (default
     *  30 s; zero or negative: forever). */
    public void setDispatchTimeout(Duration d) {
        jobs.setDispatchTimeout(d);
    }

    /** The clock of the dispatch timeout (default the system clock). */
    public FakeCodePipeline setClock(Clock clock) {
        jobs.setClock(clock);
        return this;
    }

    /** The ids of the jobs in that status, in the order they were added; null status: every job. */
    public List<String> jobIds(String status) {
        return jobs.ids(status);
    }

    /** The job queued when this one got a success with a continuationToken, or null. */
    public String followUpJobId(String jobId) {
        return jobs.followUpJobId(jobId);
    }

    /** The job's data as JSON, as PollForJobs and GetJobDetails return it; null for a job never added. */
    public String jobData(String jobId) {
        return jobs.data(jobId);
    }

    /**
     * When true, PollForJobs for an action type that was neither added nor has a job in the region gets
     * ActionTypeNotFoundException, as AWS answers; by default it gets an empty list.
     */
    public FakeCodePipeline requireKnownActionTypes(boolean require) {
        requireKnownActionTypes = require;
        return this;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                connections.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                Map<String, String> headers = new LinkedHashMap<>();
                String requestLine = readLine(in);
                if (requestLine == null) {
                    return;
                }
                for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                if (!answer(headers, new String(body, StandardCharsets.UTF_8), out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            sockets.remove(socket);
        }
    }

    /** @return false when the connection must be closed */
    private boolean answer(Map<String, String> headers, String body, OutputStream out) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String target = headers.get("x-amz-target");
        Fault fault = faults.poll();
        RecordedRequest pending = new RecordedRequest(target, Map.copyOf(headers), body, requestId, null);
        if (fault instanceof Drop) {
            requests.add(withVerdict(pending, "fault:drop"));
            return false;
        }
        if (fault instanceof Delay delay) {
            try {
                Thread.sleep(delay.millis());
            } catch (InterruptedException e) {
                return false;
            }
        }
        if (fault instanceof Error error) {
            requests.add(withVerdict(pending, error.type()));
            send(out, error.status(), requestId, errorBody(error.type(), error.message()));
            return true;
        }
        int status;
        String answer;
        String verdict;
        try {
            answer = JSON.writeValueAsString(carryOut(target, pending.region(), body));
            status = 200;
            verdict = "ok";
        } catch (FakeApiException e) {
            answer = errorBody(e.type(), e.getMessage());
            status = e.status();
            verdict = e.type();
        } catch (RuntimeException e) { // a bug of the fake must not pass for a client's bug
            answer = errorBody("InternalFailure", "fake endpoint bug: " + e);
            status = 500;
            verdict = "FakeBug";
        }
        if (status == 200 && fault instanceof LoseResponse) {
            requests.add(withVerdict(pending, "ok:response-lost"));
            return false;
        }
        requests.add(withVerdict(pending, verdict));
        send(out, status, requestId, answer);
        return true;
    }

    private JsonNode carryOut(String target, String region, String body) {
        String operation = target != null && target.startsWith(TARGET_PREFIX)
                ? target.substring(TARGET_PREFIX.length()) : null;
        if (operation == null || !OPERATIONS.contains(operation)) {
            throw new FakeApiException("UnknownOperationException", null);
        }
        JsonNode request;
        try {
            request = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new FakeApiException("SerializationException", "Request body is not valid JSON.");
        }
        if (!request.isObject()) {
            throw new FakeApiException("SerializationException", "Request body is not a JSON object.");
        }
        return switch (operation) {
            case "PutJobSuccessResult" -> jobs.result(region, request, true);
            case "PutJobFailureResult" -> jobs.result(region, request, false);
            case "PollForJobs" -> pollForJobs(region, request);
            case "AcknowledgeJob" -> jobs.acknowledge(region, request);
            case "GetJobDetails" -> jobs.details(region, request);
            case "ListActionTypes" -> actionTypes.list(region, FakeActionTypeStore.text(request, "actionOwnerFilter"));
            case "CreateCustomActionType" -> actionTypes.create(region, request);
            case "DeleteCustomActionType" -> {
                actionTypes.delete(region, request);
                yield JSON.createObjectNode();
            }
            default -> throw new IllegalStateException(operation);
        };
    }

    private ObjectNode pollForJobs(String region, JsonNode request) {
        TypeId type = TypeId.from(request.get("actionTypeId"), "actionTypeId");
        if (!"Custom".equals(type.owner()) || requireKnownActionTypes && !actionTypes.contains(region, type)
                && !jobs.hasType(region, type)) {
            throw new FakeApiException("ActionTypeNotFoundException",
                    "Action type " + type.describe() + " was not found.");
        }
        return jobs.poll(region, type, request);
    }

    private static RecordedRequest withVerdict(RecordedRequest r, String verdict) {
        return new RecordedRequest(r.target(), r.headers(), r.body(), r.requestId(), verdict);
    }

    private static String errorBody(String type, String message) {
        ObjectNode error = JSON.createObjectNode().put("__type", type);
        if (message != null) {
            error.put("message", message);
        }
        return error.toString();
    }

    private static void send(OutputStream out, int status, String requestId, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\n"
                + "x-amzn-RequestId: " + requestId + "\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        // One write: head and body in two segments stall on Nagle's algorithm and delayed ACKs (about 40 ms each).
        ByteArrayOutputStream answer = new ByteArrayOutputStream(head.length() + bytes.length);
        answer.write(head.getBytes(StandardCharsets.US_ASCII));
        answer.write(bytes);
        out.write(answer.toByteArray());
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

}
