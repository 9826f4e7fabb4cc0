package io.jenkins.plugins.codepipeline.core;

/**
 * What the worker did ({@code executionDetails}); every member optional.
 *
 * @param summary             1–2048 characters
 * @param externalExecutionId 1–1500 characters, for example a build number or URL
 * @param percentComplete     0–100
 */
public record ExecutionDetails(String summary, String externalExecutionId, Integer percentComplete) {

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().summary(summary).externalExecutionId(externalExecutionId).percentComplete(percentComplete);
    }

    /** True when no member is set: such details are not sent at all. */
    public boolean isEmpty() {
        return summary == null && externalExecutionId == null && percentComplete == null;
    }

    public static final class Builder {
        private String summary;
        private String externalExecutionId;
        private Integer percentComplete;

        private Builder() {
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder externalExecutionId(String externalExecutionId) {
            this.externalExecutionId = externalExecutionId;
            return this;
        }

        public Builder percentComplete(Integer percentComplete) {
            this.percentComplete = percentComplete;
            return this;
        }

        public ExecutionDetails build() {
            return new ExecutionDetails(summary, externalExecutionId, percentComplete);
        }
    }
}
