package io.jenkins.plugins.codepipeline.worker;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.codepipeline.core.worker.DroppedJob;
import io.jenkins.plugins.codepipeline.core.worker.PollHealth;
import io.jenkins.plugins.codepipeline.core.worker.PollKey;
import io.jenkins.plugins.codepipeline.core.worker.PollOutcome;
import io.jenkins.plugins.codepipeline.core.worker.ReceivedJob;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * What the polling page of one Jenkins job shows: the last poll, the jobs received (and the builds they started, once
 * known), and a short polling log. Kept in memory, by the job's full name, so that it outlives the trigger instances a
 * Jenkinsfile replaces on each run. Never holds a secret: {@link ReceivedJob} holds none.
 */
final class JobPollingStatus {
    static final int MAX_EVENTS = 50;
    static final int MAX_RECEIVED = 20;

    private final Deque<Event> events = new ArrayDeque<>();
    private final Deque<Received> received = new ArrayDeque<>();
    private PollKey key;
    private PollOutcome lastOutcome;
    private PollHealth lastHealth;
    private String lastFailure;

    /**
     * One line of the polling log. Public (with public getters) because the polling page reads it from Jelly: the
     * Jelly expression language only calls methods of public classes.
     */
    public record Event(Instant at, boolean warning, String text) {
        public Instant getAt() {
            return at;
        }

        public boolean isWarning() {
            return warning;
        }

        public String getText() {
            return text;
        }
    }

    /** A job received for this Jenkins job; the build number once the build started (0 before). */
    static final class Received {
        private final String jobId;
        private final String description;
        private final Instant at;
        private final boolean followUp;
        private volatile int buildNumber;
        private volatile String state;
        /** A result was sent (or could not be): the state no longer follows the record of jobs in flight. */
        private volatile boolean settled;
        private boolean lookedUp;

        Received(ReceivedJob job, Instant at) {
            this.jobId = job.jobId();
            this.description = job.pipeline().describe();
            this.at = at;
            this.followUp = job.isFollowUp();
            this.state = "ACKNOWLEDGED";
        }

        public String getJobId() {
            return jobId;
        }

        public String getDescription() {
            return description;
        }

        public Instant getAt() {
            return at;
        }

        public boolean isFollowUp() {
            return followUp;
        }

        public int getBuildNumber() {
            return buildNumber;
        }

        public String getState() {
            return state;
        }

        boolean isSettled() {
            return settled;
        }

        /** True the first time only: a job no longer in flight has its build looked up once. */
        synchronized boolean lookUpOnce() {
            if (lookedUp) {
                return false;
            }
            lookedUp = true;
            return true;
        }

        void update(int number, String newState) {
            if (number > 0) {
                buildNumber = number;
            }
            if (newState != null) {
                state = newState;
            }
        }
    }

    /** A job was acknowledged: listed at once, before its build is scheduled, so that its result finds it. */
    synchronized void received(ReceivedJob job, Instant at) {
        received.addFirst(new Received(job, at));
        while (received.size() > MAX_RECEIVED) {
            received.removeLast();
        }
    }

    /**
     * The build side took the job. {@code queueId} is the queue item that builds it, as scheduling answered: above 0
     * when queued; 0 when the build could not be queued (the job is being answered without a build, and
     * {@link #reported} or {@link #undelivered} follows).
     */
    synchronized void scheduled(ReceivedJob job, Instant at, long queueId) {
        String what = "Received job " + job.jobId() + " (" + job.pipeline().describe() + ")"
                + (job.isFollowUp() ? ", a follow-up job" : "");
        if (queueId > 0) {
            event(at, false, what + "; its build is queued (queue item " + queueId + ").");
        } else {
            for (Received r : received) {
                if (r.getJobId().equals(job.jobId()) && !r.isSettled()) {
                    r.update(0, "NOT SCHEDULED");
                }
            }
            event(at, true, what + ", but its build could not be scheduled; the job is failed (ConfigurationError).");
        }
    }

    synchronized void notScheduled(ReceivedJob job, Instant at, String message) {
        event(at, true, "Job " + job.jobId() + " was acknowledged, but its build could not be scheduled: " + message);
    }

    /** A result the worker sent by itself was delivered ({@code result}: success or failure). */
    synchronized void reported(String jobId, Instant at, String result, @CheckForNull String detail) {
        markResult(jobId, "REPORTED " + result.toUpperCase(java.util.Locale.ROOT));
        event(at, false, "Reported " + result + " for job " + jobId + (detail == null ? "." : ": " + detail));
    }

    /** A result the worker sent by itself could not be delivered. */
    synchronized void undelivered(String jobId, Instant at, String problem) {
        markResult(jobId, "UNDELIVERED");
        event(at, true, "The result of job " + jobId + " could not be delivered: " + problem);
    }

    private void markResult(String jobId, String state) {
        for (Received r : received) {
            if (r.getJobId().equals(jobId)) {
                r.update(0, state);
                r.settled = true;
            }
        }
    }

    /** After each poll of the job's key: the outcome, and a log line when the failure starts, changes or ends. */
    synchronized void polled(PollOutcome outcome, PollHealth health) {
        key = outcome.key();
        lastOutcome = outcome;
        lastHealth = health;
        if (outcome.failed()) {
            if (!Objects.equals(lastFailure, outcome.errorMessage())) {
                event(outcome.at(), true, "Poll failed: " + outcome.errorMessage());
            }
            lastFailure = outcome.errorMessage();
        } else if (lastFailure != null) {
            event(outcome.at(), false, "Polling works again.");
            lastFailure = null;
        }
        for (DroppedJob dropped : outcome.dropped()) {
            event(outcome.at(), false, "Dropped job " + dropped.jobId() + ": " + dropped.reason());
        }
    }

    synchronized void note(Instant at, boolean warning, String text) {
        event(at, warning, text);
    }

    private void event(Instant at, boolean warning, String text) {
        events.addFirst(new Event(at, warning, text));
        while (events.size() > MAX_EVENTS) {
            events.removeLast();
        }
    }

    synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    synchronized List<Received> receivedJobs() {
        return new ArrayList<>(received);
    }

    @CheckForNull
    synchronized PollOutcome lastOutcome() {
        return lastOutcome;
    }

    @CheckForNull
    synchronized PollHealth lastHealth() {
        return lastHealth;
    }

    @CheckForNull
    synchronized PollKey key() {
        return key;
    }
}
