package io.jenkins.plugins.codepipeline.core;

import java.util.Map;

/**
 * Decides, in one place, where region, endpoint and job id come from: the caller's explicit value (a step argument,
 * a command-line option), then the environment as the AWS SDKs name it, then a configured default, then the
 * built-in default. Blank values count as not given.
 */
public final class SettingSources {
    /** The build parameter a dispatcher (a Lambda, an EventBridge rule calling Jenkins) passes the job id in. */
    public static final String JOB_ID_VARIABLE = "CODEPIPELINE_JOB_ID";
    public static final String[] REGION_VARIABLES = {"AWS_REGION", "AWS_DEFAULT_REGION"};
    public static final String[] ENDPOINT_VARIABLES = {"AWS_ENDPOINT_URL_CODEPIPELINE", "AWS_ENDPOINT_URL"};

    private SettingSources() {
    }

    /**
     * A setting's value and where it came from, for the log ("region eu-west-1 from AWS_REGION").
     *
     * @param value  null when nothing gave one
     * @param source such as "argument", "environment variable AWS_REGION", "global configuration", "default"
     */
    public record Setting(String value, String source) {
        public boolean isSet() {
            return value != null;
        }
    }

    public static Setting region(String explicit, Map<String, String> environment, String configured) {
        return first(explicit, environment, REGION_VARIABLES, configured, ConnectionSettings.DEFAULT_REGION);
    }

    /** The endpoint override; unset (value null) means the region's AWS endpoint. */
    public static Setting endpoint(String explicit, Map<String, String> environment, String configured) {
        return first(explicit, environment, ENDPOINT_VARIABLES, configured, null);
    }

    /** The job id: explicit, else {@value #JOB_ID_VARIABLE}; unset when neither gives one. */
    public static Setting jobId(String explicit, Map<String, String> environment) {
        return first(explicit, environment, new String[] {JOB_ID_VARIABLE}, null, null);
    }

    private static Setting first(String explicit, Map<String, String> environment, String[] variables,
            String configured, String builtIn) {
        if (given(explicit)) {
            return new Setting(explicit.trim(), "argument");
        }
        if (environment != null) {
            for (String variable : variables) {
                String value = environment.get(variable);
                if (given(value)) {
                    return new Setting(value.trim(), "environment variable " + variable);
                }
            }
        }
        if (given(configured)) {
            return new Setting(configured.trim(), "global configuration");
        }
        return new Setting(builtIn, builtIn == null ? "not set" : "default");
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
