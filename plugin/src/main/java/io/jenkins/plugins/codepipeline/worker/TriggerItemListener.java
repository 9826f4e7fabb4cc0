package io.jenkins.plugins.codepipeline.worker;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.listeners.ItemListener;

/**
 * A deleted job stops polling at once ({@link hudson.triggers.Trigger#stop} is not called on delete); a renamed or
 * moved job keeps its polling page. What happens to the jobs in flight of a deleted or renamed job is the build
 * side's business.
 */
@Extension
public final class TriggerItemListener extends ItemListener {

    @Override
    public void onDeleted(Item item) {
        if (item instanceof Job<?, ?> job) {
            TriggerRegistry registry = TriggerRegistry.getOrNull();
            if (registry != null) {
                registry.unregisterJob(job);
            }
            ControllerPoller.get().deleted(job.getFullName());
        }
    }

    @Override
    public void onLocationChanged(Item item, String oldFullName, String newFullName) {
        if (item instanceof Job) {
            ControllerPoller.get().renamed(oldFullName, newFullName);
        }
        changed();
    }

    /** A job saved, disabled or enabled: pages evaluate the triggers again instead of showing the last evaluation. */
    @Override
    public void onUpdated(Item item) {
        changed();
    }

    private static void changed() {
        TriggerRegistry registry = TriggerRegistry.getOrNull();
        if (registry != null) {
            registry.changed();
        }
    }
}
