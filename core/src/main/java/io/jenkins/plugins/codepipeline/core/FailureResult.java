package io.jenkins.plugins.codepipeline.core;

/**
 * A {@code PutJobFailureResult} request: {@code failureDetails} {type, message, externalExecutionId}.
 */
public record FailureResult(String jobId, FailureType type, String message, String externalExecutionId)
        implements JobResult {

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().jobId(jobId).type(type).message(message).externalExecutionId(externalExecutionId);
    }

    @Override
    public String operationName() {
        return "PutJobFailureResult";
    }

    public static final class Builder {
        private String jobId;
        private FailureType type = FailureType.JOB_FAILED;
        private String message;
        private String externalExecutionId;

        private Builder() {
        }

        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        /** Defaults to {@link FailureType#JOB_FAILED}. */
        public Builder type(FailureType type) {
            this.type = type;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder externalExecutionId(String externalExecutionId) {
            this.externalExecutionId = externalExecutionId;
            return this;
        }

        public FailureResult build() {
            return new FailureResult(jobId, type, message, externalExecutionId);
        }
    }
}
