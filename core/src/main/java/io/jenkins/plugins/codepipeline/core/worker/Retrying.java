package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.RetryStrategies;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Drives the attempts of one worker call (the cached clients do not retry), as {@code JobResultReporter} does for
 * reports: the SDK's standard retry strategy decides what is retried (throttling, 5xx, broken connections, attempt
 * timeouts) and how long to wait; the waits here end at once on an interrupt. Few attempts: a poll that keeps
 * failing is simply made again at the next interval.
 */
final class Retrying {
    static final int MAX_ATTEMPTS = 3;

    private final BackoffStrategy backoff;

    /** @param backoff the wait before any retry; null for the SDK's standard waits */
    Retrying(BackoffStrategy backoff) {
        this.backoff = backoff;
    }

    /** How a call ended: its value, or its last failure, and the attempts made. */
    record Result<T>(T value, SdkException failure, int attempts) {
        boolean failed() {
            return failure != null;
        }
    }

    /**
     * @param scope   names the call for the retry strategy
     * @param attempt one SDK call
     * @throws InterruptedException when the thread is interrupted before or during an attempt or a wait
     */
    <T> Result<T> call(String scope, Supplier<T> attempt) throws InterruptedException {
        RetryStrategies.Retries retries =
                RetryStrategies.start(RetryStrategies.standard(MAX_ATTEMPTS, backoff, backoff).build(), scope);
        int attempts = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before attempt " + (attempts + 1) + " of " + scope);
            }
            attempts++;
            SdkException failure;
            try {
                T value = attempt.get();
                retries.succeeded();
                return new Result<>(value, null, attempts);
            } catch (AbortedException e) {
                throw interrupted(scope, e);
            } catch (SdkException e) {
                // The HTTP client may turn an interrupt into an I/O error: that is not a failure to retry.
                if (Thread.currentThread().isInterrupted()) {
                    throw interrupted(scope, e);
                }
                failure = e;
            }
            Optional<Duration> delay = retries.retryAfter(failure);
            if (delay.isEmpty()) {
                return new Result<>(null, failure, attempts);
            }
            Thread.sleep(delay.get().toMillis());
        }
    }

    private static InterruptedException interrupted(String scope, Exception cause) {
        Thread.interrupted(); // the exception carries the interrupt on, as Thread.sleep's does
        InterruptedException e = new InterruptedException("interrupted during " + scope);
        e.initCause(cause);
        return e;
    }
}
