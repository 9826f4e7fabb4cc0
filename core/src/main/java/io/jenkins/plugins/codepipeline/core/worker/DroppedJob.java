package io.jenkins.plugins.codepipeline.core.worker;

import java.io.Serializable;

/**
 * A job a poll received but did not keep: another worker has it, it is no longer open, or it could not be
 * acknowledged (CodePipeline then hands it out again after its dispatch timeout).
 *
 * @param jobId  the job's id
 * @param reason one line, without any secret
 */
public record DroppedJob(String jobId, String reason) implements Serializable {
}
