package io.jenkins.plugins.codepipeline;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import org.junit.jupiter.api.Assumptions;

/** Shared set-up: the in-process CodePipeline endpoint from core's tests, and credentials. */
final class TestSupport {
    static final String JOB = "0a1b2c3d-1111-2222-3333-444455556666";
    static final String OTHER_JOB = "0a1b2c3d-1111-2222-3333-444455556667";
    static final String ACCESS_KEY = "AKIDJENKINSTEST";
    /** A secret that must never show in a log. */
    static final String SECRET_KEY = "s3cr3t-Secret-Access-Key";

    private TestSupport() {
    }

    /** Points every report at {@code endpoint}, with few attempts so that failing tests end quickly. */
    static void useEndpoint(FakeCodePipeline endpoint) {
        // An endpoint in the host's environment would win over the global configuration (as it should for users).
        Assumptions.assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null
                && System.getenv("AWS_ENDPOINT_URL_CODEPIPELINE") == null, "the host overrides the CodePipeline endpoint");
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        global.setDefaultEndpointUrl(endpoint.endpoint().toString());
        global.setMaxAttempts(3);
    }

    /** Adds global username/password credentials "keys" holding an access key id and secret key. */
    static void addGlobalKeys() throws Exception {
        addGlobal(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "keys", "test keys", ACCESS_KEY,
                SECRET_KEY));
    }

    static void addGlobal(StandardCredentials credentials) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(credentials);
        SystemCredentialsProvider.getInstance().save();
    }
}
