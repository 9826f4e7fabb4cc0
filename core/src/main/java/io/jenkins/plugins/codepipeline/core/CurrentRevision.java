package io.jenkins.plugins.codepipeline.core;

import java.time.Instant;

/**
 * The revision a job worked on, reported back with a success ({@code currentRevision}).
 *
 * @param revision         required when a current revision is given, 1–1500 characters
 * @param changeIdentifier required when a current revision is given, 1–100 characters
 * @param created          optional
 * @param revisionSummary  optional, 1–2048 characters
 */
public record CurrentRevision(String revision, String changeIdentifier, Instant created, String revisionSummary) {

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().revision(revision).changeIdentifier(changeIdentifier).created(created)
                .revisionSummary(revisionSummary);
    }

    /** Builder; every field optional here, the validator says what is missing. */
    public static final class Builder {
        private String revision;
        private String changeIdentifier;
        private Instant created;
        private String revisionSummary;

        private Builder() {
        }

        public Builder revision(String revision) {
            this.revision = revision;
            return this;
        }

        public Builder changeIdentifier(String changeIdentifier) {
            this.changeIdentifier = changeIdentifier;
            return this;
        }

        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        public Builder revisionSummary(String revisionSummary) {
            this.revisionSummary = revisionSummary;
            return this;
        }

        public CurrentRevision build() {
            return new CurrentRevision(revision, changeIdentifier, created, revisionSummary);
        }
    }
}
