package io.jenkins.plugins.codepipeline.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Shortens the free-text fields that come from builds (summary, revision summary, failure message) to their limits,
 * when the caller asked for that instead of a refusal. The cut never splits a surrogate pair and ends with
 * {@link #MARKER}, so a reader sees that text is missing.
 */
public final class LongTextShortener {
    /** Appended to shortened text. */
    public static final String MARKER = " …[truncated]";

    private LongTextShortener() {
    }

    /**
     * @param result      the (unchanged) result and the fields that were shortened
     * @param shortenedFields field paths that were shortened; empty when nothing was
     */
    public record Shortened(JobResult result, List<String> shortenedFields) {
    }

    public static Shortened shorten(JobResult result) {
        List<String> fields = new ArrayList<>();
        JobResult shortened;
        if (result instanceof SuccessResult success) {
            SuccessResult.Builder builder = success.toBuilder();
            if (success.executionDetails() != null) {
                ExecutionDetails details = success.executionDetails();
                builder.executionDetails(details.toBuilder()
                        .summary(shorten(details.summary(), Limits.SUMMARY_MAX, "executionDetails.summary", fields))
                        .build());
            }
            if (success.currentRevision() != null) {
                CurrentRevision revision = success.currentRevision();
                builder.currentRevision(revision.toBuilder()
                        .revisionSummary(shorten(revision.revisionSummary(), Limits.REVISION_SUMMARY_MAX,
                                "currentRevision.revisionSummary", fields))
                        .build());
            }
            shortened = fields.isEmpty() ? result : builder.build();
        } else {
            FailureResult failure = (FailureResult) result;
            String message = shorten(failure.message(), Limits.FAILURE_MESSAGE_MAX, "failureDetails.message", fields);
            shortened = fields.isEmpty() ? result : failure.toBuilder().message(message).build();
        }
        return new Shortened(shortened, List.copyOf(fields));
    }

    static String shorten(String text, int maxCodePoints, String field, List<String> shortenedFields) {
        if (text == null || Text.codePoints(text) <= maxCodePoints) {
            return text;
        }
        shortenedFields.add(field);
        return Text.firstCodePoints(text, maxCodePoints - Text.codePoints(MARKER)) + MARKER;
    }
}
