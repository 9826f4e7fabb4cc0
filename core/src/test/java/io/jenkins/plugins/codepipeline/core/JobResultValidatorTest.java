package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobResultValidatorTest {
    static final String JOB = "0a1b2c3d-1111-2222-3333-444455556666";
    /** U+1F600, two UTF-16 units, one code point, four UTF-8 bytes. */
    static final String EMOJI = "\uD83D\uDE00";

    /** A text field: its path, its limit and how to put a value into an otherwise valid result. */
    record TextField(String path, int max, BiFunction<String, Void, JobResult> withValue) {
        JobResult with(String value) {
            return withValue.apply(value, null);
        }

        @Override
        public String toString() {
            return path;
        }
    }

    static Stream<TextField> textFields() {
        return Stream.of(
                new TextField("currentRevision.revision", 1500, (v, x) -> success()
                        .currentRevision(CurrentRevision.builder().revision(v).changeIdentifier("c").build()).build()),
                new TextField("currentRevision.changeIdentifier", 100, (v, x) -> success()
                        .currentRevision(CurrentRevision.builder().revision("r").changeIdentifier(v).build()).build()),
                new TextField("currentRevision.revisionSummary", 2048, (v, x) -> success()
                        .currentRevision(CurrentRevision.builder().revision("r").changeIdentifier("c")
                                .revisionSummary(v).build()).build()),
                new TextField("continuationToken", 2048, (v, x) -> success().continuationToken(v).build()),
                new TextField("executionDetails.summary", 2048, (v, x) -> success()
                        .executionDetails(ExecutionDetails.builder().summary(v).build()).build()),
                new TextField("executionDetails.externalExecutionId", 1500, (v, x) -> success()
                        .executionDetails(ExecutionDetails.builder().externalExecutionId(v).build()).build()),
                new TextField("failureDetails.message", 5000, (v, x) -> FailureResult.builder().jobId(JOB)
                        .message(v).build()),
                new TextField("failureDetails.externalExecutionId", 1500, (v, x) -> FailureResult.builder()
                        .jobId(JOB).message("m").externalExecutionId(v).build()));
    }

    static Stream<Arguments> textFieldsAtTheirLimits() {
        return textFields().flatMap(f -> Stream.of(
                Arguments.of(f, f.max() - 1, true), Arguments.of(f, f.max(), true), Arguments.of(f, f.max() + 1, false),
                Arguments.of(f, 1, true)));
    }

    @ParameterizedTest(name = "{0} with {1} code points valid: {2}")
    @MethodSource("textFieldsAtTheirLimits")
    void textFieldLimitsCountCodePoints(TextField field, int codePoints, boolean valid) {
        // Emoji make the UTF-16 length twice the code-point count: a check on String.length() would fail here.
        List<Violation> violations = JobResultValidator.validate(field.with(EMOJI.repeat(codePoints)));
        if (valid) {
            assertEquals(List.of(), violations);
        } else {
            assertEquals(1, violations.size(), violations.toString());
            Violation violation = violations.get(0);
            assertEquals(field.path(), violation.field());
            assertEquals("1–" + field.max() + " characters", violation.limit());
            assertTrue(violation.problem().contains(codePoints + " characters long, 1 too many"), violation.problem());
        }
    }

    @ParameterizedTest(name = "{0} empty")
    @MethodSource("textFields")
    void emptyTextIsRefused(TextField field) {
        List<Violation> violations = JobResultValidator.validate(field.with(""));
        assertEquals(1, violations.size());
        assertEquals(field.path(), violations.get(0).field());
        assertEquals("is empty", violations.get(0).problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {JOB, "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000000"})
    void lowerCaseUuidsAreJobIds(String jobId) {
        assertEquals(List.of(), JobResultValidator.validate(SuccessResult.builder().jobId(jobId).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0A1B2C3D-1111-2222-3333-444455556666", "0a1b2c3d-1111-2222-3333-44445555666",
            "0a1b2c3d-1111-2222-3333-4444555566667", "0a1b2c3d111122223333444455556666", " " + JOB, JOB + "\n",
            "g a1b2c3d-1111-2222-3333-444455556666", "${CODEPIPELINE_JOB_ID}"})
    void otherJobIdsAreRefused(String jobId) {
        List<Violation> violations = JobResultValidator.validate(SuccessResult.builder().jobId(jobId).build());
        assertEquals(1, violations.size());
        assertEquals("jobId", violations.get(0).field());
        assertTrue(violations.get(0).limit().contains("lower-case UUID"));
    }

    @Test
    void upperCaseJobIdsGetTheirOwnAdvice() {
        Violation v = JobResultValidator.validate(SuccessResult.builder().jobId(JOB.toUpperCase()).build()).get(0);
        assertTrue(v.problem().contains("upper-case"), v.problem());
    }

    @Test
    void aMissingJobIdIsRefused() {
        Violation v = JobResultValidator.validate(SuccessResult.builder().build()).get(0);
        assertEquals("jobId", v.field());
        assertEquals("is missing", v.problem());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101, Integer.MIN_VALUE, 1000})
    void percentCompleteOutsideTheRangeIsRefused(int percent) {
        List<Violation> violations = JobResultValidator.validate(success()
                .executionDetails(ExecutionDetails.builder().percentComplete(percent).build()).build());
        assertEquals(1, violations.size());
        assertEquals("executionDetails.percentComplete", violations.get(0).field());
        assertEquals("0–100", violations.get(0).limit());
    }

    @Property
    void percentCompleteInTheRangeIsAccepted(@ForAll @IntRange(min = 0, max = 100) int percent) {
        assertEquals(List.of(), JobResultValidator.validate(success()
                .executionDetails(ExecutionDetails.builder().percentComplete(percent).build()).build()));
    }

    @Test
    void aCurrentRevisionNeedsRevisionAndChangeIdentifier() {
        List<Violation> violations = JobResultValidator.validate(success()
                .currentRevision(CurrentRevision.builder().revisionSummary("only a summary").build()).build());
        assertEquals(List.of("currentRevision.revision", "currentRevision.changeIdentifier"),
                violations.stream().map(Violation::field).toList());
        assertTrue(violations.stream().allMatch(v -> v.problem().equals("is missing")));
    }

    @Test
    void aFailureNeedsTypeAndMessage() {
        List<Violation> violations = JobResultValidator.validate(FailureResult.builder().jobId(JOB).type(null).build());
        assertEquals(List.of("failureDetails.type", "failureDetails.message"),
                violations.stream().map(Violation::field).toList());
        assertTrue(violations.get(0).limit().contains("JobFailed, ConfigurationError, PermissionError, "
                + "RevisionOutOfSync, RevisionUnavailable, SystemUnavailable"));
    }

    @Property
    void outputVariableKeysFollowThePattern(@ForAll("keys") String key) {
        boolean legal = key.matches("[A-Za-z0-9@\\-_]+");
        List<Violation> violations = JobResultValidator.validate(success().outputVariable(key, "v").build());
        assertEquals(legal, violations.isEmpty(), key + " -> " + violations);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("aZ09@-_ .$/=é\u00e9\t").ofMinLength(0).ofMaxLength(6);
    }

    @Test
    void anIllegalKeyGetsARenameSuggestion() {
        Violation v = JobResultValidator.validate(success().outputVariable("image.tag", "v").build()).get(0);
        assertEquals("outputVariables[\"image.tag\"]", v.field());
        assertTrue(v.advice().contains("image_tag"), v.advice());
    }

    @Test
    void variablesOfExactly122880BytesAreAccepted() {
        assertEquals(List.of(), JobResultValidator.validate(success().outputVariables(variablesOfBytes(122_880)).build()));
    }

    @Test
    void oneByteMoreIsRefusedWithTheCount() {
        List<Violation> violations = JobResultValidator.validate(
                success().outputVariables(variablesOfBytes(122_881)).build());
        assertEquals(1, violations.size());
        Violation v = violations.get(0);
        assertEquals("outputVariables", v.field());
        assertTrue(v.problem().contains("122881 bytes, 1 too many"), v.problem());
        assertTrue(v.limit().contains("122880 bytes"), v.limit());
    }

    @Test
    void theSizeCountsUtf8BytesOfKeysAndValues() {
        // Key "K" (1 byte) + 30719 emoji (4 bytes each) + 3 bytes of "abc" = 122880.
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("K", EMOJI.repeat(30_719) + "abc");
        assertEquals(List.of(), JobResultValidator.validate(success().outputVariables(variables).build()));
        variables.put("K", EMOJI.repeat(30_719) + "abcd");
        assertEquals(1, JobResultValidator.validate(success().outputVariables(variables).build()).size());
        // Two-byte and three-byte characters.
        variables.put("K", "é".repeat(61_439) + "a");
        assertEquals(List.of(), JobResultValidator.validate(success().outputVariables(variables).build()));
        variables.put("K", "€".repeat(40_959) + "a");
        assertEquals(List.of(), JobResultValidator.validate(success().outputVariables(variables).build()));
        variables.put("K", "€".repeat(40_960));
        assertEquals(1, JobResultValidator.validate(success().outputVariables(variables).build()).size());
    }

    @Property
    void utf8LengthMatchesTheEncoder(@ForAll String text) {
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, Text.utf8Length(text));
    }

    @Test
    void variablesAndAContinuationTokenDoNotGoTogether() {
        List<Violation> violations = JobResultValidator.validate(
                success().continuationToken("t").outputVariable("A", "b").build());
        assertEquals(1, violations.size());
        assertEquals("outputVariables", violations.get(0).field());
        assertTrue(violations.get(0).problem().contains("continuationToken"));
        // An empty map is simply not sent, so it is fine with a token.
        assertEquals(List.of(), JobResultValidator.validate(success().continuationToken("t").build()));
    }

    @Test
    void aVariableWithoutAValueIsRefused() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("A", null);
        assertEquals("has no value",
                JobResultValidator.validate(success().outputVariables(variables).build()).get(0).problem());
    }

    @Test
    void everyViolationIsReportedAtOnceWithoutSecretValues() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("bad key", "s3cr3t-VALUE");
        SuccessResult result = SuccessResult.builder().jobId("nope")
                .executionDetails(ExecutionDetails.builder().summary("").percentComplete(101).build())
                .continuationToken("x".repeat(2049))
                .outputVariables(variables).build();
        InvalidJobResultException e = assertThrows(InvalidJobResultException.class,
                () -> JobResultValidator.requireValid(result));
        assertEquals(List.of("jobId", "continuationToken", "executionDetails.summary",
                "executionDetails.percentComplete", "outputVariables", "outputVariables[\"bad key\"]"),
                e.violations().stream().map(Violation::field).toList());
        assertTrue(e.getMessage().startsWith("PutJobSuccessResult not sent, 6 problems:"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-VALUE"), e.getMessage());
        assertFalse(e.getMessage().contains("xxxxxxxxxx"), "the token is not echoed");
    }

    static SuccessResult.Builder success() {
        return SuccessResult.builder().jobId(JOB);
    }

    /** Variables whose keys and values take exactly {@code bytes} UTF-8 bytes, over 1000 keys. */
    static Map<String, String> variablesOfBytes(int bytes) {
        Map<String, String> variables = new LinkedHashMap<>();
        int keys = 1000;
        int remaining = bytes;
        for (int i = 0; i < keys; i++) {
            String key = String.format("VAR_%04d", i);
            int share = (i == keys - 1) ? remaining - key.length() : bytes / keys - key.length();
            variables.put(key, "v".repeat(share));
            remaining -= key.length() + share;
        }
        return variables;
    }
}
