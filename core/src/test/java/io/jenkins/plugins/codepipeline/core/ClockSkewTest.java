package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;

class ClockSkewTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aServerDateMoreThanFourMinutesAwayIsSkew() {
        assertTrue(ClockSkew.skewed("Wed, 25 Nov 2026 10:10:00 GMT", NOW));
        assertTrue(ClockSkew.skewed("Wed, 25 Nov 2026 09:55:00 GMT", NOW));
        assertFalse(ClockSkew.skewed("Wed, 25 Nov 2026 10:03:59 GMT", NOW));
        assertFalse(ClockSkew.skewed("not a date", NOW));
    }

    @Test
    void aSignatureErrorIsSkewOnlyWhenTheDatesDisagree() {
        assertTrue(ClockSkew.isClockSkewError(error("InvalidSignatureException", Instant.now().plusSeconds(600))));
        assertFalse(ClockSkew.isClockSkewError(error("InvalidSignatureException", Instant.now())));
        assertTrue(ClockSkew.isClockSkewError(error("RequestExpired", Instant.now())));
        assertFalse(ClockSkew.isClockSkewError(error("ThrottlingException", Instant.now().plusSeconds(600))));
        assertFalse(ClockSkew.isClockSkewError(new IllegalStateException()));
    }

    private static AwsServiceException error(String code, Instant serverTime) {
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(400)
                .putHeader("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(serverTime.atZone(java.time.ZoneOffset.UTC)))
                .build();
        return AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).sdkHttpResponse(response).build()).build();
    }
}
