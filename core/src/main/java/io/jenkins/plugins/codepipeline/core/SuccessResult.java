package io.jenkins.plugins.codepipeline.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code PutJobSuccessResult} request. Immutable; {@link #outputVariables()} keeps the order it was given
 * and is never null (empty means: the member is left out of the request).
 */
public record SuccessResult(
        String jobId,
        CurrentRevision currentRevision,
        String continuationToken,
        ExecutionDetails executionDetails,
        Map<String, String> outputVariables) implements JobResult {

    public SuccessResult {
        outputVariables = outputVariables == null || outputVariables.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(outputVariables));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().jobId(jobId).currentRevision(currentRevision).continuationToken(continuationToken)
                .executionDetails(executionDetails).outputVariables(outputVariables);
    }

    @Override
    public String operationName() {
        return "PutJobSuccessResult";
    }

    /** Never prints variable values, which may be secret. */
    @Override
    public String toString() {
        return "SuccessResult[jobId=" + jobId + ", currentRevision=" + currentRevision + ", continuationToken="
                + (continuationToken == null ? null : "(set)") + ", executionDetails=" + executionDetails
                + ", outputVariables=" + outputVariables.keySet() + "]";
    }

    public static final class Builder {
        private String jobId;
        private CurrentRevision currentRevision;
        private String continuationToken;
        private ExecutionDetails executionDetails;
        private final Map<String, String> outputVariables = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        public Builder currentRevision(CurrentRevision currentRevision) {
            this.currentRevision = currentRevision;
            return this;
        }

        public Builder continuationToken(String continuationToken) {
            this.continuationToken = continuationToken;
            return this;
        }

        public Builder executionDetails(ExecutionDetails executionDetails) {
            this.executionDetails = executionDetails;
            return this;
        }

        /** Replaces the variables with these, in their iteration order. */
        public Builder outputVariables(Map<String, String> variables) {
            outputVariables.clear();
            if (variables != null) {
                outputVariables.putAll(variables);
            }
            return this;
        }

        public Builder outputVariable(String key, String value) {
            outputVariables.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        public SuccessResult build() {
            return new SuccessResult(jobId, currentRevision, continuationToken, executionDetails, outputVariables);
        }
    }
}
