package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Words a failed worker call as one line a Jenkins administrator can act on: what failed, the likely cause, what to
 * do, with AWS's own text. No request id, attempt count or timing: a failure that repeats must give the same line,
 * so that it is logged once, not once per poll. Never a secret: at most the access key id, which AWS prints too.
 */
final class PollErrors {
    static final String WORKER_ACTIONS = "codepipeline:PollForJobs, codepipeline:AcknowledgeJob, "
            + "codepipeline:GetJobDetails, codepipeline:ListActionTypes, codepipeline:PutJobSuccessResult and "
            + "codepipeline:PutJobFailureResult";

    private PollErrors() {
    }

    /** The error code a failed outcome carries. */
    static String code(SdkException failure) {
        return failure instanceof AwsServiceException service ? AwsErrorMessages.errorCode(service)
                : failure.getClass().getSimpleName();
    }

    static String credentials(PollKey key, RuntimeException failure) {
        return "Could not get " + credentialsName(key) + " to poll for jobs of "
                + key.describe() + ": " + AwsErrorMessages.rootMessage(failure) + ". Check those credentials; "
                + "nothing was polled.";
    }

    /** A failed call; {@code operation} is its API name, such as PollForJobs. */
    static String describe(String operation, PollKey key, SdkException failure, String accessKeyId) {
        String what = operation + " for " + key.describe();
        if (!(failure instanceof AwsServiceException e)) {
            return "CodePipeline did not answer " + what + " (" + AwsErrorMessages.rootMessage(failure)
                    + "). Check the network, proxy and endpoint (" + key.settings().endpointDescription() + ").";
        }
        String code = AwsErrorMessages.errorCode(e);
        String aws = " (AWS: " + code + ": " + AwsErrorMessages.awsMessage(e) + ")";
        String region = key.settings().region();
        switch (code) {
            case "ActionTypeNotFoundException":
                return "The action type " + key.actionType().describe() + " does not exist in region " + region
                        + aws + ": create it (codepipeline-job create-action-type --category "
                        + key.actionType().category() + " --provider " + key.actionType().provider() + " --version "
                        + key.actionType().version() + " --region " + region + " --jenkins-url ...), or correct "
                        + "the category, provider, version or region.";
            case "AccessDeniedException":
            case "AccessDenied":
                return capitalized(credentialsName(key)) + " (access key " + accessKeyId + ") may not call "
                        + "codepipeline:" + operation + aws + ". Allow " + WORKER_ACTIONS + " in their IAM policy.";
            case "UnrecognizedClientException":
            case "InvalidClientTokenId":
                return "AWS does not know the access key id " + accessKeyId + " of "
                        + credentialsName(key) + aws + ". The key may be deleted, deactivated or mistyped, or belong "
                        + "to another partition (China, GovCloud): check the credentials.";
            case "InvalidSignatureException":
            case "SignatureDoesNotMatch":
                if (AwsErrorMessages.awsMessage(e).toLowerCase(Locale.ROOT).contains("signature expired")) {
                    return clockSkew(aws);
                }
                return "AWS rejected the signature of " + what + aws + ": the secret access key of "
                        + credentialsName(key) + " does not belong to access key id " + accessKeyId
                        + ". Check the secret key.";
            case "RequestExpired":
            case "RequestTimeTooSkewed":
                return clockSkew(aws);
            case "ExpiredTokenException":
                return "The session token of " + credentialsName(key) + " has expired" + aws
                        + ". Use credentials that renew themselves (a role) or fresh session credentials.";
            case "ValidationException":
                return "CodePipeline refused " + what + " as invalid" + aws + ". Check that " + key.query().name()
                        + " is a queryable configuration property of " + key.actionType().describe()
                        + " and that the query value is 1–" + JobQuery.VALUE_MAX + " letters, digits, _ or -.";
            default:
                break;
        }
        if (AwsErrorMessages.isThrottling(e)) {
            return "CodePipeline kept throttling " + what + aws + ". Too many requests reach this account's "
                    + "CodePipeline in " + region + "; the worker tries again at the next poll. If it lasts, poll less "
                    + "often or share fewer credentials between workers.";
        }
        if (e.statusCode() >= 500) {
            return "CodePipeline kept failing (HTTP " + e.statusCode() + ") on " + what + aws + ". The service may "
                    + "be unavailable in " + region + "; the worker tries again at the next poll.";
        }
        return "CodePipeline refused " + what + aws + ".";
    }

    private static String clockSkew(String aws) {
        return "AWS refused the request because this machine's clock is more than 5 minutes off" + aws
                + ". Synchronize the clock (NTP) of the machine that polls.";
    }

    /** "the credentials 'folder/x::cp-worker'" or "the default credentials". */
    static String credentialsName(PollKey key) {
        return key.credentialsKey() == null ? "the default AWS credentials"
                : "the AWS credentials '" + key.credentialsKey() + "'";
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
