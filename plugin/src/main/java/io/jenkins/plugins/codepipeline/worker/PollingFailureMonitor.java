package io.jenkins.plugins.codepipeline.worker;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import java.time.Duration;
import java.time.Instant;
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

    /** The triggers that poll and have failed for the threshold or more. */
    public List<Failure> getFailures() {
        List<Failure> failures = new ArrayList<>();
        Instant limit = Instant.now().minus(THRESHOLD);
        ControllerPoller poller = ControllerPoller.get();
        for (TriggerRegistry.Evaluation evaluation : TriggerRegistry.get().lastEvaluation()) {
            if (!evaluation.polls()) {
                continue;
            }
            PollHealth health = poller.health(evaluation.key());
            if (health != null && health.failing() && health.failingSince() != null
                    && !health.failingSince().isAfter(limit)) {
                failures.add(new Failure(evaluation.job().getFullName(), evaluation.job().getUrl(),
                        Duration.between(health.failingSince(), Instant.now()), health.failure()));
            }
        }
        return failures;
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
