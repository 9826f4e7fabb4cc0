package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.CurrentRevision;
import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.Limits;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The largest legal PutJobSuccessResult: every text field at its limit, 1000 output variables whose names and values
 * take exactly {@link Limits#OUTPUT_VARIABLES_MAX_BYTES} bytes of UTF-8, no continuation token (it may not come with
 * variables).
 */
final class LargestRequest {
    static final int VARIABLES = 1000;

    private LargestRequest() {
    }

    /**
     * @param nonAscii false: ASCII everywhere; true: text fields of 4-byte code points (surrogate pairs, so code points
     *                 differ from chars) and values of 2-byte characters, the keys staying ASCII as the pattern demands
     */
    static SuccessResult build(boolean nonAscii) {
        String unit = nonAscii ? "\uD83D\uDE80" : "x"; // U+1F680 ROCKET, one code point, two chars, four bytes
        SuccessResult result = SuccessResult.builder()
                .jobId(UUID.randomUUID().toString())
                .currentRevision(CurrentRevision.builder()
                        .revision(unit.repeat(Limits.REVISION_MAX))
                        .changeIdentifier(unit.repeat(Limits.CHANGE_IDENTIFIER_MAX))
                        .revisionSummary(unit.repeat(Limits.REVISION_SUMMARY_MAX))
                        .created(Instant.parse("2025-01-01T00:00:00Z"))
                        .build())
                .executionDetails(ExecutionDetails.builder()
                        .summary(unit.repeat(Limits.SUMMARY_MAX))
                        .externalExecutionId(unit.repeat(Limits.EXTERNAL_EXECUTION_ID_MAX))
                        .percentComplete(Limits.PERCENT_COMPLETE_MAX)
                        .build())
                .outputVariables(variables(nonAscii))
                .build();
        return result;
    }

    private static Map<String, String> variables(boolean nonAscii) {
        Map<String, String> variables = new LinkedHashMap<>();
        int keyBytes = 0;
        String[] keys = new String[VARIABLES];
        for (int i = 0; i < VARIABLES; i++) {
            keys[i] = String.format("VAR_%04d", i); // pattern [A-Za-z0-9@\-_]+, 8 bytes
            keyBytes += keys[i].length();
        }
        int charBytes = nonAscii ? 2 : 1;
        String ch = nonAscii ? "\u00E9" : "v"; // é is two bytes of UTF-8
        int valueChars = (Limits.OUTPUT_VARIABLES_MAX_BYTES - keyBytes) / charBytes;
        if ((Limits.OUTPUT_VARIABLES_MAX_BYTES - keyBytes) % charBytes != 0) {
            throw new IllegalStateException("sizes do not divide");
        }
        int base = valueChars / VARIABLES;
        int longer = valueChars % VARIABLES; // the first `longer` values get one more character
        for (int i = 0; i < VARIABLES; i++) {
            variables.put(keys[i], ch.repeat(base + (i < longer ? 1 : 0)));
        }
        long total = 0;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total != Limits.OUTPUT_VARIABLES_MAX_BYTES) {
            throw new IllegalStateException("variables take " + total + " bytes");
        }
        return variables;
    }
}
