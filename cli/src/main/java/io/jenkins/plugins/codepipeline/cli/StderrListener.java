package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.Attempt;
import io.jenkins.plugins.codepipeline.core.ReportListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** Prints a report's retries and warnings, one line each, on stderr. */
final class StderrListener implements ReportListener {
    private final PrintWriter err;

    StderrListener(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void warning(String message) {
        err.println("Warning: " + message);
        err.flush();
    }

    @Override
    public void retrying(Attempt failed, int maxAttempts, Duration delay) {
        err.println(retryLine(failed, maxAttempts, delay));
        err.flush();
    }

    /** {@code Attempt 1 of 5 failed (ThrottlingException: Rate exceeded); retrying in 0.4 s} */
    static String retryLine(Attempt failed, int maxAttempts, Duration delay) {
        StringBuilder line = new StringBuilder("Attempt ").append(failed.number()).append(" of ").append(maxAttempts);
        if (failed.answered()) {
            line.append(" failed (").append(failed.errorCode()).append(": ").append(failed.detail());
            if (failed.requestId() != null) {
                line.append("; AWS request id ").append(failed.requestId());
            }
        } else {
            line.append(" got no answer (").append(failed.detail());
        }
        line.append("); retrying in ").append(String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0))
                .append(" s");
        return line.toString();
    }
}
