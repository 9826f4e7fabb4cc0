package io.jenkins.plugins.codepipeline.artifacts;

import java.io.Serializable;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The job's artifact credentials inside one agent call: three strings, serialized only into the remoting channel
 * with the callable that holds them (never persisted, never logged, never in the environment) and dropped with it
 * after the call. {@link #toString()} shows the access key id alone.
 */
final class AgentCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;

    AgentCredentials(AwsSessionCredentials credentials) {
        this.accessKeyId = credentials.accessKeyId();
        this.secretAccessKey = credentials.secretAccessKey();
        this.sessionToken = credentials.sessionToken();
    }

    /** On the agent. */
    AwsSessionCredentials toSdk() {
        return AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
    }

    @Override
    public String toString() {
        return "artifact credentials " + accessKeyId;
    }
}
