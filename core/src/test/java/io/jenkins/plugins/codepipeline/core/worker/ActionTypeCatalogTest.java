package io.jenkins.plugins.codepipeline.core.worker;

import static io.jenkins.plugins.codepipeline.core.worker.JobPollerTest.KEYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.utils.AttributeMap;

class ActionTypeCatalogTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));

    @Test
    void everyPageIsReadAndAPropertyWithoutAFlagCountsAsSecret() throws Exception {
        Deque<String> answers = new ConcurrentLinkedDeque<>(List.of(
                "{\"actionTypes\":[" + type("Build", "Jenkins", "{\"name\":\"ProjectName\",\"secret\":false},"
                        + "{\"name\":\"Token\",\"secret\":true}") + "],\"nextToken\":\"page-2\"}",
                "{\"actionTypes\":[" + type("Test", "Jenkins", "{\"name\":\"Password\",\"secret\":true},"
                        + "{\"name\":\"Flagless\"}") + "," + type("Frobnicate", "Odd", "") + "]}"));
        List<String> bodies = new ArrayList<>();
        try (CodePipelineClientCache clients = new CodePipelineClientCache(settings -> new CannedClient(answers,
                bodies))) {
            ActionTypeCatalog catalog = new ActionTypeCatalog(clients, clock);
            ConnectionSettings settings = ConnectionSettings.builder().region("eu-west-1")
                    .endpoint(URI.create("https://codepipeline.test")).build();
            PollKey build = new PollKey(settings, "k", new ActionTypeId("Build", "Jenkins", "1"), null);
            PollKey test = new PollKey(settings, "k", new ActionTypeId("Test", "Jenkins", "1"), null);

            assertEquals(Optional.of(Set.of("Token")), catalog.secretProperties(build, KEYS));
            assertEquals(Optional.of(Set.of("Password", "Flagless")), catalog.secretProperties(test, KEYS));
            assertEquals(Set.of("ProjectName"), catalog.secretProperties(build, KEYS).orElseThrow().notSecret());
            assertEquals(Set.of(), catalog.secretProperties(test, KEYS).orElseThrow().notSecret(),
                    "a property without a flag is not on the allow-list");
            assertEquals(2, bodies.size(), "one listing of two pages serves both types");
            assertTrue(bodies.get(0).contains("\"actionOwnerFilter\":\"Custom\""), bodies.get(0));
            assertTrue(!bodies.get(0).contains("nextToken"), bodies.get(0));
            assertTrue(bodies.get(1).contains("\"nextToken\":\"page-2\""), bodies.get(1));
        }
    }

    private static String type(String category, String provider, String properties) {
        return "{\"id\":{\"category\":\"" + category + "\",\"owner\":\"Custom\",\"provider\":\"" + provider
                + "\",\"version\":\"1\"},\"actionConfigurationProperties\":[" + properties + "],"
                + "\"inputArtifactDetails\":{\"minimumCount\":0,\"maximumCount\":5},"
                + "\"outputArtifactDetails\":{\"minimumCount\":0,\"maximumCount\":5}}";
    }

    @Test
    void listingsAreKeptTenMinutesAndFailuresOne() throws Exception {
        try (FakeCodePipeline endpoint = new FakeCodePipeline();
                CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory())) {
            endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false, "Key", true));
            ActionTypeCatalog catalog = new ActionTypeCatalog(clients, clock, new Retrying(JobPollerTest.FAST));
            PollKey key = JobPollerTest.key(endpoint, JobQuery.all());

            endpoint.enqueue(new FakeCodePipeline.Error(400, "AccessDeniedException", "not authorized"));
            assertEquals(Optional.empty(), catalog.secretProperties(key, KEYS));
            clock.advance(Duration.ofSeconds(59));
            assertEquals(Optional.empty(), catalog.secretProperties(key, KEYS));
            assertEquals(1, endpoint.requests("ListActionTypes").size());
            assertTrue(catalog.problem(key).orElseThrow().contains("may not call codepipeline:ListActionTypes"));

            clock.advance(Duration.ofSeconds(1));
            assertEquals(Optional.of(Set.of("Key")), catalog.secretProperties(key, KEYS));
            assertEquals(Optional.empty(), catalog.problem(key));
            clock.advance(Duration.ofMinutes(9).plusSeconds(59));
            catalog.secretProperties(key, KEYS);
            assertEquals(2, endpoint.requests("ListActionTypes").size());
            clock.advance(Duration.ofSeconds(1));
            catalog.secretProperties(key, KEYS);
            assertEquals(3, endpoint.requests("ListActionTypes").size());
        }
    }

    @Test
    void aTypeMissingFromTheListingIsLookedUpAgainAfterAMinute() throws Exception {
        try (FakeCodePipeline endpoint = new FakeCodePipeline();
                CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory())) {
            ActionTypeCatalog catalog = new ActionTypeCatalog(clients, clock, new Retrying(JobPollerTest.FAST));
            PollKey key = JobPollerTest.key(endpoint, JobQuery.all());

            assertEquals(Optional.empty(), catalog.secretProperties(key, KEYS));
            endpoint.addActionType("us-east-1", "Build", "Jenkins", "1", Map.of("ProjectName", false));
            assertEquals(Optional.empty(), catalog.secretProperties(key, KEYS));
            assertEquals(1, endpoint.requests("ListActionTypes").size());

            clock.advance(Duration.ofMinutes(1));
            assertEquals(Optional.of(Set.of()), catalog.secretProperties(key, KEYS));
            assertEquals(2, endpoint.requests("ListActionTypes").size());
        }
    }

    /** Answers each request with the next canned ListActionTypes page, and keeps the request bodies. */
    private static final class CannedClient implements SdkHttpClient.Builder<CannedClient>, SdkHttpClient {
        private final Deque<String> answers;
        private final List<String> bodies;

        CannedClient(Deque<String> answers, List<String> bodies) {
            this.answers = answers;
            this.bodies = bodies;
        }

        @Override
        public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return this;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
                        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    byte[] body = answers.removeFirst().getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("x-amzn-RequestId", "req-" + bodies.size())
                                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                                    .putHeader("Content-Length", Integer.toString(body.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
