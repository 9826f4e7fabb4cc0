package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import io.jenkins.plugins.codepipeline.core.worker.AutomaticResults.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AutomaticResultsTest {
    private static final String JOB = "0a1b2c3d-1111-2222-3333-444455556666";
    private static final String URL = "https://jenkins.example.com/job/folder/job/app/12/";
    private static final String EXEC = ExecutionIds.encode("folder/app", 12);

    @Test
    void successCarriesTheBuildAndItsExecutionId() {
        JobResult result = AutomaticResults.forBuild(JOB, Outcome.SUCCESS, "folder/app #12", URL, EXEC, false);
        SuccessResult success = assertInstanceOf(SuccessResult.class, result);
        assertEquals(JOB, success.jobId());
        assertEquals("folder/app #12: SUCCESS", success.executionDetails().summary());
        assertEquals(EXEC, success.executionDetails().externalExecutionId());
        assertTrue(JobResultValidator.validate(result).isEmpty());
    }

    @Test
    void unstableIsAFailureByDefaultAndSaysHowToChangeThat() {
        FailureResult failure = assertInstanceOf(FailureResult.class,
                AutomaticResults.forBuild(JOB, Outcome.UNSTABLE, "folder/app #12", URL, EXEC, false));
        assertEquals(FailureType.JOB_FAILED, failure.type());
        assertEquals("The Jenkins build folder/app #12 finished with result UNSTABLE: " + URL + " Unstable builds are "
                + "reported as failures; set the trigger's unstableAsSuccess to report them as successes.",
                failure.message());
        assertEquals(EXEC, failure.externalExecutionId());
    }

    @Test
    void unstableIsASuccessWhenAsked() {
        SuccessResult success = assertInstanceOf(SuccessResult.class,
                AutomaticResults.forBuild(JOB, Outcome.UNSTABLE, "folder/app #12", URL, EXEC, true));
        assertEquals("folder/app #12: UNSTABLE", success.executionDetails().summary());
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"FAILURE", "ABORTED", "NOT_BUILT"})
    void otherResultsFailNamingTheResultAndTheUrl(Outcome outcome) {
        FailureResult failure = assertInstanceOf(FailureResult.class,
                AutomaticResults.forBuild(JOB, outcome, "folder/app #12", URL, EXEC, true));
        assertEquals(FailureType.JOB_FAILED, failure.type());
        assertEquals("The Jenkins build folder/app #12 finished with result " + outcome.name() + ": " + URL,
                failure.message());
        assertTrue(JobResultValidator.validate(failure).isEmpty());
    }

    @Test
    void longTextIsShortenedAndAnOverlongExecutionIdLeftOut() {
        String longName = "n".repeat(6000);
        SuccessResult success = (SuccessResult) AutomaticResults.forBuild(JOB, Outcome.SUCCESS, longName, null,
                "x".repeat(1501), false);
        assertTrue(success.executionDetails().summary().endsWith(LongTextShortener.MARKER));
        assertEquals(2048, success.executionDetails().summary().length());
        assertNull(success.executionDetails().externalExecutionId());
        assertTrue(JobResultValidator.validate(success).isEmpty());

        FailureResult failure = (FailureResult) AutomaticResults.forBuild(JOB, Outcome.FAILURE, longName, null,
                "x".repeat(1500), false);
        assertEquals(5000, failure.message().length());
        assertEquals(1500, failure.externalExecutionId().length());
        assertTrue(JobResultValidator.validate(failure).isEmpty());
    }

    @Test
    void failureKeepsItsTypeAndNeverSendsABlankMessage() {
        FailureResult failure = AutomaticResults.failure(JOB, FailureType.CONFIGURATION_ERROR,
                "The Jenkins job folder/app was deleted", null);
        assertEquals(FailureType.CONFIGURATION_ERROR, failure.type());
        assertEquals("The Jenkins job folder/app was deleted", failure.message());

        FailureResult blank = AutomaticResults.failure(JOB, FailureType.SYSTEM_UNAVAILABLE, " ", EXEC);
        assertEquals("The Jenkins job worker reported SystemUnavailable without a message.", blank.message());
        assertEquals(EXEC, blank.externalExecutionId());
        assertTrue(JobResultValidator.validate(blank).isEmpty());
    }

    @Test
    void missingOutputArtifactsIsAConfigurationErrorNamingThem() {
        FailureResult failure = AutomaticResults.missingOutputArtifacts(JOB, java.util.List.of("BuildOutput", "Docs"),
                "folder/app #12", EXEC);
        assertEquals(FailureType.CONFIGURATION_ERROR, failure.type());
        assertEquals(JOB, failure.jobId());
        assertEquals(EXEC, failure.externalExecutionId());
        assertEquals("folder/app #12 ended without uploading the output artifact(s) BuildOutput, Docs that the job "
                + "declares. Upload them with codePipelineOutputArtifacts (Pipeline) or the 'Upload AWS CodePipeline "
                + "output artifacts' post-build action (freestyle).",
                failure.message());
        assertTrue(JobResultValidator.validate(failure).isEmpty());
    }

    @Test
    void manyMissingOutputArtifactsStayWithinTheLimitAndSayHowManyMore() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add("Artifact" + i + "_" + "x".repeat(90));
        }
        FailureResult failure = AutomaticResults.missingOutputArtifacts(JOB, names, "app #3", null);
        assertTrue(failure.message().length() <= 5000, "length " + failure.message().length());
        assertTrue(failure.message().startsWith("app #3 ended without uploading the output artifact(s) Artifact0_"),
                failure.message());
        assertTrue(failure.message().matches("(?s).*, Artifact\\d+_x+ and \\d+ more that the job declares\\. "
                + "Upload them with codePipelineOutputArtifacts.*post-build action \\(freestyle\\)\\."),
                failure.message());
        int listed = failure.message().split("Artifact\\d+_").length - 1;
        assertTrue(failure.message().contains(" and " + (100 - listed) + " more "), failure.message());
        assertTrue(listed > 30, "as many names as fit: " + listed);
        assertTrue(JobResultValidator.validate(failure).isEmpty());
    }
}
