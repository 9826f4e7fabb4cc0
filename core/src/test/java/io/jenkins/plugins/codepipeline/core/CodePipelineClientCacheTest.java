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
    void aClosedCacheLendsNothing() {
        CodePipelineClientCache cache = new CodePipelineClientCache(counting);
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.acquire(ConnectionSettings.builder().build()));
    }
}
