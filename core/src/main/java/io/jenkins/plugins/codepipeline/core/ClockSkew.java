package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Recognises an answer that says this machine's clock is off. The SDK client corrects its clock from such an answer
 * (its {@code Date} header) by itself, but once it has, the SDK no longer classes the answer as clock skew, so its
 * retry strategy would not retry it: the reporter asks this class instead, which compares the answer's date with
 * the local clock, as the SDK does before its correction.
 */
final class ClockSkew {
    private static final Set<String> DEFINITE = Set.of("RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture");
    private static final Set<String> POSSIBLE = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "AuthFailure");
    /** The SDK's own threshold for correcting its clock. */
    private static final Duration THRESHOLD = Duration.ofMinutes(4);

    private ClockSkew() {
    }

    static boolean isClockSkewError(Throwable failure) {
        if (!(failure instanceof AwsServiceException e) || e.awsErrorDetails() == null) {
            return false;
        }
        String code = e.awsErrorDetails().errorCode();
        if (DEFINITE.contains(code)) {
            return true;
        }
        if (!POSSIBLE.contains(code) && e.statusCode() != 403) {
            return false;
        }
        return e.awsErrorDetails().sdkHttpResponse() != null
                && e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Date")
                        .map(date -> skewed(date, Instant.now())).orElse(false);
    }

    static boolean skewed(String dateHeader, Instant now) {
        try {
            Instant server = ZonedDateTime.parse(dateHeader, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Duration.between(server, now).abs().compareTo(THRESHOLD) > 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
