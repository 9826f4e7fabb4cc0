package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.worker.PollLog;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/** The worker's log: one line per event on stderr, each starting with the time (UTC, seconds). */
final class WorkerLog implements PollLog {
    private final PrintWriter err;
    private final Clock clock;

    WorkerLog(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public void info(String line) {
        print("", line);
    }

    @Override
    public void warning(String line) {
        print("WARNING: ", line);
    }

    private void print(String level, String line) {
        err.println(clock.instant().truncatedTo(ChronoUnit.SECONDS) + " " + level + line);
        err.flush();
    }
}
