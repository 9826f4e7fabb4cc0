package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.codepipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class SessionCredentialsCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final SessionCredentialsCache cache = new SessionCredentialsCache(clock);

    /** Counts resolves, as an STS AssumeRole provider would make calls; each session lasts an hour. */
    private final class CountingRole implements AwsCredentialsProvider {
        final AtomicInteger resolves = new AtomicInteger();
        Duration lifetime = Duration.ofHours(1);

        @Override
        public AwsCredentials resolveCredentials() {
            int n = resolves.incrementAndGet();
            return AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("secret" + n)
                    .sessionToken("token" + n).expirationTime(clock.instant().plus(lifetime)).build();
        }
    }

    @Test
    void oneResolveUntilFiveMinutesBeforeExpiry() {
        CountingRole role = new CountingRole();
        AwsCredentialsProvider cached = cache.cached("folder/x::role", role);

        AwsCredentials first = cached.resolveCredentials();
        clock.advance(Duration.ofMinutes(54).plusSeconds(59));
        assertSame(first, cached.resolveCredentials());
        assertSame(first, cache.cached("folder/x::role", role).resolveCredentials(), "a new wrapper, same key");
        assertEquals(1, role.resolves.get());

        clock.advance(Duration.ofSeconds(1)); // 55 minutes: 5 minutes before expiry
        AwsCredentials second = cached.resolveCredentials();
        assertEquals("ASIA2", second.accessKeyId());
        assertEquals(2, role.resolves.get());
        clock.advance(Duration.ofMinutes(30));
        assertSame(second, cached.resolveCredentials());
        assertEquals(2, role.resolves.get());
    }

    @Test
    void credentialsWithoutExpiryAreKeptTenMinutes() {
        AtomicInteger resolves = new AtomicInteger();
        AwsCredentialsProvider keys = () -> {
            resolves.incrementAndGet();
            return AwsBasicCredentials.create("AKID", "secret");
        };
        AwsCredentialsProvider cached = cache.cached("cp-worker", keys);
        cached.resolveCredentials();
        clock.advance(Duration.ofMinutes(9));
        cached.resolveCredentials();
        assertEquals(1, resolves.get());
        clock.advance(Duration.ofMinutes(1));
        cached.resolveCredentials();
        assertEquals(2, resolves.get());
    }

    @Test
    void sessionsAboutToExpireAreNotReused() {
        CountingRole role = new CountingRole();
        role.lifetime = Duration.ofMinutes(4);
        AwsCredentialsProvider cached = cache.cached("short", role);
        cached.resolveCredentials();
        cached.resolveCredentials();
        assertEquals(2, role.resolves.get());
    }

    @Test
    void keysAreSeparateAndInvalidateForgets() {
        CountingRole a = new CountingRole();
        CountingRole b = new CountingRole();
        cache.cached("a", a).resolveCredentials();
        cache.cached("b", b).resolveCredentials();
        cache.cached("a", a).resolveCredentials();
        assertEquals(1, a.resolves.get());
        assertEquals(1, b.resolves.get());

        cache.invalidate("a");
        cache.cached("a", a).resolveCredentials();
        assertEquals(2, a.resolves.get());
        assertEquals(1, b.resolves.get());
    }

    @Test
    void aFailedResolveIsNotCached() {
        AtomicInteger calls = new AtomicInteger();
        AwsCredentialsProvider flaky = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("STS is unavailable");
            }
            return AwsBasicCredentials.create("AKID", "secret");
        };
        AwsCredentialsProvider cached = cache.cached("flaky", flaky);
        assertThrows(IllegalStateException.class, cached::resolveCredentials);
        assertEquals("AKID", cached.resolveCredentials().accessKeyId());
        cached.resolveCredentials();
        assertEquals(2, calls.get());
    }

    @Test
    void concurrentResolvesOfOneKeyMakeOneCall() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AwsCredentialsProvider slow = () -> {
            calls.incrementAndGet();
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return AwsBasicCredentials.create("AKID", "secret");
        };
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> cache.cached("shared", slow).resolveCredentials());
            threads.add(t);
            t.start();
        }
        inside.await();
        Thread.sleep(50);
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, calls.get());
    }
}
