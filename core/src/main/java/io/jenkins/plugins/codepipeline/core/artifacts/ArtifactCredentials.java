package io.jenkins.plugins.codepipeline.core.artifacts;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The job's artifact credentials during one transfer, and where fresh ones come from when S3 answers
 * {@code ExpiredToken}: the job's {@code artifactCredentials} have no documented lifetime, so the caller supplies
 * a way to get them again (in the plugin and the command line: GetJobDetails). Kept in memory only; never printed:
 * {@link #toString()} shows the access key id alone.
 *
 * <p>On ExpiredToken a transfer asks {@link #renew} once and repeats the request that failed (the part, the
 * download), then goes on with the renewed credentials.
 */
public final class ArtifactCredentials {
    private final Supplier<AwsSessionCredentials> renewal;
    private AwsSessionCredentials current;
    private int renewals;

    /**
     * @param initial the job's artifact credentials
     * @param renewal fresh credentials for the same job; null when they cannot be renewed (an ExpiredToken then fails
     *                the transfer)
     */
    public ArtifactCredentials(AwsSessionCredentials initial, Supplier<AwsSessionCredentials> renewal) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.renewal = renewal;
    }

    /** Credentials that are never renewed. */
    public static ArtifactCredentials fixed(AwsSessionCredentials credentials) {
        return new ArtifactCredentials(credentials, null);
    }

    synchronized AwsSessionCredentials current() {
        return current;
    }

    /** The provider of a request signed with {@code credentials}. */
    static IdentityProvider<AwsCredentialsIdentity> provider(AwsSessionCredentials credentials) {
        return StaticCredentialsProvider.create(credentials);
    }

    /**
     * Credentials to replace {@code expired}. When another request already renewed them, those are returned without
     * asking again.
     *
     * @return null when they cannot be renewed
     */
    synchronized AwsSessionCredentials renew(AwsSessionCredentials expired) {
        if (current != expired) {
            return current;
        }
        if (renewal == null) {
            return null;
        }
        AwsSessionCredentials fresh = renewal.get();
        if (fresh == null) {
            return null;
        }
        renewals++;
        current = fresh;
        return fresh;
    }

    /** How often the credentials were renewed. */
    public synchronized int renewals() {
        return renewals;
    }

    public synchronized String accessKeyId() {
        return current.accessKeyId();
    }

    @Override
    public String toString() {
        return "ArtifactCredentials[access key " + accessKeyId() + "]";
    }
}
