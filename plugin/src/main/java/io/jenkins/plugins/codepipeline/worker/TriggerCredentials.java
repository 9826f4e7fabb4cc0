package io.jenkins.plugins.codepipeline.worker;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.util.Secret;
import io.jenkins.plugins.codepipeline.core.worker.SessionCredentialsCache;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The credentials a trigger polls with. A trigger has no build to look them up with, so they are looked up in its
 * job (folder credentials included) as the system, as SCM polling does; whoever may configure the job chooses among
 * the credentials the job can see. The use is tracked once per job and credential, not once per poll, and the
 * session credentials are reused ({@link SessionCredentialsCache}): a credential that assumes a role makes one STS
 * call per session, not one per poll.
 */
final class TriggerCredentials {
    static final String HOW_TO_ALLOW = "An administrator can allow the controller's own AWS credentials "
            + "(environment, profile, instance or container role) in Manage Jenkins » System » AWS CodePipeline Job "
            + "Worker » Allow the controller's AWS credentials.";

    private final SessionCredentialsCache sessions;
    /** The credential last seen per job and key: a new instance (an update) is tracked, and its session renewed. */
    private final Map<String, Credentials> seen = new ConcurrentHashMap<>();

    TriggerCredentials(SessionCredentialsCache sessions) {
        this.sessions = sessions;
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
        List<IdCredentials> visible = CredentialsProvider.lookupCredentialsInItem(IdCredentials.class, job,
                ACL.SYSTEM2, List.of());
        IdCredentials credentials = CredentialsMatchers.firstOrNull(visible, CredentialsMatchers.withId(credentialsId));
        String seenKey = job.getFullName() + "\n" + credentialsKey;
        if (credentials == null) {
            if (seen.remove(seenKey) != null) {
                sessions.invalidate(credentialsKey);
            }
            throw new IllegalStateException("Credentials '" + credentialsId + "' were not found: no credentials "
                    + "with this id are visible to " + job.getFullName() + ". They must be global, or belong to one "
                    + "of the job's folders.");
        }
        Credentials previous = seen.put(seenKey, credentials);
        if (previous != credentials) {
            CredentialsProvider.track(job, credentials);
            if (previous != null) {
                sessions.invalidate(credentialsKey); // updated credentials: no session of the old ones
            }
        }
        return sessions.cached(credentialsKey, toProvider(credentials, credentialsId, allowControllerCredentials));
    }

    /** Forgets what a deleted or renamed job used. */
    void forgetJob(String fullName) {
        seen.keySet().removeIf(k -> k.startsWith(fullName + "\n"));
    }

    private static AwsCredentialsProvider toProvider(IdCredentials credentials, String id,
            boolean allowControllerCredentials) {
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
                throw new IllegalStateException("Credentials '" + id + "' need the access key id as user name and "
                        + "the secret access key as password; one of them is blank.");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey));
        }
        throw new IllegalStateException("Credentials '" + id + "' are " + credentials.getDescriptor().getDisplayName()
                + "; polling needs AWS credentials, or username/password with the access key id as user name and "
                + "the secret access key as password.");
    }

    private static void checkRoleOnly(AmazonWebServicesCredentials aws, String id, boolean allowControllerCredentials) {
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
            throw new IllegalStateException("AWS credentials '" + id + "' have neither an access key nor a role to "
                    + "assume.");
        }
        if (!allowControllerCredentials) {
            throw new IllegalStateException("AWS credentials '" + id + "' assume role " + role + " with the "
                    + "controller's own AWS credentials, because their access key is blank. " + HOW_TO_ALLOW);
        }
    }

    /** The SDK's default chain, made once: it caches what it finds (instance profile credentials, for example). */
    private static final class ControllerCredentials {
        static final AwsCredentialsProvider PROVIDER = DefaultCredentialsProvider.builder().build();
    }
}
