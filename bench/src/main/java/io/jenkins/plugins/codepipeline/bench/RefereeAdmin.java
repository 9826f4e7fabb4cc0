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
import java.util.ArrayList;
import java.util.HashMap;
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
