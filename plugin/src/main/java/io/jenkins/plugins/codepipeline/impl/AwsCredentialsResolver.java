package io.jenkins.plugins.codepipeline.impl;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Run;
import hudson.util.Secret;
import java.util.Collections;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Turns a credentials id into what signs a report, on the controller, at run time: the id is looked up in the
 * build's context (folder credentials included) and its use is tracked. No id means the controller's own AWS
 * credentials, which an administrator must allow; so does an AWS credential that assumes a role with blank keys,
 * since the controller's credentials then sign the AssumeRole call.
 */
public final class AwsCredentialsResolver {
    private static final String HOW_TO_ALLOW = "An administrator can allow the controller's own AWS credentials "
            + "(environment, profile, instance or container role) in Manage Jenkins » System » AWS CodePipeline Job "
            + "Worker » Allow the controller's AWS credentials.";

    private AwsCredentialsResolver() {
    }

    /**
     * @param credentialsId the id, or null for the controller's credentials
     * @param source        where the id came from, for messages ("argument", "global configuration")
     */
    public static AwsCredentialsProvider resolve(Run<?, ?> run, @CheckForNull String credentialsId, String source,
            boolean allowControllerCredentials) throws AbortException {
        String id = Util.fixEmptyAndTrim(credentialsId);
        if (id == null) {
            if (!allowControllerCredentials) {
                throw new AbortException("No AWS credentials for the report: give credentialsId (AWS credentials, or "
                        + "username/password holding an access key id and secret access key), or set default "
                        + "credentials in Manage Jenkins » System » AWS CodePipeline Job Worker. " + HOW_TO_ALLOW);
            }
            return ControllerCredentials.PROVIDER;
        }
        IdCredentials credentials = CredentialsProvider.findCredentialById(id, IdCredentials.class, run,
                Collections.emptyList());
        if (credentials == null) {
            throw new AbortException("Credentials '" + id + "' (" + source + ") were not found: no credentials with "
                    + "this id are visible to " + run.getParent().getFullName() + ". They must be global, or belong "
                    + "to one of the job's folders.");
        }
        CredentialsProvider.track(run, credentials);
        if (credentials instanceof AmazonWebServicesCredentials aws) {
            checkRoleOnly(aws, id, allowControllerCredentials);
            return () -> {
                AwsCredentials resolved = aws.resolveCredentials();
                if (resolved == null) {
                    throw new IllegalStateException("AWS credentials '" + id + "' gave no keys: give them an access "
                            + "key and secret key, or a role to assume");
                }
                return resolved;
            };
        }
        if (credentials instanceof StandardUsernamePasswordCredentials keys) {
            String accessKeyId = Util.fixEmptyAndTrim(keys.getUsername());
            String secretKey = Secret.toString(keys.getPassword());
            if (accessKeyId == null || secretKey.isEmpty()) {
                throw new AbortException("Credentials '" + id + "' need the access key id as user name and the secret "
                        + "access key as password; one of them is blank.");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey));
        }
        throw new AbortException("Credentials '" + id + "' are " + credentials.getDescriptor().getDisplayName()
                + "; a report needs AWS credentials, or username/password with the access key id as user name and "
                + "the secret access key as password.");
    }

    private static void checkRoleOnly(AmazonWebServicesCredentials aws, String id, boolean allowControllerCredentials)
            throws AbortException {
        if (!(aws instanceof AWSCredentialsImpl impl)) {
            return;
        }
        boolean blankKeys = Util.fixEmptyAndTrim(impl.getAccessKey()) == null
                && Secret.toString(impl.getSecretKey()).isBlank();
        if (!blankKeys) {
            return;
        }
        String role = Util.fixEmptyAndTrim(impl.getIamRoleArn());
        if (role == null) {
            throw new AbortException("AWS credentials '" + id + "' have neither an access key nor a role to assume.");
        }
        if (!allowControllerCredentials) {
            throw new AbortException("AWS credentials '" + id + "' assume role " + role + " with the controller's own "
                    + "AWS credentials, because their access key is blank. " + HOW_TO_ALLOW);
        }
    }

    /** The SDK's default chain, made once: it caches what it finds (instance profile credentials, for example). */
    private static final class ControllerCredentials {
        static final AwsCredentialsProvider PROVIDER = DefaultCredentialsProvider.builder().build();
    }
}
