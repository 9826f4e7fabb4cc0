package io.jenkins.plugins.codepipeline.core.worker;

/**
 * Takes each job a poll received, one job at a time, in this order: {@link #take} (whether to take it at all),
 * {@link #beforeAcknowledge} before
 * AcknowledgeJob is called, then either {@link #acknowledged} right after AcknowledgeJob answered InProgress (before
 * the next job is acknowledged), or {@link #notAcknowledged} when the job did not become this worker's. So a worker
 * can record a job durably before it is ours, and a crash right after the acknowledgement does not lose it.
 */
@FunctionalInterface
public interface AcknowledgedJobHandler {
    /**
     * Asked first, before {@link #beforeAcknowledge}: whether this worker takes the job at all. False leaves it
     * unacknowledged on purpose (no room for a new job, or a follow-up job another worker issued the token of): it is
     * not dropped as an error but listed in {@link PollOutcome#left()}, and CodePipeline hands it out again after its
     * dispatch timeout. Must not throw; by default every job is taken.
     */
    default boolean take(ReceivedJob job) {
        return true;
    }

    /**
     * Called before AcknowledgeJob, for example to record the job as pending. An exception keeps the job from being
     * acknowledged: it is dropped, and CodePipeline hands it out again after its dispatch timeout.
     */
    default void beforeAcknowledge(ReceivedJob job) {
    }

    /** The job is ours: AcknowledgeJob answered InProgress. */
    void acknowledged(ReceivedJob job);

    /**
     * The job {@linkplain #beforeAcknowledge prepared} is not ours: another worker has it (InvalidNonceException),
     * CodePipeline no longer knows it or says it is not InProgress, or AcknowledgeJob kept failing. Drop what
     * {@link #beforeAcknowledge} recorded. Must not throw.
     *
     * @param reason why, for a log
     */
    default void notAcknowledged(ReceivedJob job, String reason) {
    }
}
