package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.SettingSources;
import java.util.Map;

/**
 * Where S3 (the artifact store) is reached, decided as the AWS SDKs do but from a given environment (the build's,
 * not the agent JVM's): the caller's explicit value, then {@code AWS_ENDPOINT_URL_S3}, then {@code AWS_ENDPOINT_URL},
 * then the configured override. Blank values count as not given; unset (value null) means the region's S3 endpoint.
 */
public final class S3EndpointSources {
    /** The environment variables, in the order they are looked at. */
    public static final String[] VARIABLES = {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"};

    private S3EndpointSources() {
    }

    /**
     * @param explicit    a step argument or command-line option; null or blank when not given
     * @param environment the build's (or the command's) environment; may be null
     * @param configured  the global configuration's S3 endpoint override; null or blank when not set
     * @return the endpoint and its source ("argument", "environment variable AWS_ENDPOINT_URL_S3",
     *         "global configuration", or "not set" with a null value)
     */
    public static SettingSources.Setting endpoint(String explicit, Map<String, String> environment,
            String configured) {
        if (given(explicit)) {
            return new SettingSources.Setting(explicit.trim(), "argument");
        }
        if (environment != null) {
            for (String variable : VARIABLES) {
                String value = environment.get(variable);
                if (given(value)) {
                    return new SettingSources.Setting(value.trim(), "environment variable " + variable);
                }
            }
        }
        if (given(configured)) {
            return new SettingSources.Setting(configured.trim(), "global configuration");
        }
        return new SettingSources.Setting(null, "not set");
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
