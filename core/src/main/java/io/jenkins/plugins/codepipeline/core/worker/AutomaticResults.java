package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.ExecutionDetails;
import io.jenkins.plugins.codepipeline.core.FailureResult;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.JobResult;
import io.jenkins.plugins.codepipeline.core.Limits;
import io.jenkins.plugins.codepipeline.core.LongTextShortener;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.util.List;

/**
 * The result a finished build gets when nothing reported its job: decided here, once, for the plugin and the
 * command line. Free text is shortened to CodePipeline's limits rather than refused, and an external execution id
 * too long to send is left out: an automatic report must go through.
 */
public final class AutomaticResults {
    /** A Jenkins build's result. */
    public enum Outcome { SUCCESS, UNSTABLE, FAILURE, ABORTED, NOT_BUILT }

    private AutomaticResults() {
    }

    /**
     * The early report of a build (the live link): a success on {@code jobId} with the continuation token and
     * execution details, and no output variables (CodePipeline refuses them with a token). The summary is shortened
     * to CodePipeline's limit, an external execution id too long to send is left out, and the percentage is kept
     * within 0-100.
     *
     * @param continuationToken   the token the follow-up job is to carry ({@link ContinuationTokens#issue})
     * @param externalExecutionId the build's id, which the console links to; null for none
     * @param summary             such as {@code Build #42 running}; null for none
     * @param percentComplete     null when unknown
     * @throws IllegalArgumentException when the token is missing or longer than CodePipeline's 2048 characters
     */
    public static SuccessResult earlyReport(String jobId, String continuationToken, String externalExecutionId,
            String summary, Integer percentComplete) {
        if (continuationToken == null || continuationToken.isEmpty()) {
            throw new IllegalArgumentException("an early report needs a continuation token");
        }
        if (continuationToken.codePointCount(0, continuationToken.length()) > Limits.CONTINUATION_TOKEN_MAX) {
            throw new IllegalArgumentException("the continuation token is longer than CodePipeline's "
                    + Limits.CONTINUATION_TOKEN_MAX + " characters");
        }
        Integer percent = percentComplete == null ? null
                : Math.max(Limits.PERCENT_COMPLETE_MIN, Math.min(Limits.PERCENT_COMPLETE_MAX, percentComplete));
        ExecutionDetails details = ExecutionDetails.builder()
                .summary(summary == null || summary.isEmpty() ? null : summary)
                .externalExecutionId(fitting(externalExecutionId))
                .percentComplete(percent)
                .build();
        SuccessResult early = SuccessResult.builder().jobId(jobId).continuationToken(continuationToken)
                .executionDetails(details.isEmpty() ? null : details).build();
        return (SuccessResult) LongTextShortener.shorten(early).result();
    }

    /**
     * How far a build is, from its elapsed time and its estimated duration: null when there is no estimate
     * ({@code estimatedMillis <= 0}); else {@code elapsed * 100 / estimate}, kept within 0-99 (a build that runs
     * past its estimate is not done yet).
     */
    public static Integer percentComplete(long elapsedMillis, long estimatedMillis) {
        if (estimatedMillis <= 0) {
            return null;
        }
        long elapsed = Math.max(0, elapsedMillis);
        long percent = elapsed >= Long.MAX_VALUE / 100 ? 99 : elapsed * 100 / estimatedMillis;
        return (int) Math.max(0, Math.min(99, percent));
    }

    /**
     * SUCCESS: a success whose summary names the build and its result. UNSTABLE: the same when
     * {@code unstableAsSuccess}, else a JobFailed failure. FAILURE, ABORTED, NOT_BUILT: a JobFailed failure naming the
     * result and the build's URL.
     *
     * @param buildName           such as {@code folder/app #12}
     * @param buildUrl            the build's absolute URL; null when unknown
     * @param externalExecutionId the id CodePipeline's console links to; null for none
     */
    public static JobResult forBuild(String jobId, Outcome outcome, String buildName, String buildUrl,
            String externalExecutionId, boolean unstableAsSuccess) {
        String executionId = fitting(externalExecutionId);
        String build = buildName == null || buildName.isBlank() ? "Jenkins build" : buildName;
        if (outcome == Outcome.SUCCESS || outcome == Outcome.UNSTABLE && unstableAsSuccess) {
            SuccessResult success = SuccessResult.builder().jobId(jobId)
                    .executionDetails(ExecutionDetails.builder().summary(build + ": " + outcome.name())
                            .externalExecutionId(executionId).build())
                    .build();
            return LongTextShortener.shorten(success).result();
        }
        StringBuilder message = new StringBuilder("The Jenkins build ").append(build)
                .append(" finished with result ").append(outcome.name());
        message.append(buildUrl == null ? "." : ": " + buildUrl);
        if (outcome == Outcome.UNSTABLE) {
            message.append(" Unstable builds are reported as failures; set the trigger's unstableAsSuccess to report "
                    + "them as successes.");
        }
        return failure(jobId, FailureType.JOB_FAILED, message.toString(), executionId);
    }

    /**
     * A ConfigurationError: the build ended well but did not upload the output artifacts {@code missing} that the job
     * declares, so the next stage would find nothing. Never a success. The names are listed in full while they fit in
     * CodePipeline's 5000 characters; past that the list ends with how many more there are.
     *
     * @param missing   the declared output artifacts nothing uploaded, in the job's order
     * @param buildName such as {@code folder/app #12}
     */
    public static FailureResult missingOutputArtifacts(String jobId, List<String> missing, String buildName,
            String externalExecutionId) {
        String build = buildName == null || buildName.isBlank() ? "The Jenkins build" : buildName;
        List<String> names = missing == null ? List.of() : missing;
        String head = build + " ended without uploading the output artifact(s) ";
        // Only the plugin's own uploads are known to the build: the steps and the post-build action record them.
        String tail = " that the job declares. Upload them with codePipelineOutputArtifacts (Pipeline) or the 'Upload "
                + "AWS CodePipeline output artifacts' post-build action (freestyle).";
        int room = Limits.FAILURE_MESSAGE_MAX - head.length() - tail.length();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String next = (i == 0 ? "" : ", ") + names.get(i);
            String more = i == 0 ? names.size() + " artifacts with long names"
                    : " and " + (names.size() - i) + " more";
            boolean last = i == names.size() - 1;
            if (list.length() + next.length() + (last ? 0 : (" and " + (names.size() - i - 1) + " more").length())
                    > room) {
                list.append(more);
                break;
            }
            list.append(next);
        }
        if (names.isEmpty()) {
            list.append("(none named)");
        }
        return failure(jobId, FailureType.CONFIGURATION_ERROR, head + list + tail, externalExecutionId);
    }

    /** A failure of the given type, its message shortened to the limit; a blank message is replaced by one. */
    public static FailureResult failure(String jobId, FailureType type, String message, String externalExecutionId) {
        FailureType failureType = type == null ? FailureType.JOB_FAILED : type;
        String text = message == null || message.isBlank()
                ? "The Jenkins job worker reported " + failureType.awsName() + " without a message." : message;
        FailureResult failure = FailureResult.builder().jobId(jobId).type(failureType).message(text)
                .externalExecutionId(fitting(externalExecutionId)).build();
        return (FailureResult) LongTextShortener.shorten(failure).result();
    }

    private static String fitting(String externalExecutionId) {
        if (externalExecutionId == null || externalExecutionId.isEmpty()
                || externalExecutionId.codePointCount(0, externalExecutionId.length())
                        > Limits.EXTERNAL_EXECUTION_ID_MAX) {
            return null;
        }
        return externalExecutionId;
    }
}
