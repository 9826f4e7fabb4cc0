package io.jenkins.plugins.codepipeline.impl;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Builds (by directory) and credential ids already tracked; bounded, oldest forgotten first. */
    private static final Set<String> TRACKED = Collections.synchronizedSet(Collections.newSetFromMap(new Bounded()));

    /** Insertion-ordered, the oldest entry dropped beyond 1000. */
    private static final class Bounded extends LinkedHashMap<String, Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    }

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
            return controllerCredentials(allowControllerCredentials);
        }
        IdCredentials credentials = CredentialsProvider.findCredentialById(id, IdCredentials.class, run,
                Collections.emptyList());
        return forBuild(run, credentials, id, source, allowControllerCredentials);
    }

    /**
     * The credentials of a job worker's automatic report for a build: looked up in the build's job as the trigger
     * looked them up when it polled the job (folder credentials included, with the system's authority), so that an
     * automatic report does not depend on what the build itself may see (an Authorize Project setup, for example);
     * the use is tracked on the build, once per build and credential.
     *
     * @param credentialsId the id, or null for the controller's credentials
     * @param source        where the id came from, for messages
     */
    public static AwsCredentialsProvider resolveAsTrigger(Run<?, ?> run, @CheckForNull String credentialsId,
            String source, boolean allowControllerCredentials) throws AbortException {
        String id = Util.fixEmptyAndTrim(credentialsId);
        if (id == null) {
            return controllerCredentials(allowControllerCredentials);
        }
        IdCredentials credentials = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(IdCredentials.class, run.getParent(), ACL.SYSTEM2,
                        List.of()),
                CredentialsMatchers.withId(id));
        return forBuild(run, credentials, id, source, allowControllerCredentials);
    }

    /** The provider of {@code credentials}, found for {@code id} in {@code run}'s job; their use tracked. */
    private static AwsCredentialsProvider forBuild(Run<?, ?> run, @CheckForNull IdCredentials credentials, String id,
            String source, boolean allowControllerCredentials) throws AbortException {
        if (credentials == null) {
            throw new AbortException("Credentials '" + id + "' (" + source + ") were not found: no credentials with "
                    + "this id are visible to " + run.getParent().getFullName() + ". They must be global, or belong "
                    + "to one of the job's folders.");
        }
        // Tracking writes the credentials' fingerprint: once per build and credential, not once per report.
        // Keyed by the build's directory: unique even across Jenkins instances in one JVM (tests).
        if (TRACKED.add(run.getRootDir().getAbsolutePath() + "\u0000" + id)) {
            CredentialsProvider.track(run, credentials);
        }
        return toProvider(credentials, id, allowControllerCredentials);
    }

    /**
     * Like {@link #resolve(Run, String, String, boolean)} where there is no build: a CodePipeline job whose build
     * never ran (a cancelled queue item, a deleted Jenkins job, a restart). The id is looked up in the item's context
     * (its folders' credentials, then global ones) with the system's authority, as the job worker's trigger looked
     * it up when it polled the job.
     *
     * @param context the Jenkins job or folder; null for global credentials only
     */
    public static AwsCredentialsProvider resolve(@CheckForNull Item context, @CheckForNull String credentialsId,
            String source, boolean allowControllerCredentials) throws AbortException {
        String id = Util.fixEmptyAndTrim(credentialsId);
        if (id == null) {
            return controllerCredentials(allowControllerCredentials);
        }
        IdCredentials credentials = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(IdCredentials.class, context, ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(id));
        if (credentials == null) {
            throw new AbortException("Credentials '" + id + "' (" + source + ") were not found: no credentials with "
                    + "this id are visible to " + (context == null ? "Jenkins" : context.getFullName()) + ".");
        }
        if (context != null) {
            CredentialsProvider.track(context, credentials);
        }
        return toProvider(credentials, id, allowControllerCredentials);
    }

    /**
     * The controller's own AWS credentials (the SDK's default chain, made once), when an administrator allowed them.
     *
     * @throws AbortException saying how to give credentials, or how to allow the controller's
     */
    public static AwsCredentialsProvider controllerCredentials(boolean allowControllerCredentials)
            throws AbortException {
        if (!allowControllerCredentials) {
            throw new AbortException("No AWS credentials for the report: give credentialsId (AWS credentials, or "
                    + "username/password holding an access key id and secret access key), or set default "
                    + "credentials in Manage Jenkins » System » AWS CodePipeline Job Worker. " + HOW_TO_ALLOW);
        }
        return ControllerCredentials.PROVIDER;
    }

    /**
     * What signs requests with {@code credentials}: AWS credentials (which may assume a role: every resolve then
     * calls STS, so callers resolve once per report or cache the session), or username/password holding an access
     * key id and a secret access key. Shared by the reports and the trigger's polls.
     *
     * @param credentials                the credentials found for {@code id}
     * @param id                         their id, for messages
     * @param allowControllerCredentials whether AWS credentials with blank keys may assume their role with the
     *                                   controller's own credentials
     * @throws AbortException when they cannot sign (wrong type, blank keys), saying what to do
     */
    public static AwsCredentialsProvider toProvider(IdCredentials credentials, String id,
            boolean allowControllerCredentials) throws AbortException {
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
                + "the secret access key as password (so does the trigger's polling).");
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
