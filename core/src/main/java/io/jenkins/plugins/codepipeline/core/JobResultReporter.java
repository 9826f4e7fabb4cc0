package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Sends job results to CodePipeline and says how it went.
 *
 * <p>Attempts are driven here, one SDK call each (the cached clients do not retry), with the SDK's own standard
 * retry strategy deciding which failures are retried and how long to wait. Doing it here rather than in an
 * {@code ExecutionInterceptor} gives, with one mechanism: every attempt's outcome (needed to tell "the answer was
 * lost, then the job was found closed" from a refusal), a limit on the total time, waits that an interrupt ends at
 * once, and a log line per retry.
 *
 * <p>Credentials are resolved once per report, and every attempt of that report signs with the session
 * credentials they returned: a provider that assumes a role calls STS once, not once per attempt.
 */
public final class JobResultReporter {
    private final CodePipelineClientCache clients;
    private final BackoffStrategy backoff;
    private final BackoffStrategy throttlingBackoff;

    /** Waits between attempts as the SDK's standard retry mode does. */
    public JobResultReporter(CodePipelineClientCache clients) {
        this(clients, null, null);
    }

    /**
     * @param backoff           wait before retrying a failure; null for the SDK's standard
     * @param throttlingBackoff wait before retrying throttling; null for the SDK's standard
     */
    public JobResultReporter(CodePipelineClientCache clients, BackoffStrategy backoff,
            BackoffStrategy throttlingBackoff) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.backoff = backoff;
        this.throttlingBackoff = throttlingBackoff;
    }

    /**
     * Validates and sends {@code result}.
     *
     * @throws InvalidJobResultException when the result breaks CodePipeline's rules; nothing was sent
     * @throws ReportAbortedException    when the thread is interrupted; the message says whether the result may
     *                                   have arrived
     */
    public ReportOutcome report(JobResult result, ConnectionSettings settings, AwsCredentialsProvider credentials,
            ReportListener listener) throws ReportAbortedException {
        JobResultValidator.requireValid(result);
        ReportListener events = listener == null ? ReportListener.NONE : listener;
        settings.regionWarning().ifPresent(events::warning);
        long started = System.nanoTime();

        AwsCredentials session;
        try {
            session = Objects.requireNonNull(credentials, "credentials").resolveCredentials();
        } catch (RuntimeException e) {
            return new ReportOutcome(ReportOutcome.Status.NOT_DELIVERED, result, settings.region(), null, null,
                    "Could not get AWS credentials to send the " + kind(result) + " result for job " + result.jobId()
                            + ": " + AwsErrorMessages.rootMessage(e) + ". Nothing was sent; check the credentials.",
                    List.of());
        }
        StaticCredentialsProvider signWith = StaticCredentialsProvider.create(session);
        Attempter call = attempter(result, signWith);

        RetryStrategies.Retries retries = RetryStrategies.start(retryStrategy(settings.maxAttempts()),
                "codepipeline-job-result");
        List<Attempt> attempts = new ArrayList<>();
        try (CodePipelineClientCache.Lease lease = clients.acquire(settings)) {
            while (true) {
                checkInterrupted(result, attempts);
                long attemptStarted = System.nanoTime();
                SdkException failure;
                try {
                    // An attempt never outlasts the report's time limit.
                    Duration remaining = settings.timeout().minus(since(started));
                    Duration attemptLimit = remaining.compareTo(settings.attemptTimeout()) < 0
                            ? remaining : settings.attemptTimeout();
                    AwsResponse response = call.attempt(lease.client(), attemptLimit);
                    String requestId = response.responseMetadata().requestId();
                    attempts.add(new Attempt(attempts.size() + 1, true, requestId, null, null, since(attemptStarted)));
                    retries.succeeded();
                    return new ReportOutcome(ReportOutcome.Status.DELIVERED, result, settings.region(), requestId,
                            null, "Reported " + kind(result) + " for job " + result.jobId() + " in "
                                    + settings.region() + " (AWS request id " + requestId + ")",
                            attempts);
                } catch (AbortedException e) {
                    throw aborted(result, attempts, true);
                } catch (SdkException e) {
                    failure = e;
                }
                Attempt attempt = attemptOf(failure, attempts.size() + 1, since(attemptStarted));
                attempts.add(attempt);
                if (failure instanceof AwsServiceException service
                        && "InvalidJobStateException".equals(AwsErrorMessages.errorCode(service))
                        && attempts.stream().anyMatch(a -> !a.answered())) {
                    return answerLost(result, settings, attempt, attempts);
                }
                Optional<Duration> retry = retries.retryAfter(failure);
                if (retry.isEmpty()) {
                    return finalFailure(failure, result, settings, session, attempts, started);
                }
                Duration delay = retry.get();
                if (since(started).plus(delay).compareTo(settings.timeout()) >= 0) {
                    return finalFailure(failure, result, settings, session, attempts, started);
                }
                events.retrying(attempt, settings.maxAttempts(), delay);
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    throw aborted(result, attempts, false);
                }
            }
        }
    }

    private RetryStrategy retryStrategy(int maxAttempts) {
        // A fresh strategy per report: a busy controller's failing reports must not use up the retries of the next
        // one.
        return RetryStrategies.standard(maxAttempts, backoff, throttlingBackoff)
                .retryOnException(ClockSkew::isClockSkewError)
                .build();
    }

    /** One SDK call, signed with the report's credentials, limited to the given time. */
    @FunctionalInterface
    private interface Attempter {
        AwsResponse attempt(CodePipelineClient client, Duration timeLimit);
    }

    private static Attempter attempter(JobResult result, StaticCredentialsProvider signWith) {
        if (result instanceof SuccessResult success) {
            var request = SdkRequests.success(success);
            return (client, limit) -> client.putJobSuccessResult(
                    request.toBuilder().overrideConfiguration(override(signWith, limit)).build());
        }
        var request = SdkRequests.failure((FailureResult) result);
        return (client, limit) -> client.putJobFailureResult(
                request.toBuilder().overrideConfiguration(override(signWith, limit)).build());
    }

    private static AwsRequestOverrideConfiguration override(StaticCredentialsProvider signWith, Duration limit) {
        return AwsRequestOverrideConfiguration.builder().credentialsProvider(signWith).apiCallAttemptTimeout(limit)
                .build();
    }

    private static Attempt attemptOf(SdkException failure, int number, Duration took) {
        if (failure instanceof AwsServiceException service) {
            return new Attempt(number, true, service.requestId(), AwsErrorMessages.errorCode(service),
                    AwsErrorMessages.awsMessage(service), took);
        }
        return new Attempt(number, false, null, failure.getClass().getSimpleName(),
                AwsErrorMessages.rootMessage(failure), took);
    }

    private static ReportOutcome answerLost(JobResult result, ConnectionSettings settings, Attempt closedAnswer,
            List<Attempt> attempts) {
        int lost = attempts.stream().filter(a -> !a.answered()).mapToInt(Attempt::number).max().orElse(0);
        String message = "The " + kind(result) + " result for job " + result.jobId() + " was most likely delivered, "
                + "but its answer was lost: attempt " + lost + " got no answer (" + attempts.get(lost - 1).detail()
                + "), and attempt " + closedAnswer.number() + " found the job already closed (AWS request id "
                + closedAnswer.requestId() + "). Check job " + result.jobId() + " in the pipeline's history in "
                + settings.region() + " to confirm.";
        return new ReportOutcome(ReportOutcome.Status.DELIVERED_ANSWER_LOST, result, settings.region(),
                closedAnswer.requestId(), closedAnswer.errorCode(), message, attempts);
    }

    private static ReportOutcome finalFailure(SdkException failure, JobResult result, ConnectionSettings settings,
            AwsCredentials session, List<Attempt> attempts, long started) {
        String message = AwsErrorMessages.describe(failure, new AwsErrorMessages.Context(result, settings,
                session.accessKeyId(), attempts.size(), since(started)));
        String requestId = null;
        for (Attempt attempt : attempts) {
            if (attempt.answered()) {
                requestId = attempt.requestId();
            }
        }
        if (failure instanceof AwsServiceException service) {
            return new ReportOutcome(ReportOutcome.Status.REFUSED, result, settings.region(), requestId,
                    AwsErrorMessages.errorCode(service), message, attempts);
        }
        return new ReportOutcome(ReportOutcome.Status.NOT_DELIVERED, result, settings.region(), requestId, null,
                message, attempts);
    }

    private static void checkInterrupted(JobResult result, List<Attempt> attempts) throws ReportAbortedException {
        if (Thread.interrupted()) {
            throw aborted(result, attempts, false);
        }
    }

    private static ReportAbortedException aborted(JobResult result, List<Attempt> attempts, boolean inFlight) {
        boolean unanswered = inFlight || attempts.stream().anyMatch(a -> !a.answered());
        String message = "Aborted while reporting " + kind(result) + " for job " + result.jobId() + " after "
                + attempts.size() + " attempt(s). "
                + (unanswered
                        ? "An attempt got no answer, so the result may or may not have been delivered: check job "
                                + result.jobId() + " in the pipeline's history."
                        : "No attempt was accepted, so nothing was delivered.");
        return new ReportAbortedException(message, unanswered);
    }

    private static String kind(JobResult result) {
        return result instanceof SuccessResult ? "success" : "failure";
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
