package io.jenkins.plugins.codepipeline.core.testing;

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
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * one per request, first in first out. Shared with the plugin's tests through core's test-jar.
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
    private final Set<String> closedJobs = ConcurrentHashMap.newKeySet();
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

    public boolean isClosed(String jobId) {
        return closedJobs.contains(jobId);
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
        String jobId = pending.jobId();
        if (!"CodePipeline_20150709.PutJobSuccessResult".equals(target)
                && !"CodePipeline_20150709.PutJobFailureResult".equals(target)) {
            requests.add(withVerdict(pending, "UnknownOperationException"));
            send(out, 400, requestId, errorBody("UnknownOperationException", null));
            return true;
        }
        if (jobId != null && !closedJobs.add(jobId)) {
            requests.add(withVerdict(pending, "InvalidJobStateException"));
            send(out, 400, requestId, errorBody("InvalidJobStateException",
                    "Job " + jobId + " is in state Succeeded, results can no longer be reported"));
            return true;
        }
        if (fault instanceof LoseResponse) {
            requests.add(withVerdict(pending, "ok:response-lost"));
            return false;
        }
        requests.add(withVerdict(pending, "ok"));
        send(out, 200, requestId, "{}");
        return true;
    }

    private static RecordedRequest withVerdict(RecordedRequest r, String verdict) {
        return new RecordedRequest(r.target(), r.headers(), r.body(), r.requestId(), verdict);
    }

    private static String errorBody(String type, String message) {
        return message == null ? "{\"__type\":\"" + type + "\"}"
                : "{\"__type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}";
    }

    private static void send(OutputStream out, int status, String requestId, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\n"
                + "x-amzn-RequestId: " + requestId + "\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
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
