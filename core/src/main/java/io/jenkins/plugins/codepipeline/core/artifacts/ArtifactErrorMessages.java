package io.jenkins.plugins.codepipeline.core.artifacts;

import static io.jenkins.plugins.codepipeline.core.AwsErrorMessages.awsMessage;
import static io.jenkins.plugins.codepipeline.core.AwsErrorMessages.errorCode;
import static io.jenkins.plugins.codepipeline.core.AwsErrorMessages.isThrottling;
import static io.jenkins.plugins.codepipeline.core.AwsErrorMessages.rootMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Words the failure of an artifact transfer: which artifact, bucket and key, what happened, what to check. Never a
 * secret: at most the access key id, which AWS itself prints in such errors.
 */
final class ArtifactErrorMessages {
    private ArtifactErrorMessages() {
    }

    static boolean isExpiredToken(AwsServiceException e) {
        String code = errorCode(e);
        return "ExpiredToken".equals(code) || "ExpiredTokenException".equals(code)
                || "TokenRefreshRequired".equals(code);
    }

    /** {@code input artifact 'SourceOutput' (s3://bucket/key)}. */
    static String what(Transfer t) {
        return (t.upload ? "output" : "input") + " artifact '" + t.artifact.name() + "' (s3://" + t.bucket() + "/"
                + t.key() + ")";
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String describe(SdkException failure, Transfer t, String operation, boolean afterRenewal) {
        if (!(failure instanceof AwsServiceException e)) {
            return "S3 did not answer the " + operation + " of the " + what(t) + " (" + rootMessage(failure)
                    + "). Check the agent's network, proxy and the S3 endpoint (" + endpoint(t) + ").";
        }
        String code = errorCode(e);
        String aws = " (AWS: " + code + ": " + awsMessage(e) + "; request id " + e.requestId() + ")";
        if (isKms(e)) {
            String key = t.kmsKeyId != null ? "KMS key " + t.kmsKeyId : "the artifact bucket's KMS key";
            String use = t.upload ? "encrypt the upload with (kms:GenerateDataKey)" : "decrypt (kms:Decrypt)";
            return "The job's artifact credentials may not use " + key + " to " + use + " the " + what(t) + aws
                    + ". Check that the key exists, is enabled and is in the pipeline's region (" + region(t)
                    + "), and that its key policy allows the pipeline's service role: the key is the pipeline's "
                    + "artifact store encryption key (the job's encryptionKey).";
        }
        if (isExpiredToken(e)) {
            return afterRenewal
                    ? "The job's artifact credentials were renewed after they expired, and S3 still refused them as "
                    + "expired for the " + operation + " of the " + what(t) + aws + ". Check this machine's clock "
                    + "(NTP), then run the build again."
                    : "The job's artifact credentials expired during the " + operation + " of the " + what(t) + aws
                    + " and no renewed ones could be had. Run the build again; a transfer that takes longer than the "
                    + "credentials last needs them renewed (GetJobDetails).";
        }
        switch (code) {
            case "NoSuchKey":
                return capitalized(what(t)) + " is not in the artifact store: the object does not exist" + aws
                        + ". The stage before did not produce it: check that the action that outputs '"
                        + t.artifact.name() + "' succeeded and uploaded it, and that this action's input artifacts "
                        + "name the right artifact.";
            case "NoSuchBucket":
                return "The artifact bucket " + t.bucket() + " of the " + what(t) + " does not exist" + aws
                        + ". Check the pipeline's artifact store, the region (" + region(t)
                        + ") and the S3 endpoint (" + endpoint(t) + ").";
            case "NoSuchUpload":
                return "S3 no longer knows the multipart upload of the " + what(t) + aws + ": it was aborted, "
                        + "possibly by a lifecycle rule of bucket " + t.bucket() + ". Run the build again.";
            case "AccessDenied":
            case "AllAccessDisabled":
            case "AccountProblem":
                return "The job's artifact credentials (access key " + t.credentials.accessKeyId() + ") may not "
                        + (t.upload ? "write" : "read") + " the " + what(t) + " (" + operation + ")" + aws
                        + ". Check the policy of bucket " + t.bucket() + " (it must allow the pipeline's service "
                        + "role" + (t.upload ? ", and uploads encrypted with aws:kms" : "")
                        + ") and that the job's artifact is in the pipeline's artifact store.";
            case "InvalidAccessKeyId":
            case "SignatureDoesNotMatch":
            case "InvalidToken":
                return "S3 does not accept the job's artifact credentials (access key "
                        + t.credentials.accessKeyId() + ") for the " + what(t) + aws + ". They come from "
                        + "CodePipeline for this job: check that the S3 endpoint (" + endpoint(t) + ") belongs to "
                        + "the pipeline's partition and region (" + region(t) + ").";
            case "RequestTimeTooSkewed":
            case "RequestExpired":
                return "S3 refused the " + operation + " of the " + what(t) + " because this machine's clock is "
                        + "more than 15 minutes off" + aws + ". Synchronize the clock (NTP).";
            case "EntityTooLarge":
                return "S3 refused the " + what(t) + " as too large" + aws + ". An object may hold at most 5 TB; "
                        + "upload less.";
            default:
                break;
        }
        if (isThrottling(e) || "SlowDown".equals(code)) {
            return "S3 kept throttling the " + operation + " of the " + what(t) + aws + ". Too many requests reach "
                    + "bucket " + t.bucket() + "; run the build again later.";
        }
        if (e.statusCode() >= 500) {
            return "S3 kept failing (HTTP " + e.statusCode() + ") on the " + operation + " of the " + what(t) + aws
                    + ". The service may be unavailable in " + region(t) + "; run the build again later.";
        }
        return "S3 refused the " + operation + " of the " + what(t) + aws + ".";
    }

    /** S3 reports a key it may not use as AccessDenied, KMS.* or InvalidArgument, with KMS in the message. */
    private static boolean isKms(AwsServiceException e) {
        String code = errorCode(e);
        if (code.startsWith("KMS")) {
            return true;
        }
        String message = awsMessage(e);
        return ("AccessDenied".equals(code) || "InvalidArgument".equals(code) || "InvalidRequest".equals(code))
                && (message.contains("kms:") || message.contains("KMS"));
    }

    static String renewalFailed(Transfer t, String operation, RuntimeException e) {
        return "The job's artifact credentials expired during the " + operation + " of the " + what(t)
                + ", and renewing them failed (" + rootMessage(e) + "). Run the build again.";
    }

    /** A local failure: a full disk, or a file that cannot be read or written. */
    static String local(IOException e, Transfer t, Path where, String doing) {
        if (isDiskFull(e)) {
            return "The disk of " + where + " is full: the " + what(t) + " could not be " + doing + " there ("
                    + freeSpace(where) + " free). Free space on the agent (old workspaces, caches) or give the "
                    + "artifact a directory on a larger disk.";
        }
        return capitalized(what(t)) + " could not be " + doing + " " + where + " (" + rootMessage(e) + "). Check that "
                + "the path exists and that the build's user may " + (t.upload ? "read" : "write") + " it.";
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("no space left") || m.contains("not enough space") || m.contains("disk quota")
                    || m.contains("disk full")) {
                return true;
            }
        }
        return false;
    }

    private static String freeSpace(Path where) {
        try {
            Path existing = where;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return "unknown";
            }
            long free = Files.getFileStore(existing).getUsableSpace();
            return String.format(Locale.ROOT, "%.1f MB", free / 1e6);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String endpoint(Transfer t) {
        return t.settings == null ? "the default" : t.settings.endpointDescription();
    }

    private static String region(Transfer t) {
        return t.settings == null ? "the pipeline's region" : t.settings.region();
    }
}
