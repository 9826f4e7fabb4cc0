package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The SDK's standard retry strategy as the loops that drive their own attempts use it (the cached clients do not
 * retry): {@link JobResultReporter}, the worker's calls and the command line's {@code create-action-type}. The
 * strategy decides what is retried and how long to wait; the loop makes the attempts and does the waiting.
 */
public final class RetryStrategies {
    private RetryStrategies() {
    }

    /**
     * A builder of a fresh standard strategy, without the circuit breaker: many calls failing together must not use
     * up the retries of the next one. Build one per call.
     *
     * @param backoff           wait before retrying a failure; null for the SDK's standard
     * @param throttlingBackoff wait before retrying throttling; null for the SDK's standard
     */
    public static StandardRetryStrategy.Builder standard(int maxAttempts, BackoffStrategy backoff,
            BackoffStrategy throttlingBackoff) {
        StandardRetryStrategy.Builder builder = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .circuitBreakerEnabled(false);
        if (backoff != null) {
            builder.backoffStrategy(backoff);
        }
        if (throttlingBackoff != null) {
            builder.throttlingBackoffStrategy(throttlingBackoff);
        }
        return builder;
    }

    /**
     * Starts the attempts of one call.
     *
     * @param scope names the call for the retry strategy
     */
    public static Retries start(RetryStrategy strategy, String scope) {
        return new Retries(strategy, strategy.acquireInitialToken(AcquireInitialTokenRequest.create(scope)).token());
    }

    /** The retry strategy's view of one call: told of each attempt's outcome, it says whether to try again. */
    public static final class Retries {
        private final RetryStrategy strategy;
        private RetryToken token;

        private Retries(RetryStrategy strategy, RetryToken token) {
            this.strategy = strategy;
            this.token = token;
        }

        /** The attempt succeeded: the call is over. */
        public void succeeded() {
            strategy.recordSuccess(RecordSuccessRequest.create(token));
        }

        /**
         * The attempt failed with {@code failure}.
         *
         * @return the wait before the next attempt; empty when the failure is not retried (not retryable, or the
         *         attempts are used up)
         */
        public Optional<Duration> retryAfter(SdkException failure) {
            try {
                RefreshRetryTokenResponse refreshed = strategy.refreshRetryToken(
                        RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
                token = refreshed.token();
                return Optional.of(refreshed.delay());
            } catch (TokenAcquisitionFailedException notRetried) {
                return Optional.empty();
            }
        }
    }
}
