package io.jenkins.plugins.codepipeline.core;

import java.util.List;

/**
 * How a report ended.
 *
 * @param status    what happened
 * @param result    the result that was sent (after any shortening)
 * @param region    the region it was sent to
 * @param requestId the AWS request id of the last answered attempt; null when no attempt was answered
 * @param errorCode AWS's error code of the final failure, or null
 * @param message   a line for a build log: what happened and, when it failed, what to do
 * @param attempts  every attempt, in order
 */
public record ReportOutcome(
        Status status, JobResult result, String region, String requestId, String errorCode, String message,
        List<Attempt> attempts) {

    public ReportOutcome {
        attempts = List.copyOf(attempts);
    }

    public enum Status {
        /** CodePipeline accepted the result. */
        DELIVERED,
        /**
         * An attempt's answer was lost and a retry found the job already closed: the result most likely went
         * through with the lost attempt. Neither a plain success nor a plain failure.
         */
        DELIVERED_ANSWER_LOST,
        /** CodePipeline answered with an error; the result was not accepted. */
        REFUSED,
        /** No attempt got an answer, or the report could not start (credentials); nothing is known to have arrived. */
        NOT_DELIVERED
    }

    /** True for {@link Status#DELIVERED} and {@link Status#DELIVERED_ANSWER_LOST}. */
    public boolean delivered() {
        return status == Status.DELIVERED || status == Status.DELIVERED_ANSWER_LOST;
    }
}
