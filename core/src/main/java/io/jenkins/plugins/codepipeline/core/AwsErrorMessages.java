package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the final failure of a report into one line a build-log reader can act on: what happened, the likely
 * cause, what to do; with AWS's own text and request id. Never includes a secret: only the access key id, which
 * AWS itself prints in such errors. The small helpers that read an AWS error (code, message, root cause, throttling)
 * are public so that the job worker's poller words its failures from the same readings.
 */
public final class AwsErrorMessages {
    private AwsErrorMessages() {
    }

    /** What the report was doing, for the message. */
    record Context(JobResult result, ConnectionSettings settings, String accessKeyId, int attempts, Duration elapsed) {
        String what() {
            return (result instanceof SuccessResult ? "success" : "failure") + " result for job " + result.jobId();
        }

        String operation() {
            return "codepipeline:" + result.operationName();
        }
    }

    static String describe(SdkException failure, Context context) {
        if (failure instanceof AwsServiceException service) {
            return describeService(service, context);
        }
        return "CodePipeline did not answer the " + context.what() + " after " + attempts(context) + " ("
                + rootMessage(failure) + "). Nothing is known to have arrived; if an attempt reached CodePipeline "
                + "before its connection broke, it may have been delivered: check job " + context.result().jobId()
                + " in the pipeline's history. Check the network, proxy and endpoint ("
                + context.settings().endpointDescription() + ").";
    }

    private static String describeService(AwsServiceException e, Context c) {
        String code = errorCode(e);
        String aws = " (AWS: " + code + ": " + awsMessage(e) + "; request id " + e.requestId() + ")";
        String jobId = c.result().jobId();
        String region = c.settings().region();
        switch (code) {
            case "JobNotFoundException":
                return "CodePipeline has no job " + jobId + " in region " + region + " for the account of access key "
                        + c.accessKeyId() + aws + ". Check that the region is the pipeline's region and that the "
                        + "credentials belong to the pipeline's AWS account; a job is also unknown once CodePipeline "
                        + "has purged it.";
            case "InvalidJobStateException":
                return "CodePipeline refused the " + c.what() + " because the job is no longer open: it already "
                        + "succeeded, failed or timed out" + aws + ". If another build already reported this job, "
                        + "nothing is lost. If it timed out, report sooner or raise the custom action's timeout.";
            case "OutputVariablesSizeExceededException":
                return "CodePipeline refused the output variables as too large" + aws + ". The quota is "
                        + Limits.OUTPUT_VARIABLES_MAX_BYTES + " bytes for all names and values together; publish "
                        + "fewer or shorter variables.";
            case "ValidationException":
                return "CodePipeline refused the " + c.what() + " as invalid" + aws + ". It passed this worker's "
                        + "own checks, so please report it to the plugin's issue tracker with the AWS message.";
            case "UnrecognizedClientException":
            case "InvalidClientTokenId":
                return "AWS does not know the access key id " + c.accessKeyId() + aws + ". The key may be deleted, "
                        + "deactivated or mistyped, or belong to another partition (China, GovCloud): check the "
                        + "credentials.";
            case "InvalidSignatureException":
            case "SignatureDoesNotMatch":
                if (awsMessage(e).toLowerCase(Locale.ROOT).contains("signature expired")) {
                    return clockSkew(aws);
                }
                return "AWS rejected the request's signature" + aws + ": the secret access key does not belong to "
                        + "access key id " + c.accessKeyId() + ". Check the credentials' secret key.";
            case "RequestExpired":
                return clockSkew(aws);
            case "ExpiredTokenException":
                return "The session token of access key " + c.accessKeyId() + " has expired" + aws
                        + ". Use fresh session credentials, or credentials that renew themselves (a role).";
            case "AccessDeniedException":
            case "AccessDenied":
                return "The credentials (access key " + c.accessKeyId() + ") may not call " + c.operation() + aws
                        + ". Allow " + c.operation() + " for this pipeline in the IAM policy of the credentials.";
            default:
                break;
        }
        if (isThrottling(e)) {
            return "CodePipeline kept throttling the " + c.what() + " for " + attempts(c) + aws + ". Too many "
                    + "requests reach this account's CodePipeline; raise maxAttempts or report again.";
        }
        if (e.statusCode() >= 500) {
            return "CodePipeline kept failing (HTTP " + e.statusCode() + ") on the " + c.what() + " for "
                    + attempts(c) + aws + ". The service may be unavailable in " + region
                    + "; report again later, or raise maxAttempts.";
        }
        return "CodePipeline refused the " + c.what() + aws + ".";
    }

    private static String clockSkew(String aws) {
        return "AWS refused the request because this machine's clock is more than 5 minutes off" + aws
                + ". Synchronize the clock (NTP) of the machine that sends the report.";
    }

    public static boolean isThrottling(AwsServiceException e) {
        return e.isThrottlingException() || "ThrottlingException".equals(errorCode(e));
    }

    public static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
    }

    public static String awsMessage(AwsServiceException e) {
        String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
        return message == null || message.isBlank() ? "no message" : message;
    }

    /** The innermost cause's message, which says what broke (connection refused, read timed out ...). */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String attempts(Context c) {
        return c.attempts() + (c.attempts() == 1 ? " attempt" : " attempts") + " in "
                + String.format(Locale.ROOT, "%.1f", c.elapsed().toMillis() / 1000.0) + " s";
    }
}
