package io.jenkins.plugins.codepipeline.worker.build;

import hudson.ExtensionList;
import io.jenkins.plugins.codepipeline.core.worker.ContinuationTokens;
import java.io.File;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.identity.IdentityRootAction;

/**
 * Which Jenkins issued a live link's continuation token: 16 lower-case hex digits of the SHA-256 of this instance's
 * identity public key (the key {@code /instance-identity/} publishes, read through {@link IdentityRootAction}; the
 * instance-identity plugin provides it). Without an identity key (that plugin not installed), of 32 random bytes
 * kept in {@code $JENKINS_HOME/codepipeline-job-worker/identity}, so that the fingerprint survives restarts.
 */
public final class InstanceFingerprint {
    private static final Logger LOGGER = Logger.getLogger(InstanceFingerprint.class.getName());
    static final String FALLBACK_FILE = "identity";

    private static WeakReference<Jenkins> cachedFor = new WeakReference<>(null);
    private static String cached;
    private static WeakReference<Jenkins> storedFor = new WeakReference<>(null);
    /** The fingerprint of the identity kept in JENKINS_HOME, if any (see {@link #isOurs}). */
    private static String stored;

    private InstanceFingerprint() {
    }

    /** This instance's fingerprint, as its continuation tokens carry it; computed once per Jenkins. */
    public static synchronized String get() {
        Jenkins jenkins = Jenkins.get();
        if (cached != null && cachedFor.get() == jenkins) {
            return cached;
        }
        byte[] key = identityKey();
        if (key == null) {
            key = storedIdentity(new File(jenkins.getRootDir(), InFlightJobs.DIRECTORY).toPath().resolve(FALLBACK_FILE));
        }
        cached = ContinuationTokens.fingerprint(key);
        cachedFor = new WeakReference<>(jenkins);
        return cached;
    }

    /**
     * Whether a token's fingerprint is this instance's: the one it issues now, or the one of the identity kept in
     * {@code $JENKINS_HOME} when that file exists (tokens issued while the instance had no identity key, before the
     * instance-identity plugin was installed).
     */
    public static synchronized boolean isOurs(String fingerprint) {
        if (fingerprint == null) {
            return false;
        }
        if (fingerprint.equals(get())) {
            return true;
        }
        if (storedFor.get() != Jenkins.get()) {
            Path file = new File(Jenkins.get().getRootDir(), InFlightJobs.DIRECTORY).toPath().resolve(FALLBACK_FILE);
            String fp = null;
            try {
                if (Files.exists(file)) {
                    byte[] bytes = Files.readAllBytes(file);
                    fp = bytes.length >= 16 ? ContinuationTokens.fingerprint(bytes) : null;
                }
            } catch (IOException e) {
                LOGGER.log(Level.FINE, "could not read " + file, e);
            }
            stored = fp;
            storedFor = new WeakReference<>(Jenkins.get());
        }
        return fingerprint.equals(stored);
    }

    /** The encoded (X.509) identity public key, or null when the instance has none. */
    static byte[] identityKey() {
        String pem;
        try {
            pem = ExtensionList.lookupSingleton(IdentityRootAction.class).getPublicKey();
        } catch (RuntimeException | LinkageError e) {
            LOGGER.log(Level.FINE, "no instance identity", e);
            return null;
        }
        if (pem == null) {
            return null;
        }
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s+", "");
        try {
            byte[] key = Base64.getDecoder().decode(body);
            return key.length == 0 ? null : key;
        } catch (IllegalArgumentException e) {
            LOGGER.log(Level.WARNING, "The instance identity's public key could not be read", e);
            return null;
        }
    }

    private static byte[] storedIdentity(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] stored = Files.readAllBytes(file);
                if (stored.length >= 16) {
                    return stored;
                }
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(file.getParent());
            Files.write(file, fresh);
            return fresh;
        } catch (IOException e) {
            throw new IllegalStateException("Jenkins has no instance identity key, and the identity of the CodePipeline "
                    + "job worker could not be kept in " + file + ": " + e.getMessage(), e);
        }
    }
}
