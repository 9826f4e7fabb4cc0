package io.jenkins.plugins.codepipeline.worker.build;

import hudson.Extension;
import hudson.model.PeriodicWork;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import java.util.concurrent.atomic.AtomicBoolean;
import jenkins.model.Jenkins;

/**
 * Every minute, looks at the jobs that stayed in the record of jobs in flight longer than two poll intervals and a
 * minute, and that nobody is answering, as the startup recovery does ({@link StartupRecovery}): a queue item that
 * left the queue without a build and without being cancelled (an executor's node went away, the build could not be
 * created) is queued again, a job with neither a queue item nor a build is failed, a result whose sending stopped
 * unexpectedly is sent, an entry whose removal failed is removed. Without it, such an entry would keep its trigger's
 * room until a restart. The work runs on the background pool of {@link AutomaticReport}, one sweep at a time, and
 * only once the startup recovery is done.
 */
@Extension
public final class InFlightSweep extends PeriodicWork {
    static final long PERIOD_MILLIS = 60_000;

    private final AtomicBoolean running = new AtomicBoolean();

    @Override
    public long getRecurrencePeriod() {
        return PERIOD_MILLIS;
    }

    @Override
    public long getInitialDelay() {
        return PERIOD_MILLIS;
    }

    /** How long a job stays in the record before the sweep looks at it: two poll intervals and a minute. */
    static long minimumAgeMillis() {
        return 2L * CodePipelineJobWorkerConfiguration.get().getPollIntervalSeconds() * 1000L + 60_000L;
    }

    @Override
    protected void doRun() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || jenkins.isTerminating()) {
            return;
        }
        InFlightJobs inFlight = InFlightJobs.get();
        if (!inFlight.startupRecovery().isDone() || !running.compareAndSet(false, true)) {
            return;
        }
        long age = minimumAgeMillis();
        if (!AutomaticReport.submit(() -> {
            try {
                StartupRecovery.sweep(inFlight, age);
            } finally {
                running.set(false);
            }
        })) {
            running.set(false);
        }
    }
}
