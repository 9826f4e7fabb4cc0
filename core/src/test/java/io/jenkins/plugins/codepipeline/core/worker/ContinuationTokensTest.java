package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.Limits;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The live link's tokens and early report. */
class ContinuationTokensTest {
    private static final String FP = "0123456789abcdef";

    @Test
    void theFingerprintIsSixteenHexDigitsOfTheSha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assertEquals("ba7816bf8f01cfea", ContinuationTokens.fingerprint("abc".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.fingerprint(new byte[0]));
        assertThrows(NullPointerException.class, () -> ContinuationTokens.fingerprint(null));
    }

    @Test
    void aTokenIsIssuedAndParsedBack() {
        String record = UUID.randomUUID().toString();
        String token = ContinuationTokens.issue(FP, record);
        assertEquals("jcp1:" + FP + ":" + record, token);
        assertEquals(Optional.of(new ContinuationTokens.Issued(FP, record)), ContinuationTokens.parse(token));
        assertEquals(token, ContinuationTokens.parse(token).orElseThrow().token());
        assertTrue(token.length() < Limits.CONTINUATION_TOKEN_MAX);
    }

    @Test
    void badPartsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue("0123456789ABCDEF", "r"));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue("0123", "r"));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue(null, "r"));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue(FP, ""));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue(FP, null));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue(FP, "a:b"));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue(FP, "a b"));
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.issue(FP, "x".repeat(2048)));
        assertEquals(Limits.CONTINUATION_TOKEN_MAX,
                ContinuationTokens.issue(FP, "x".repeat(Limits.CONTINUATION_TOKEN_MAX - 22)).length());
    }

    @Test
    void onlyWellFormedTokensParse() {
        assertEquals(Optional.empty(), ContinuationTokens.parse(null));
        assertEquals(Optional.empty(), ContinuationTokens.parse("step-2"));
        assertEquals(Optional.empty(), ContinuationTokens.parse("jcp1:"));
        assertEquals(Optional.empty(), ContinuationTokens.parse("jcp1:" + FP));
        assertEquals(Optional.empty(), ContinuationTokens.parse("jcp1:" + FP + ":"));
        assertEquals(Optional.empty(), ContinuationTokens.parse("jcp1:0123456789ABCDEF:r"));
        assertEquals(Optional.empty(), ContinuationTokens.parse("jcp1:" + FP + ":r:s"));
        assertEquals(Optional.empty(), ContinuationTokens.parse("JCP1:" + FP + ":r"));
        assertEquals(Optional.empty(), ContinuationTokens.parse("jcp2:" + FP + ":r"));
        assertEquals(Optional.empty(), ContinuationTokens.parse(" jcp1:" + FP + ":r"));
    }

    @Test
    void userTokensMustNotStartWithThePrefix() {
        ContinuationTokens.requireUserToken(null, "continuationToken");
        ContinuationTokens.requireUserToken("step-2", "continuationToken");
        ContinuationTokens.requireUserToken("JCP1:x", "continuationToken");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContinuationTokens.requireUserToken("jcp1:mine", "continuationToken"));
        assertTrue(e.getMessage().startsWith("continuationToken starts with \"jcp1:\", which is reserved"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContinuationTokens.requireUserToken("jcp1:", null));
        assertTrue(ContinuationTokens.isReserved("jcp1:garbage"));
        assertFalse(ContinuationTokens.isReserved("x"));
    }

    @Test
    void theEarlyReportCarriesTheTokenAndDetailsAndNoVariables() {
        String token = ContinuationTokens.issue(FP, "r1");
        SuccessResult early = AutomaticResults.earlyReport("job-1", token, "app#42", "Build #42 running", 37);
        assertEquals("job-1", early.jobId());
        assertEquals(token, early.continuationToken());
        assertEquals(new ExecutionDetails("Build #42 running", "app#42", 37), early.executionDetails());
        assertTrue(early.outputVariables().isEmpty());
        assertNull(early.currentRevision());
        assertEquals(java.util.List.of(), JobResultValidator.validate(early.toBuilder()
                .jobId("11111111-2222-3333-4444-555555555555").build()));
    }

    @Test
    void theEarlyReportFitsCodePipelinesLimits() {
        String token = ContinuationTokens.issue(FP, "r1");
        SuccessResult early = AutomaticResults.earlyReport("j", token, "x".repeat(1501), "s".repeat(3000), 150);
        assertNull(early.executionDetails().externalExecutionId(), "too long to send: left out");
        assertEquals(Limits.SUMMARY_MAX, early.executionDetails().summary().length());
        assertTrue(early.executionDetails().summary().endsWith(LongTextShortener.MARKER));
        assertEquals(100, early.executionDetails().percentComplete());
        assertEquals(0, AutomaticResults.earlyReport("j", token, null, null, -5).executionDetails()
                .percentComplete());
        assertNull(AutomaticResults.earlyReport("j", token, null, null, null).executionDetails());
        assertThrows(IllegalArgumentException.class, () -> AutomaticResults.earlyReport("j", null, "e", "s", 1));
        assertThrows(IllegalArgumentException.class,
                () -> AutomaticResults.earlyReport("j", "t".repeat(2049), "e", "s", 1));
    }

    @Test
    void percentCompleteComesFromTheEstimate() {
        assertNull(AutomaticResults.percentComplete(1000, 0));
        assertNull(AutomaticResults.percentComplete(1000, -1));
        assertEquals(0, AutomaticResults.percentComplete(0, 1000));
        assertEquals(0, AutomaticResults.percentComplete(-50, 1000));
        assertEquals(50, AutomaticResults.percentComplete(500, 1000));
        assertEquals(99, AutomaticResults.percentComplete(999, 1000));
        assertEquals(99, AutomaticResults.percentComplete(1000, 1000), "not done before it ends");
        assertEquals(99, AutomaticResults.percentComplete(5000, 1000));
        assertEquals(99, AutomaticResults.percentComplete(Long.MAX_VALUE, 1));
    }
}
