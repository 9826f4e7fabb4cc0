package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobResultJsonTest {
    private static final String JOB = JobResultValidatorTest.JOB;

    @Test
    void successIsWrittenAsTheWireBodyWithUnsetMembersLeftOut() {
        SuccessResult result = SuccessResult.builder().jobId(JOB)
                .currentRevision(CurrentRevision.builder().revision("abc").changeIdentifier("1")
                        .created(Instant.parse("2026-11-25T10:00:00.5Z")).build())
                .executionDetails(ExecutionDetails.builder().percentComplete(50).build())
                .outputVariable("A", "\"quoted\"\n").build();
        assertEquals("{\"jobId\":\"" + JOB + "\",\"currentRevision\":{\"revision\":\"abc\",\"changeIdentifier\":\"1\","
                + "\"created\":1795600800.5},\"executionDetails\":{\"percentComplete\":50},"
                + "\"outputVariables\":{\"A\":\"\\\"quoted\\\"\\n\"}}", JobResultJson.toJson(result, false));
    }

    @Test
    void failureIsWrittenWithItsDetails() {
        FailureResult result = FailureResult.builder().jobId(JOB).type(FailureType.REVISION_OUT_OF_SYNC)
                .message("stale").build();
        assertEquals("{\"jobId\":\"" + JOB + "\",\"failureDetails\":{\"type\":\"RevisionOutOfSync\","
                + "\"message\":\"stale\"}}", JobResultJson.toJson(result, false));
    }
}
