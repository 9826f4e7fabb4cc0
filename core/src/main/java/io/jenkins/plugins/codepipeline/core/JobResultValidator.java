package io.jenkins.plugins.codepipeline.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a job result against CodePipeline's rules before anything is sent, and reports every violation at once.
 * Lengths count Unicode code points, as the service model's constraints do.
 */
public final class JobResultValidator {
    private static final Pattern JOB_ID = Pattern.compile(Limits.JOB_ID_PATTERN);
    private static final Pattern JOB_ID_ANY_CASE = Pattern.compile(Limits.JOB_ID_PATTERN, Pattern.CASE_INSENSITIVE);
    private static final Pattern OUTPUT_VARIABLE_KEY = Pattern.compile(Limits.OUTPUT_VARIABLE_KEY_PATTERN);
    private static final String SHORTEN_FREE_TEXT =
            "Shorten it, or turn on truncation of long text (truncateLongText, --truncate-long-text)";

    private JobResultValidator() {
    }

    /** @throws InvalidJobResultException listing every violation, when there is one */
    public static void requireValid(JobResult result) {
        List<Violation> violations = validate(result);
        if (!violations.isEmpty()) {
            throw new InvalidJobResultException(result.operationName(), violations);
        }
    }

    /** Every violation of {@code result}, in request order; empty when it may be sent. */
    public static List<Violation> validate(JobResult result) {
        List<Violation> violations = new ArrayList<>();
        checkJobId(result.jobId(), violations);
        if (result instanceof SuccessResult success) {
            checkSuccess(success, violations);
        } else if (result instanceof FailureResult failure) {
            checkFailure(failure, violations);
        }
        return violations;
    }

    static void checkJobId(String jobId, List<Violation> violations) {
        String limit = "a lower-case UUID such as 0a1b2c3d-1111-2222-3333-444455556666";
        if (jobId == null || jobId.isEmpty()) {
            violations.add(new Violation("jobId", "is missing", limit,
                    "Pass the id of the job CodePipeline handed to this worker"));
        } else if (JOB_ID.matcher(jobId).matches()) {
            return;
        } else if (JOB_ID_ANY_CASE.matcher(jobId).matches()) {
            violations.add(new Violation("jobId", "'" + jobId + "' has upper-case letters", limit,
                    "CodePipeline job ids are lower case; pass the id exactly as CodePipeline gave it"));
        } else {
            violations.add(new Violation("jobId", "'" + printable(jobId) + "' is not a job id", limit,
                    "Pass the id of the job CodePipeline handed to this worker"));
        }
    }

    private static void checkSuccess(SuccessResult success, List<Violation> violations) {
        CurrentRevision revision = success.currentRevision();
        if (revision != null) {
            required("currentRevision.revision", revision.revision(), Limits.REVISION_MAX,
                    "Give the revision (for example a commit id) together with changeIdentifier, or no current revision at all",
                    violations);
            required("currentRevision.changeIdentifier", revision.changeIdentifier(), Limits.CHANGE_IDENTIFIER_MAX,
                    "Give the change identifier together with revision, or no current revision at all", violations);
            optional("currentRevision.revisionSummary", revision.revisionSummary(), Limits.REVISION_SUMMARY_MAX,
                    SHORTEN_FREE_TEXT, violations);
        }
        optional("continuationToken", success.continuationToken(), Limits.CONTINUATION_TOKEN_MAX,
                "Use a shorter token, for example an id that points to the state kept elsewhere", violations);
        ExecutionDetails details = success.executionDetails();
        if (details != null) {
            optional("executionDetails.summary", details.summary(), Limits.SUMMARY_MAX, SHORTEN_FREE_TEXT,
                    violations);
            optional("executionDetails.externalExecutionId", details.externalExecutionId(),
                    Limits.EXTERNAL_EXECUTION_ID_MAX, "Use a shorter id, such as the build number", violations);
            checkPercentComplete(details.percentComplete(), violations);
        }
        checkOutputVariables(success, violations);
    }

    private static void checkFailure(FailureResult failure, List<Violation> violations) {
        if (failure.type() == null) {
            violations.add(new Violation("failureDetails.type", "is missing", "one of " + FailureType.allowedNames(),
                    "Choose the failure type that fits, JobFailed when unsure"));
        }
        required("failureDetails.message", failure.message(), Limits.FAILURE_MESSAGE_MAX, SHORTEN_FREE_TEXT,
                violations);
        optional("failureDetails.externalExecutionId", failure.externalExecutionId(), Limits.EXTERNAL_EXECUTION_ID_MAX,
                "Use a shorter id, such as the build number", violations);
    }

    private static void checkPercentComplete(Integer percent, List<Violation> violations) {
        if (percent != null && (percent < Limits.PERCENT_COMPLETE_MIN || percent > Limits.PERCENT_COMPLETE_MAX)) {
            violations.add(new Violation("executionDetails.percentComplete", "is " + percent,
                    Limits.PERCENT_COMPLETE_MIN + "–" + Limits.PERCENT_COMPLETE_MAX,
                    "Give a whole number from 0 to 100, or leave it out"));
        }
    }

    private static void checkOutputVariables(SuccessResult success, List<Violation> violations) {
        Map<String, String> variables = success.outputVariables();
        if (variables.isEmpty()) {
            return;
        }
        if (success.continuationToken() != null) {
            violations.add(new Violation("outputVariables",
                    "are given together with a continuationToken", "output variables only on the final result",
                    "Publish the variables with the result that closes the action (the one without a continuation token)"));
        }
        long bytes = 0;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String key = variable.getKey();
            String value = variable.getValue();
            String field = "outputVariables[\"" + printable(key) + "\"]";
            if (key.isEmpty()) {
                violations.add(new Violation("outputVariables", "has an empty name", "names of 1 or more characters",
                        "Give every variable a name"));
            } else if (!OUTPUT_VARIABLE_KEY.matcher(key).matches()) {
                violations.add(new Violation(field, "the name has characters CodePipeline does not allow",
                        "letters, digits, @, - and _", "Rename the variable, for example to "
                                + key.replaceAll("[^A-Za-z0-9@\\-_]", "_")));
            }
            if (value == null) {
                violations.add(new Violation(field, "has no value", "a string, possibly empty",
                        "Give it a value or leave it out"));
            } else {
                bytes += Text.utf8Length(value);
            }
            bytes += Text.utf8Length(key);
        }
        if (bytes > Limits.OUTPUT_VARIABLES_MAX_BYTES) {
            violations.add(new Violation("outputVariables",
                    variables.size() + " variables take " + bytes + " bytes, " + (bytes - Limits.OUTPUT_VARIABLES_MAX_BYTES)
                            + " too many",
                    Limits.OUTPUT_VARIABLES_MAX_BYTES + " bytes for all names and values together, UTF-8",
                    "Publish fewer or shorter variables; put large data in an artifact and publish its location"));
        }
    }

    private static void required(String field, String value, int max, String advice, List<Violation> violations) {
        if (value == null) {
            violations.add(new Violation(field, "is missing", "1–" + max + " characters", advice));
        } else {
            optional(field, value, max, advice, violations);
        }
    }

    private static void optional(String field, String value, int max, String advice, List<Violation> violations) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            violations.add(new Violation(field, "is empty", "1–" + max + " characters", "Give a value or leave it out"));
            return;
        }
        int length = Text.codePoints(value);
        if (length > max) {
            violations.add(new Violation(field, "is " + length + " characters long, " + (length - max) + " too many",
                    "1–" + max + " characters", advice));
        }
    }

    /** Ids and names shown in messages: shortened and without control characters. */
    private static String printable(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 80 ? Text.firstCodePoints(oneLine, 77) + "..." : oneLine;
    }
}
