package io.jenkins.plugins.codepipeline.worker.build;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.listeners.ItemListener;
import io.jenkins.plugins.codepipeline.core.FailureType;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the record of jobs in flight in step with the Jenkins jobs: a deleted job's (or folder's) jobs in flight are
 * failed at once with {@code ConfigurationError} ({@code Trigger.stop()} is not called on delete), a renamed or moved
 * job's jobs follow it, and after Jenkins has loaded its jobs and restored its queue the record is resumed
 * ({@link StartupRecovery}).
 */
@Extension
public final class CodePipelineJobItemListener extends ItemListener {
    private static final Logger LOGGER = Logger.getLogger(CodePipelineJobItemListener.class.getName());

    @Override
    public void onDeleted(Item item) {
        try {
            InFlightJobs.get().failOwnedBy(item.getFullName(), item instanceof ItemGroup, item,
                    FailureType.CONFIGURATION_ERROR, Messages.Deleted(item.getFullName()));
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not fail the CodePipeline jobs of deleted " + item.getFullName(), e);
        }
    }

    @Override
    public void onLocationChanged(Item item, String oldFullName, String newFullName) {
        try {
            InFlightJobs.get().moved(oldFullName, newFullName);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not move the CodePipeline jobs of " + oldFullName + " to " + newFullName,
                    e);
        }
    }

    /**
     * Jenkins begins to stop (called before the terminators, which close the SDK clients): the automatic reports stop,
     * and what they had not delivered is sent after the restart.
     */
    @Override
    public void onBeforeShutdown() {
        AutomaticReport.shutDownPool();
    }

    /** Called after all items are loaded and the queue restored (queue.xml is loaded at JOB_CONFIG_ADAPTED). */
    @Override
    public void onLoaded() {
        try {
            StartupRecovery.start();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not resume the CodePipeline jobs in flight", e);
        }
    }
}
