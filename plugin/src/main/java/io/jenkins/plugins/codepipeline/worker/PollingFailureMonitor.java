package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells administrators when a trigger has failed to poll for {@link #THRESHOLD} or more: "the CodePipeline trigger of
 * job X has failed to poll for 5 minutes: ...". Reads the last evaluation and the poll health, so it costs nothing
 * when the page is drawn.
 */
@Extension
public final class PollingFailureMonitor extends AdministrativeMonitor {
    static final Duration THRESHOLD = Duration.ofMinutes(5);

    @Override
    public String getDisplayName() {
        return Messages.PollingFailureMonitor_DisplayName();
    }

    @Override
    public boolean isActivated() {
        return !getFailures().isEmpty();
    }

    /**
     * The triggers that poll and whose polls have failed for the threshold or more. The time is measured up to the
     * last poll, not up to now: a key that is not polled (its triggers have no room for jobs) keeps its last failure,
     * but it does not grow while nothing is polled.
     */
    public List<Failure> getFailures() {
        List<Failure> failures = new ArrayList<>();
        ControllerPoller poller = ControllerPoller.get();
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().lastEvaluation()) {
            if (!evaluation.polls()) {
                continue;
            }
            PollHealth health = poller.health(evaluation.key());
            Duration failing = failingFor(health);
            if (failing != null && failing.compareTo(THRESHOLD) >= 0) {
                failures.add(new Failure(evaluation.job().getFullName(), evaluation.job().getUrl(), failing,
                        health.failure()));
            }
        }
        return failures;
    }

    /** How long polls failed, from the first failure of the run to the last poll; null while they succeed. */
    @CheckForNull
    static Duration failingFor(@CheckForNull PollHealth health) {
        if (health == null || !health.failing() || health.failingSince() == null || health.lastPoll() == null) {
            return null;
        }
        Duration failing = Duration.between(health.failingSince(), health.lastPoll());
        return failing.isNegative() ? Duration.ZERO : failing;
    }

    /** One failing trigger. */
    public static final class Failure {
        private final String jobFullName;
        private final String jobUrl;
        private final Duration duration;
        private final String message;

        Failure(String jobFullName, String jobUrl, Duration duration, String message) {
            this.jobFullName = jobFullName;
            this.jobUrl = jobUrl;
            this.duration = duration;
            this.message = message;
        }

        public String getJobFullName() {
            return jobFullName;
        }

        public String getJobUrl() {
            return jobUrl;
        }

        /** The sentence the monitor shows. */
        public String getText() {
            return Messages.PollingFailureMonitor_Failure(jobFullName, hudson.Util.getTimeSpanString(duration.toMillis()),
                    message);
        }
    }
}
