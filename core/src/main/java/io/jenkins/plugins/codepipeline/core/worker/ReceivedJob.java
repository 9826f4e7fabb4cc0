package io.jenkins.plugins.codepipeline.core.worker;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobData;

/**
 * An acknowledged job, as the worker keeps it. It never holds a secret: no artifact credentials, no nonce, and
 * {@code configuration} holds only the properties that ListActionTypes lists with {@code secret: false} (an
 * allow-list: a property it does not list is not kept). PollForJobs returns secret values too, and the job itself
 * does not say which are secret; when the flags are unknown, no configuration is kept at all
 * ({@code configurationKnown} false).
 *
 * @param jobId              the job's id
 * @param accountId          the pipeline's AWS account
 * @param region             the region the job was polled in
 * @param actionType         the job's action type
 * @param pipeline           where in a pipeline the job comes from
 * @param configuration      the non-secret configuration properties, sorted by name
 * @param configurationKnown whether the secret flags were known (else configuration is empty)
 * @param inputArtifacts     in the job's order
 * @param outputArtifacts    in the job's order
 * @param continuationToken  set for a follow-up job: the token an earlier result gave
 */
public record ReceivedJob(String jobId, String accountId, String region, ActionTypeId actionType,
        PipelineContext pipeline, Map<String, String> configuration, boolean configurationKnown,
        List<JobArtifact> inputArtifacts, List<JobArtifact> outputArtifacts, String continuationToken)
        implements Serializable {

    public ReceivedJob {
        Objects.requireNonNull(jobId, "jobId");
        pipeline = pipeline == null ? new PipelineContext(null, null, null, null, null, null) : pipeline;
        configuration = configuration == null || configuration.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(configuration));
        inputArtifacts = inputArtifacts == null ? List.of() : List.copyOf(inputArtifacts);
        outputArtifacts = outputArtifacts == null ? List.of() : List.copyOf(outputArtifacts);
    }

    /**
     * From an SDK job, keeping nothing secret.
     *
     * @param region           the region it was polled in
     * @param secretProperties the type's flags as {@link ActionTypeCatalog#secretProperties} gives them: then only
     *                         the properties listed as not secret are kept. Any other set is taken as the names of
     *                         the secret properties, and every other property is kept. Null when unknown: then no
     *                         configuration is kept
     * @throws IllegalArgumentException when the job has no id or its action type is malformed
     */
    public static ReceivedJob from(Job job, String region, Set<String> secretProperties) {
        if (job.id() == null || job.id().isBlank()) {
            throw new IllegalArgumentException("the job has no id");
        }
        JobData data = job.data();
        ActionTypeId type = data == null || data.actionTypeId() == null ? null : ActionTypeId.fromSdk(
                data.actionTypeId());
        Map<String, String> configuration = Map.of();
        if (secretProperties != null && data != null && data.actionConfiguration() != null) {
            Predicate<String> keep = secretProperties instanceof ActionTypeCatalog.PropertyFlags flags
                    ? flags::isNotSecret : name -> !secretProperties.contains(name);
            configuration = new TreeMap<>();
            for (Map.Entry<String, String> property : data.actionConfiguration().configuration().entrySet()) {
                if (property.getKey() != null && property.getValue() != null && keep.test(property.getKey())) {
                    configuration.put(property.getKey(), property.getValue());
                }
            }
        }
        return new ReceivedJob(job.id(), job.accountId(), region, type,
                PipelineContext.fromSdk(data == null ? null : data.pipelineContext()), configuration,
                secretProperties != null,
                artifacts(data == null ? List.of() : data.inputArtifacts(), true),
                artifacts(data == null ? List.of() : data.outputArtifacts(), false),
                data == null ? null : data.continuationToken());
    }

    private static List<JobArtifact> artifacts(List<Artifact> artifacts, boolean input) {
        List<JobArtifact> out = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            out.add(JobArtifact.fromSdk(artifact, input));
        }
        return out;
    }

    /** A follow-up job: an earlier result of this action gave a continuation token. */
    public boolean isFollowUp() {
        return continuationToken != null;
    }

    /** {@code job <id> (pipeline/stage/action)}, for logs. */
    public String describe() {
        return "job " + jobId + " (" + pipeline.describe() + ")";
    }
}
