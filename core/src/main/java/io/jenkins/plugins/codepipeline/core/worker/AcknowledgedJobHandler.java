package io.jenkins.plugins.codepipeline.core.worker;

/**
 * Takes each job right after AcknowledgeJob answered InProgress, before the next job is acknowledged, so that a
 * job is recorded as soon as it is ours.
 */
@FunctionalInterface
public interface AcknowledgedJobHandler {
    void acknowledged(ReceivedJob job);
}
