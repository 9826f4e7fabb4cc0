package io.jenkins.plugins.codepipeline.core;

/**
 * One reason a job result can't be sent.
 *
 * @param field   the request member, as a path ({@code executionDetails.summary}, {@code outputVariables["A B"]})
 * @param problem what is wrong with it, never quoting a secret value
 * @param limit   the rule broken ({@code 1–2048 characters}); may be empty
 * @param advice  what to do about it
 */
public record Violation(String field, String problem, String limit, String advice) {

    /** One line: {@code field: problem (limit: …). advice} */
    public String describe() {
        StringBuilder line = new StringBuilder(field).append(": ").append(problem);
        if (limit != null && !limit.isEmpty()) {
            line.append(" (limit: ").append(limit).append(')');
        }
        if (advice != null && !advice.isEmpty()) {
            line.append(". ").append(advice);
        }
        return line.toString();
    }
}
