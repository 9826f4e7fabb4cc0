package io.jenkins.plugins.codepipeline.core.worker;

import java.time.Instant;
import java.util.List;

/**
 * One poll of one key. Holds no secret: no nonce, no artifact credentials, no secret configuration value.
 *
 * @param key          what was polled
 * @param at           when the poll started
 * @param acknowledged jobs acknowledged and handed on, in order
 * @param dropped      jobs received but not kept
 * @param left         ids of jobs received and left unacknowledged on purpose (no room for a new job, or a follow-up
 *                     job of another worker's token), in order; CodePipeline hands them out again
 * @param errorCode    AWS's error code of a failed poll ({@code AccessDeniedException}), or the client error's name;
 *                     null when the poll succeeded
 * @param errorMessage a line that says what failed and what to do; null when the poll succeeded. It names no
 *                     request id or timing, so that a repeated failure gives the same text
 */
public record PollOutcome(PollKey key, Instant at, List<ReceivedJob> acknowledged, List<DroppedJob> dropped,
        String errorCode, String errorMessage, List<String> left) {

    public PollOutcome {
        acknowledged = acknowledged == null ? List.of() : List.copyOf(acknowledged);
        dropped = dropped == null ? List.of() : List.copyOf(dropped);
        left = left == null ? List.of() : List.copyOf(left);
    }

    /** An outcome that left no job unacknowledged on purpose. */
    public PollOutcome(PollKey key, Instant at, List<ReceivedJob> acknowledged, List<DroppedJob> dropped,
            String errorCode, String errorMessage) {
        this(key, at, acknowledged, dropped, errorCode, errorMessage, List.of());
    }

    /** A poll that failed before any job was received. */
    public static PollOutcome failure(PollKey key, Instant at, String errorCode, String errorMessage) {
        return new PollOutcome(key, at, List.of(), List.of(), errorCode, errorMessage);
    }

    public boolean failed() {
        return errorMessage != null;
    }
}
