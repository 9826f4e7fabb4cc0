package io.jenkins.plugins.codepipeline.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The referee's admin API (unsigned, plain JSON): jobs in, job states out. */
final class RefereeAdmin {
    private static final JsonFactory JSON = new JsonFactory();

    /** A job as the referee holds it: its status and how many API requests named it. */
    record Job(String jobId, String status, String region, int requests) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RefereeAdmin(URI endpoint) {
        this.base = endpoint;
    }

    /** Creates {@code n} jobs in {@code region}, status InProgress (acknowledged), and returns their ids. */
    List<String> createJobs(int n, String region) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            String body = "{\"jobId\":\"" + id + "\",\"status\":\"InProgress\",\"region\":\"" + region + "\"}";
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/_referee/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("referee refused job " + id + ": " + response.statusCode() + " "
                        + response.body());
            }
            ids.add(id);
        }
        return ids;
    }

    List<String> createJobs(int n) {
        return createJobs(n, "us-east-1");
    }

    /** Every job the referee holds, by id. */
    Map<String, Job> jobs() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/_referee/jobs")).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /_referee/jobs: " + response.statusCode());
        }
        Map<String, Job> jobs = new HashMap<>();
        try (JsonParser p = JSON.createParser(response.body())) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"jobs".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String jobId = null;
                    String status = null;
                    String region = null;
                    int requests = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken t = p.nextToken();
                        switch (name) {
                            case "jobId" -> jobId = p.getText();
                            case "status" -> status = p.getText();
                            case "region" -> region = p.getText();
                            case "history" -> {
                                expect(t, JsonToken.START_ARRAY);
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    p.skipChildren();
                                    requests++;
                                }
                            }
                            default -> p.skipChildren();
                        }
                    }
                    jobs.put(jobId, new Job(jobId, status, region, requests));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jobs;
    }

    /** How many of {@code ids} the referee holds as Succeeded after exactly one API request each. */
    Verdict check(List<String> ids) {
        Map<String, Job> all = jobs();
        int succeeded = 0;
        int oneRequest = 0;
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            Job job = all.get(id);
            if (job != null && "Succeeded".equals(job.status())) {
                succeeded++;
            } else if (problems.size() < 5) {
                problems.add(id + "=" + (job == null ? "missing" : job.status()));
            }
            if (job != null && job.requests() == 1) {
                oneRequest++;
            }
        }
        return new Verdict(ids.size(), succeeded, oneRequest, problems);
    }

    record Verdict(int jobs, int succeeded, int oneRequest, List<String> problems) {
        boolean allSucceeded() {
            return jobs == succeeded;
        }

        @Override
        public String toString() {
            return succeeded + "/" + jobs + " Succeeded at the referee (" + oneRequest + " with exactly one API request)"
                    + (problems.isEmpty() ? "" : "; not: " + problems);
        }
    }

    // ------------------------------------------------------------------ the worker's sections (7, 8)

    /** The queryable property every benchmark action type has (required, key, not secret). */
    static final String QUERY_NAME = "ProjectName";

    /**
     * Registers the custom action type Build/Custom/{provider}/1 in {@code region} with one required, queryable,
     * non-secret property {@value #QUERY_NAME} and one secret property, as CreateCustomActionType would (so that
     * PollForJobs and ListActionTypes know it). An existing type is left as it is.
     */
    void registerActionType(String region, String provider) {
        String body = "{\"region\":\"" + region + "\",\"category\":\"Build\",\"provider\":\"" + provider
                + "\",\"version\":\"1\",\"configurationProperties\":["
                + "{\"name\":\"" + QUERY_NAME + "\",\"required\":true,\"key\":true,\"secret\":false,"
                + "\"queryable\":true,\"type\":\"String\"},"
                + "{\"name\":\"Token\",\"required\":false,\"key\":false,\"secret\":true,\"queryable\":false,"
                + "\"type\":\"String\"}],"
                + "\"inputArtifactDetails\":{\"minimumCount\":0,\"maximumCount\":5},"
                + "\"outputArtifactDetails\":{\"minimumCount\":0,\"maximumCount\":5}}";
        HttpResponse<String> response = post("/_referee/action-types", body);
        if (response.statusCode() != 201 && !response.body().contains("already exists")) {
            throw new IllegalStateException("referee refused action type " + provider + ": "
                    + response.statusCode() + " " + response.body());
        }
    }

    /** Creates one job (status Created) of Build/Custom/{provider}/1 whose {@value #QUERY_NAME} is {@code value}. */
    String createQueuedJob(String region, String provider, String value) {
        String id = UUID.randomUUID().toString();
        String body = "{\"jobId\":\"" + id + "\",\"status\":\"Created\",\"region\":\"" + region + "\",\"data\":{"
                + "\"actionTypeId\":{\"category\":\"Build\",\"owner\":\"Custom\",\"provider\":\"" + provider
                + "\",\"version\":\"1\"},\"actionConfiguration\":{\"configuration\":{\"" + QUERY_NAME + "\":\""
                + value + "\",\"Token\":\"bench-secret\"}}}}";
        HttpResponse<String> response = post("/_referee/jobs", body);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("referee refused job " + id + ": " + response.statusCode() + " "
                    + response.body());
        }
        return id;
    }

    /** The jobs of Build/Custom/{provider}/1 in one of these states, by id → status. */
    Map<String, String> jobsOf(String provider, String... statuses) {
        StringBuilder query = new StringBuilder();
        for (String status : statuses) {
            query.append(query.length() == 0 ? "?" : "&").append("status=").append(status);
        }
        Map<?, ?> answer = (Map<?, ?>) getJson("/_referee/jobs" + query);
        Map<String, String> jobs = new LinkedHashMap<>();
        for (Object o : (List<?>) answer.get("jobs")) {
            Map<?, ?> job = (Map<?, ?>) o;
            if (provider.equals(path(job, "data", "actionTypeId", "provider"))) {
                jobs.put((String) job.get("jobId"), (String) job.get("status"));
            }
        }
        return jobs;
    }

    /** The recorded API requests of these operations after {@code since} (a seq), oldest first. */
    List<Map<?, ?>> requests(long since, String... operations) {
        StringBuilder query = new StringBuilder("?since=").append(since);
        for (String op : operations) {
            query.append("&operation=").append(URLEncoder.encode(op, StandardCharsets.UTF_8));
        }
        Map<?, ?> answer = (Map<?, ?>) getJson("/_referee/requests" + query);
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : (List<?>) answer.get("requests")) {
            out.add((Map<?, ?>) o);
        }
        return out;
    }

    /**
     * The seq of the latest recorded request, found cheaply: one signed ListActionTypes (which the benchmark's other
     * requests rarely make), then the ListActionTypes records only.
     */
    long lastSeq() {
        try (var client = Fixture.bareClient(base)) {
            client.listActionTypes(b -> b.actionOwnerFilter("Custom"));
        }
        long seq = 0;
        for (Map<?, ?> r : requests(0, "ListActionTypes")) {
            seq = Math.max(seq, ((Number) r.get("seq")).longValue());
        }
        return seq;
    }

    /** A member inside nested JSON objects, or null. */
    static Object path(Object node, String... names) {
        for (String name : names) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(name);
        }
        return node;
    }

    private Object getJson(String pathAndQuery) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + ": " + response.statusCode() + " "
                    + response.body());
        }
        try (JsonParser p = JSON.createParser(response.body())) {
            return tree(p, p.nextToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON as Map (insertion order), List, String, Long/Double, Boolean or null. */
    private static Object tree(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, tree(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(tree(p, next));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + t);
        }
    }

    private HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", got " + actual);
        }
    }
}
