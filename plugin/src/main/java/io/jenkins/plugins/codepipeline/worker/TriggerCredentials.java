package io.jenkins.plugins.codepipeline.worker;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.util.Secret;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import io.jenkins.plugins.codepipeline.core.worker.SessionCredentialsCache;
import io.jenkins.plugins.codepipeline.impl.AwsCredentialsResolver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The credentials a trigger polls with. A trigger has no build to look them up with, so they are looked up in its
 * job (folder credentials included) as the system, as SCM polling does; whoever may configure the job chooses among
 * the credentials the job can see. The session credentials are reused ({@link SessionCredentialsCache}): a
 * credential that assumes a role makes one STS call per session, not one per poll.
 *
 * <p>Credentials are compared by a fingerprint of what they are (type, id, access key id, role, and a digest of the
 * secret key kept in memory only), not by object identity: a credentials provider may return a new object on every
 * lookup. The use is tracked once per job and credential, and again only when the fingerprint changes; the session
 * is renewed only then, or after AWS refused the credentials. A lookup is reused for {@link #lookupTtlMillis}.
 */
final class TriggerCredentials {
    static final String HOW_TO_ALLOW = "An administrator can allow the controller's own AWS credentials "
            + "(environment, profile, instance or container role) in Manage Jenkins » System » AWS CodePipeline Job "
            + "Worker » Allow the controller's AWS credentials.";

    /** AWS error codes that say the credentials themselves are wrong or expired: the session is renewed. */
    static final Set<String> AUTHENTICATION_ERRORS = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken",
            "IncompleteSignature", "MissingAuthenticationToken");
    /** A lookup is reused at least this long (and at least one poll interval). */
    static final long MIN_LOOKUP_TTL_MILLIS = 60_000;

    private final SessionCredentialsCache sessions;
    private final LongSupplier lookupTtlMillis;
    private final LongSupplier clockMillis;
    /** The credential last looked up per job and key, with its fingerprint and when it was looked up. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** The fingerprint each credentials key's session was made with: the session is renewed when it changes. */
    private final Map<String, String> sessionFingerprints = new ConcurrentHashMap<>();

    /** One lookup. */
    private record Seen(IdCredentials credentials, String fingerprint, long at) {
    }

    TriggerCredentials(SessionCredentialsCache sessions) {
        this(sessions, () -> Math.max(MIN_LOOKUP_TTL_MILLIS,
                CodePipelineJobWorkerConfiguration.get().getPollIntervalSeconds() * 1000L), System::currentTimeMillis);
    }

    /**
     * @param lookupTtlMillis how long a lookup is reused: a changed or deleted credential applies after that (an
     *                        authentication error applies at once)
     */
    TriggerCredentials(SessionCredentialsCache sessions, LongSupplier lookupTtlMillis, LongSupplier clockMillis) {
        this.sessions = sessions;
        this.lookupTtlMillis = lookupTtlMillis;
        this.clockMillis = clockMillis;
    }

    /**
     * @param credentialsId  the effective id; null for the controller's own credentials
     * @param credentialsKey the poll key's credentials key (where and which)
     * @throws IllegalStateException with a message that says what to do
     */
    AwsCredentialsProvider resolve(Job<?, ?> job, @CheckForNull String credentialsId, String credentialsKey,
            boolean allowControllerCredentials) {
        if (credentialsId == null) {
            if (!allowControllerCredentials) {
                throw new IllegalStateException("No AWS credentials to poll with: give the trigger credentialsId (AWS "
                        + "credentials, or username/password holding an access key id and secret access key), or "
                        + "set default credentials in Manage Jenkins » System » AWS CodePipeline Job Worker. "
                        + HOW_TO_ALLOW);
            }
            return sessions.cached(credentialsKey, ControllerCredentials.PROVIDER);
        }
        String seenKey = job.getFullName() + "\n" + credentialsKey;
        long now = clockMillis.getAsLong();
        Seen last = seen.get(seenKey);
        IdCredentials credentials;
        if (last != null && now - last.at() < lookupTtlMillis.getAsLong()) {
            credentials = last.credentials();
        } else {
            List<IdCredentials> visible = CredentialsProvider.lookupCredentialsInItem(IdCredentials.class, job,
                    ACL.SYSTEM2, List.of());
            credentials = CredentialsMatchers.firstOrNull(visible, CredentialsMatchers.withId(credentialsId));
            if (credentials == null) {
                if (seen.remove(seenKey) != null && sessionFingerprints.remove(credentialsKey) != null) {
                    sessions.invalidate(credentialsKey);
                }
                throw new IllegalStateException("Credentials '" + credentialsId + "' were not found: no credentials "
                        + "with this id are visible to " + job.getFullName() + ". They must be global, or belong to "
                        + "one of the job's folders.");
            }
            String fingerprint = fingerprint(credentials);
            if (last == null || !last.fingerprint().equals(fingerprint)) {
                CredentialsProvider.track(job, credentials); // once per job and credential, and per change
            }
            String before = sessionFingerprints.put(credentialsKey, fingerprint);
            if (before != null && !before.equals(fingerprint)) {
                sessions.invalidate(credentialsKey); // changed credentials: no session of the old ones
            }
            seen.put(seenKey, new Seen(credentials, fingerprint, now));
        }
        return sessions.cached(credentialsKey, toProvider(credentials, credentialsId, allowControllerCredentials));
    }

    /** Forgets what a deleted or renamed job used. */
    void forgetJob(String fullName) {
        seen.keySet().removeIf(k -> k.startsWith(fullName + "\n"));
    }

    /**
     * A poll with this key's credentials failed with {@code errorCode}: when AWS refused the credentials themselves,
     * the session is renewed and the credentials looked up again at the next poll.
     */
    void pollFailed(String credentialsKey, @CheckForNull String errorCode) {
        if (errorCode == null || !AUTHENTICATION_ERRORS.contains(errorCode)) {
            return;
        }
        sessions.invalidate(credentialsKey);
        seen.keySet().removeIf(k -> k.endsWith("\n" + credentialsKey));
    }

    /**
     * What the credentials are, as a digest: type, id, access key id, role and MFA device, and a digest of the secret
     * key. Kept in memory only, never shown; equal for equal credentials, whatever object a provider returns.
     */
    static String fingerprint(IdCredentials credentials) {
        StringBuilder what = new StringBuilder(credentials.getClass().getName()).append('\n')
                .append(credentials.getId());
        if (credentials instanceof AWSCredentialsImpl aws) {
            what.append('\n').append(aws.getAccessKey())
                    .append('\n').append(digest(Secret.toString(aws.getSecretKey())))
                    .append('\n').append(aws.getIamRoleArn()).append('\n').append(aws.getIamMfaSerialNumber());
        } else if (credentials instanceof StandardUsernamePasswordCredentials keys) {
            what.append('\n').append(keys.getUsername())
                    .append('\n').append(digest(Secret.toString(keys.getPassword())));
        } else if (credentials instanceof StandardCredentials standard) {
            what.append('\n').append(standard.getDescription());
        }
        return digest(what.toString());
    }

    private static String digest(String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The reports' conversion ({@link AwsCredentialsResolver#toProvider}), with the trigger's error type. */
    private static AwsCredentialsProvider toProvider(IdCredentials credentials, String id,
            boolean allowControllerCredentials) {
        try {
            return AwsCredentialsResolver.toProvider(credentials, id, allowControllerCredentials);
        } catch (AbortException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The SDK's default chain, made once: it caches what it finds (instance profile credentials, for example). */
    private static final class ControllerCredentials {
        static final AwsCredentialsProvider PROVIDER = DefaultCredentialsProvider.builder().build();
    }
}
