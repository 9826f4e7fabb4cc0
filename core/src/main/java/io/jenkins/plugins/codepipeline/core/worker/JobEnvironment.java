package io.jenkins.plugins.codepipeline.core.worker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code CODEPIPELINE_*} variables of a job's build or command, named in one place for the plugin, the command
 * line and the documentation.
 *
 * <ul>
 * <li>{@code CODEPIPELINE_CONFIG_<NAME>}: each non-secret configuration property; NAME is the property's name with
 * every character outside {@code [A-Za-z0-9_]} replaced by {@code _}. The values come from whoever may edit the
 * pipeline: scripts must quote them;
 * <li>{@code CODEPIPELINE_INPUT_ARTIFACTS}, {@code CODEPIPELINE_OUTPUT_ARTIFACTS}: artifact names, comma-separated,
 * in the job's order (artifact names cannot hold a comma);
 * <li>{@code CODEPIPELINE_INPUT_REVISION_<NAME>}: an input artifact's revision, when it has one.
 * </ul>
 */
public final class JobEnvironment {
    public static final String PREFIX = "CODEPIPELINE_";
    public static final String JOB_ID = "CODEPIPELINE_JOB_ID";
    public static final String REGION = "CODEPIPELINE_REGION";
    public static final String ACCOUNT_ID = "CODEPIPELINE_ACCOUNT_ID";
    public static final String PIPELINE_NAME = "CODEPIPELINE_PIPELINE_NAME";
    public static final String PIPELINE_EXECUTION_ID = "CODEPIPELINE_PIPELINE_EXECUTION_ID";
    public static final String PIPELINE_ARN = "CODEPIPELINE_PIPELINE_ARN";
    public static final String STAGE_NAME = "CODEPIPELINE_STAGE_NAME";
    public static final String ACTION_NAME = "CODEPIPELINE_ACTION_NAME";
    public static final String ACTION_EXECUTION_ID = "CODEPIPELINE_ACTION_EXECUTION_ID";
    public static final String CONTINUATION_TOKEN = "CODEPIPELINE_CONTINUATION_TOKEN";
    public static final String CONFIG_PREFIX = "CODEPIPELINE_CONFIG_";
    public static final String INPUT_ARTIFACTS = "CODEPIPELINE_INPUT_ARTIFACTS";
    public static final String OUTPUT_ARTIFACTS = "CODEPIPELINE_OUTPUT_ARTIFACTS";
    public static final String INPUT_REVISION_PREFIX = "CODEPIPELINE_INPUT_REVISION_";

    private JobEnvironment() {
    }

    /**
     * The job's variables, in a stable order; variables without a value are left out. When two property names map to
     * one variable ({@code a-b} and {@code a_b}), the later name in sort order wins.
     */
    public static Map<String, String> variables(ReceivedJob job) {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, JOB_ID, job.jobId());
        put(env, REGION, job.region());
        put(env, ACCOUNT_ID, job.accountId());
        PipelineContext pipeline = job.pipeline();
        put(env, PIPELINE_NAME, pipeline.pipelineName());
        put(env, PIPELINE_EXECUTION_ID, pipeline.pipelineExecutionId());
        put(env, PIPELINE_ARN, pipeline.pipelineArn());
        put(env, STAGE_NAME, pipeline.stageName());
        put(env, ACTION_NAME, pipeline.actionName());
        put(env, ACTION_EXECUTION_ID, pipeline.actionExecutionId());
        put(env, CONTINUATION_TOKEN, job.continuationToken());
        job.configuration().forEach((name, value) -> put(env, configVariableName(name), value));
        put(env, INPUT_ARTIFACTS, names(job.inputArtifacts()));
        put(env, OUTPUT_ARTIFACTS, names(job.outputArtifacts()));
        for (JobArtifact input : job.inputArtifacts()) {
            if (input.name() != null) {
                put(env, inputRevisionVariableName(input.name()), input.revision());
            }
        }
        return env;
    }

    /** {@code CODEPIPELINE_CONFIG_} and the property's name, with characters outside [A-Za-z0-9_] replaced by _. */
    public static String configVariableName(String propertyName) {
        return CONFIG_PREFIX + mangle(propertyName);
    }

    /** {@code CODEPIPELINE_INPUT_REVISION_} and the artifact's name, mangled as configuration names are. */
    public static String inputRevisionVariableName(String artifactName) {
        return INPUT_REVISION_PREFIX + mangle(artifactName);
    }

    static String mangle(String name) {
        StringBuilder out = new StringBuilder(name.length());
        // By code point: a character outside the BMP becomes one _, not two.
        name.codePoints().forEach(c -> out.append(
                c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' ? (char) c : '_'));
        return out.toString();
    }

    private static String names(List<JobArtifact> artifacts) {
        return artifacts.isEmpty() ? null
                : artifacts.stream().map(JobArtifact::name).filter(n -> n != null).collect(Collectors.joining(","));
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }
}
