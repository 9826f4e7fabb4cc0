package io.jenkins.plugins.codepipeline.core;

/** A result for one CodePipeline job: a {@link SuccessResult} or a {@link FailureResult}. */
public sealed interface JobResult permits SuccessResult, FailureResult {

    /** The job's id, a lower-case UUID. */
    String jobId();

    /** The API operation this result is sent with. */
    String operationName();
}
