package io.jenkins.plugins.codepipeline.core.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Reuses the session credentials of a provider until {@link #REFRESH_BEFORE_EXPIRY} before they expire, or for
 * {@link #KEEP_WITHOUT_EXPIRY} when they carry no expiry. A provider that assumes a role calls STS on every resolve,
 * and a poller resolves on every poll: without this, one AssumeRole per poll.
 *
 * <p>Cached by key only: the source is asked when the cached session is too old, so call {@link #invalidate} when
 * the credentials behind a key change. A failed resolve is not cached. Resolves of one key are serialized, so that
 * concurrent polls make one STS call, not one each.
 */
public final class SessionCredentialsCache {
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    public static final Duration KEEP_WITHOUT_EXPIRY = Duration.ofMinutes(10);
    private static final String DEFAULT_KEY = "";

    private final Clock clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public SessionCredentialsCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A provider that answers from this cache, resolving {@code source} when the cached session is missing or too
     * old.
     *
     * @param credentialsKey names the credentials (not secret); null for the default ones
     */
    public AwsCredentialsProvider cached(String credentialsKey, AwsCredentialsProvider source) {
        Objects.requireNonNull(source, "source");
        String key = credentialsKey == null ? DEFAULT_KEY : credentialsKey;
        return new AwsCredentialsProvider() {
            @Override
            public AwsCredentials resolveCredentials() {
                return resolve(key, source);
            }

            @Override
            public String toString() {
                return "SessionCredentialsCache(" + key + ")";
            }
        };
    }

    /** Forgets the cached session of this key: the next resolve asks its source. */
    public void invalidate(String credentialsKey) {
        slots.remove(credentialsKey == null ? DEFAULT_KEY : credentialsKey);
    }

    private AwsCredentials resolve(String key, AwsCredentialsProvider source) {
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        synchronized (slot) {
            if (slot.credentials != null && clock.instant().isBefore(slot.refreshAt)) {
                return slot.credentials;
            }
            AwsCredentials fresh = source.resolveCredentials();
            Instant now = clock.instant();
            // Credentials that expire within the margin are used once and asked for again next time.
            slot.refreshAt = fresh.expirationTime().map(expiry -> expiry.minus(REFRESH_BEFORE_EXPIRY))
                    .orElse(now.plus(KEEP_WITHOUT_EXPIRY));
            slot.credentials = fresh;
            return fresh;
        }
    }

    private static final class Slot {
        AwsCredentials credentials;
        Instant refreshAt;
    }
}
