package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.codepipeline.core.worker.SessionCredentialsCache;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The trigger's credentials are compared by what they are, not by object: a provider that returns a new, equal object
 * on each lookup keeps the session (no AssumeRole per poll); changed credentials, or an authentication error, renew it.
 * A lookup is reused for a while.
 */
@WithJenkins
class TriggerCredentialsTest {
    private static final String KEY = "::keys";
    private JenkinsRule j;
    private FreeStyleProject job;
    private final AtomicLong now = new AtomicLong(1_000_000);

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        WorkerTestSupport.noNetwork();
        WorkerTestSupport.addGlobalKeys();
        job = j.createFreeStyleProject("app");
    }

    /** Replaces the global "keys" with a new object holding these keys. */
    private static void replaceKeys(String accessKey, String secretKey) throws Exception {
        List<Credentials> credentials = SystemCredentialsProvider.getInstance().getCredentials();
        credentials.clear();
        credentials.add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "keys", "test keys", accessKey,
                secretKey));
        SystemCredentialsProvider.getInstance().save();
    }

    private AwsCredentials resolve(TriggerCredentials credentials) {
        return credentials.resolve(job, "keys", KEY, false).resolveCredentials();
    }

    @Test
    void anEqualNewObjectKeepsTheSessionAndAChangeRenewsIt() throws Exception {
        // lookups are not reused here (ttl 0): every resolve looks the credentials up again
        TriggerCredentials credentials = new TriggerCredentials(new SessionCredentialsCache(Clock.systemUTC()),
                () -> 0L, now::get);
        AwsCredentials first = resolve(credentials);
        assertEquals(WorkerTestSupport.ACCESS_KEY, first.accessKeyId());

        replaceKeys(WorkerTestSupport.ACCESS_KEY, WorkerTestSupport.SECRET_KEY); // equal, but a new object
        assertSame(first, resolve(credentials), "the same session: nothing changed");

        replaceKeys(WorkerTestSupport.ACCESS_KEY, "rotated-Secret-Key");
        AwsCredentials rotated = resolve(credentials);
        assertNotSame(first, rotated, "a new session for the changed secret");
        assertEquals("rotated-Secret-Key", rotated.secretAccessKey());
        assertSame(rotated, resolve(credentials));

        credentials.pollFailed(KEY, "AccessDeniedException");
        assertSame(rotated, resolve(credentials), "not an authentication error");
        credentials.pollFailed(KEY, "UnrecognizedClientException");
        assertNotSame(rotated, resolve(credentials), "AWS refused the credentials: a new session");
    }

    @Test
    void aLookupIsReusedForItsTimeToLive() throws Exception {
        TriggerCredentials credentials = new TriggerCredentials(new SessionCredentialsCache(Clock.systemUTC()),
                () -> 60_000L, now::get);
        AwsCredentials first = resolve(credentials);
        replaceKeys("AKIDOTHERKEY", "other-Secret-Key");
        assertSame(first, resolve(credentials), "the lookup is reused within its time");
        now.addAndGet(60_000);
        AwsCredentials changed = resolve(credentials);
        assertEquals("AKIDOTHERKEY", changed.accessKeyId(), "looked up again after it");

        SystemCredentialsProvider.getInstance().getCredentials().clear();
        now.addAndGet(60_000);
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> resolve(credentials));
        assertTrue(missing.getMessage().contains("Credentials 'keys' were not found"), missing.getMessage());
    }

    @Test
    void theFingerprintIsWhatTheCredentialsAreNotTheObject() throws Exception {
        UsernamePasswordCredentialsImpl a = new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "keys", "d",
                "AKIDA", "secret-A");
        UsernamePasswordCredentialsImpl same = new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "keys",
                "d", "AKIDA", "secret-A");
        UsernamePasswordCredentialsImpl otherSecret = new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                "keys", "d", "AKIDA", "secret-B");
        assertEquals(TriggerCredentials.fingerprint(a), TriggerCredentials.fingerprint(same));
        assertNotEquals(TriggerCredentials.fingerprint(a), TriggerCredentials.fingerprint(otherSecret));
        assertTrue(!TriggerCredentials.fingerprint(a).contains("secret-A"), "a digest, not the secret");
    }
}
