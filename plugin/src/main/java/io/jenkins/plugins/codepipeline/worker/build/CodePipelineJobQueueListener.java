package io.jenkins.plugins.codepipeline.worker.build;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.queue.QueueListener;
import io.jenkins.plugins.codepipeline.core.FailureType;
import jenkins.model.ParameterizedJobMixIn;
import jenkins.model.queue.ItemDeletion;

/**
 * A CodePipeline job's queue item cancelled before its build started (by a user, by disabling or deleting the job)
 * gets a failure that says so. Queue listeners are called with the queue's lock held: the result is sent in the
 * background.
 */
@Extension
public final class CodePipelineJobQueueListener extends QueueListener {
    @Override
    public void onLeft(Queue.LeftItem li) {
        if (!li.isCancelled()) {
            return;
        }
        CodePipelineJobAction action = li.getAction(CodePipelineJobAction.class);
        if (action == null) {
            return;
        }
        Job<?, ?> job = li.task instanceof Job<?, ?> j ? j : null;
        String name = job == null ? li.task.getFullDisplayName() : job.getFullName();
        FailureType type = FailureType.JOB_FAILED;
        String message;
        if (job != null && ItemDeletion.contains(job)) {
            type = FailureType.CONFIGURATION_ERROR;
            message = Messages.Deleted(name);
        } else if (job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> p && p.isDisabled()) {
            type = FailureType.CONFIGURATION_ERROR;
            message = Messages.QueueListener_Disabled(name);
        } else {
            message = Messages.QueueListener_Cancelled(name);
        }
        InFlightJobs inFlight = InFlightJobs.get();
        Item context = job;
        FailureType failureType = type;
        // Even the claim (a write of the record) is done off the queue's lock.
        AutomaticReport.submit(() -> {
            if (inFlight.claim(action.getJobId(), false)) {
                AutomaticReport.failClaimed(inFlight, action.getJobId(), action.getConnection(), context, failureType,
                        message, false, false);
            }
        });
    }
}
