package io.jenkins.plugins.codepipeline.core;

import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;

/** Turns core's model into the SDK's request objects. Unset members stay unset, so they are not sent. */
final class SdkRequests {
    private SdkRequests() {
    }

    static PutJobSuccessResultRequest success(SuccessResult result) {
        PutJobSuccessResultRequest.Builder request = PutJobSuccessResultRequest.builder()
                .jobId(result.jobId())
                .continuationToken(result.continuationToken());
        CurrentRevision revision = result.currentRevision();
        if (revision != null) {
            request.currentRevision(r -> r.revision(revision.revision())
                    .changeIdentifier(revision.changeIdentifier())
                    .created(revision.created())
                    .revisionSummary(revision.revisionSummary()));
        }
        ExecutionDetails details = result.executionDetails();
        if (details != null && !details.isEmpty()) {
            request.executionDetails(d -> d.summary(details.summary())
                    .externalExecutionId(details.externalExecutionId())
                    .percentComplete(details.percentComplete()));
        }
        if (!result.outputVariables().isEmpty()) {
            request.outputVariables(result.outputVariables());
        }
        return request.build();
    }

    static PutJobFailureResultRequest failure(FailureResult result) {
        return PutJobFailureResultRequest.builder()
                .jobId(result.jobId())
                .failureDetails(f -> f.type(result.type().awsName())
                        .message(result.message())
                        .externalExecutionId(result.externalExecutionId()))
                .build();
    }
}
