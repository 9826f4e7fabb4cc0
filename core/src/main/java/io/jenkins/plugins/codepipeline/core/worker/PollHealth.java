package io.jenkins.plugins.codepipeline.core.worker;

import java.time.Instant;

/**
 * Health of one poll key across polls, for the job page, the administrative monitor and the command line.
 *
 * @param key                 what is polled
 * @param lastPoll            when the last poll started
 * @param lastOutcome         the last poll's outcome
 * @param failingSince        when the current run of failures began; null while polls succeed
 * @param failure             the current failure's message; null while polls succeed
 * @param consecutiveFailures failed polls in a row, 0 after a success
 * @param jobsReceived        jobs acknowledged for this key since the poller started
 */
public record PollHealth(PollKey key, Instant lastPoll, PollOutcome lastOutcome, Instant failingSince,
        String failure, int consecutiveFailures, long jobsReceived) {

    public boolean failing() {
        return failure != null;
    }

    /** The health after {@code outcome}; {@code previous} may be null for the key's first poll. */
    static PollHealth next(PollHealth previous, PollOutcome outcome) {
        long received = (previous == null ? 0 : previous.jobsReceived) + outcome.acknowledged().size();
        if (!outcome.failed()) {
            return new PollHealth(outcome.key(), outcome.at(), outcome, null, null, 0, received);
        }
        boolean wasFailing = previous != null && previous.failing();
        return new PollHealth(outcome.key(), outcome.at(), outcome, wasFailing ? previous.failingSince : outcome.at(),
                outcome.errorMessage(), wasFailing ? previous.consecutiveFailures + 1 : 1, received);
    }
}
