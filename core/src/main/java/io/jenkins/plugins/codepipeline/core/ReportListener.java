package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;

/** Hears what a report does while it runs, for a build log or stderr. Calls come on the reporting thread. */
public interface ReportListener {
    ReportListener NONE = new ReportListener() {
    };

    /** Something worth telling that does not stop the report (an unknown region, shortened text). */
    default void warning(String message) {
    }

    /** An attempt failed and another follows after {@code delay}. */
    default void retrying(Attempt failed, int maxAttempts, Duration delay) {
    }
}
