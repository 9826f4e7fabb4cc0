package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LongTextShortenerTest {
    private static final String JOB = JobResultValidatorTest.JOB;
    private static final String EMOJI = JobResultValidatorTest.EMOJI;

    @Test
    void textWithinItsLimitIsLeftAlone() {
        SuccessResult result = SuccessResult.builder().jobId(JOB)
                .executionDetails(ExecutionDetails.builder().summary("x".repeat(2048)).build()).build();
        LongTextShortener.Shortened shortened = LongTextShortener.shorten(result);
        assertSame(result, shortened.result());
        assertEquals(List.of(), shortened.shortenedFields());
    }

    @Test
    void overLongFreeTextIsCutToTheLimitWithAMarker() {
        SuccessResult result = SuccessResult.builder().jobId(JOB)
                .currentRevision(CurrentRevision.builder().revision("r").changeIdentifier("c")
                        .revisionSummary("r".repeat(3000)).build())
                .executionDetails(ExecutionDetails.builder().summary("s".repeat(2049)).externalExecutionId("7").build())
                .build();
        LongTextShortener.Shortened shortened = LongTextShortener.shorten(result);
        SuccessResult after = (SuccessResult) shortened.result();
        assertEquals(List.of("executionDetails.summary", "currentRevision.revisionSummary"), shortened.shortenedFields());
        assertEquals(2048, after.executionDetails().summary().codePointCount(0, after.executionDetails().summary().length()));
        assertTrue(after.executionDetails().summary().endsWith(LongTextShortener.MARKER));
        assertEquals("7", after.executionDetails().externalExecutionId());
        assertEquals(2048, after.currentRevision().revisionSummary().length());
        assertEquals(List.of(), JobResultValidator.validate(after));
    }

    @Test
    void aFailureMessageIsCutTo5000() {
        FailureResult result = FailureResult.builder().jobId(JOB).message("m".repeat(9000)).build();
        LongTextShortener.Shortened shortened = LongTextShortener.shorten(result);
        assertEquals(List.of("failureDetails.message"), shortened.shortenedFields());
        assertEquals(5000, ((FailureResult) shortened.result()).message().length());
        assertEquals(FailureType.JOB_FAILED, ((FailureResult) shortened.result()).type());
    }

    @Property
    void theCutNeverSplitsASurrogatePair(@ForAll @IntRange(min = 0, max = 40) int asciiPrefix,
            @ForAll @IntRange(min = 2049, max = 2100) int emojiCount) {
        String summary = "a".repeat(asciiPrefix) + EMOJI.repeat(emojiCount);
        SuccessResult result = SuccessResult.builder().jobId(JOB)
                .executionDetails(ExecutionDetails.builder().summary(summary).build()).build();
        String cut = ((SuccessResult) LongTextShortener.shorten(result).result()).executionDetails().summary();
        assertEquals(2048, cut.codePointCount(0, cut.length()));
        String kept = cut.substring(0, cut.length() - LongTextShortener.MARKER.length());
        assertTrue(summary.startsWith(kept));
        assertTrue(!Character.isHighSurrogate(kept.charAt(kept.length() - 1)), "split a surrogate pair");
    }
}
