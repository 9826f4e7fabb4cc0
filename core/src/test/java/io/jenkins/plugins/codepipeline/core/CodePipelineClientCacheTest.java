package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

class CodePipelineClientCacheTest {
    private final AtomicInteger httpClientsBuilt = new AtomicInteger();
    private final AtomicInteger httpClientsClosed = new AtomicInteger();

    /** Counts HTTP clients built and closed: closing an SDK client closes the HTTP client it owns. */
    private final HttpClientFactory counting = settings -> new CountingBuilder(settings);

    private final class CountingBuilder implements SdkHttpClient.Builder<CountingBuilder> {
        private final HttpSettings settings;

        CountingBuilder(HttpSettings settings) {
            this.settings = settings;
        }

        @Override
        public SdkHttpClient buildWithDefaults(software.amazon.awssdk.utils.AttributeMap defaults) {
            httpClientsBuilt.incrementAndGet();
            SdkHttpClient real = new ApacheHttpClientFactory().builder(settings).buildWithDefaults(defaults);
            return new SdkHttpClient() {
                @Override
                public software.amazon.awssdk.http.ExecutableHttpRequest prepareRequest(
                        software.amazon.awssdk.http.HttpExecuteRequest request) {
                    return real.prepareRequest(request);
                }

                @Override
                public void close() {
                    httpClientsClosed.incrementAndGet();
                    real.close();
                }
            };
        }
    }

    @Test
    void oneClientPerConnectionSettings() {
        try (CodePipelineClientCache cache = new CodePipelineClientCache(counting)) {
            ConnectionSettings east = ConnectionSettings.builder().region("us-east-1").build();
            ConnectionSettings west = ConnectionSettings.builder().region("eu-west-1").build();
            CodePipelineClient first;
            try (var lease = cache.acquire(east)) {
                first = lease.client();
            }
            try (var lease = cache.acquire(ConnectionSettings.builder().region("us-east-1").build())) {
                assertSame(first, lease.client());
            }
            try (var lease = cache.acquire(west)) {
                assertNotSame(first, lease.client());
            }
            try (var lease = cache.acquire(east.toBuilder().maxAttempts(2).build())) {
                assertNotSame(first, lease.client());
            }
            assertEquals(3, cache.clientsCreated());
            assertEquals(3, httpClientsBuilt.get());
        }
        assertEquals(3, httpClientsClosed.get());
    }

    @Test
    void theLeastRecentlyUsedClientIsEvictedAndClosedOnceReturned() {
        try (CodePipelineClientCache cache = new CodePipelineClientCache(counting, 2)) {
            var a = cache.acquire(ConnectionSettings.builder().region("us-east-1").build());
            cache.acquire(ConnectionSettings.builder().region("us-east-2").build()).close();
            cache.acquire(ConnectionSettings.builder().region("us-west-1").build()).close();
            assertEquals(2, cache.size());
            assertEquals(0, httpClientsClosed.get(), "a lent client is not closed under its user");
            a.close();
            assertEquals(1, httpClientsClosed.get());
            a.close();
            assertEquals(1, httpClientsClosed.get(), "returning twice is harmless");
        }
        assertEquals(3, httpClientsClosed.get());
    }

    @Test
    void allClientsShareOneTimerPoolThatCloseShutsDown() throws Exception {
        java.util.function.Supplier<Long> timerThreads = () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("codepipeline-client-timer-")).count();
        long before = timerThreads.get();
        CodePipelineClientCache cache = new CodePipelineClientCache(counting);
        try (FakeCodePipelineHolder endpoint = new FakeCodePipelineHolder()) {
            JobResultReporter reporter = new JobResultReporter(cache);
            var keys = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKID", "secret"));
            String[] regions = {"us-east-1", "us-east-2", "us-west-1", "us-west-2"};
            for (int i = 0; i < regions.length; i++) {
                reporter.report(SuccessResult.builder().jobId("0a1b2c3d-1111-2222-3333-00000000000" + i).build(),
                        ConnectionSettings.builder().region(regions[i]).endpoint(endpoint.fake.endpoint()).build(), keys,
                        ReportListener.NONE);
            }
            assertEquals(4, cache.clientsCreated());
            // SDK clients on their own would start a timer pool each; the cache's clients share one of two threads.
            long during = timerThreads.get() - before;
            org.junit.jupiter.api.Assertions.assertTrue(during >= 1 && during <= 2, "timer threads: " + during);
        } finally {
            cache.close();
        }
        for (int i = 0; i < 50 && timerThreads.get() > before; i++) {
            Thread.sleep(20);
        }
        assertEquals(before, timerThreads.get());
    }

    /** The in-process endpoint, closed with try-with-resources. */
    private static final class FakeCodePipelineHolder implements AutoCloseable {
        final io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline fake;

        FakeCodePipelineHolder() throws java.io.IOException {
            fake = new io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline();
        }

        @Override
        public void close() throws java.io.IOException {
            fake.close();
        }
    }

    @Test
    void aClosedCacheLendsNothing() {
        CodePipelineClientCache cache = new CodePipelineClientCache(counting);
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.acquire(ConnectionSettings.builder().build()));
    }
}
