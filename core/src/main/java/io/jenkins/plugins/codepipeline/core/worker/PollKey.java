package io.jenkins.plugins.codepipeline.core.worker;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import java.util.Objects;

/**
 * What one PollForJobs call is made for. Subscribers with equal keys share one call. It holds no secret:
 * {@code credentialsKey} is an opaque id of the credentials (for example {@code folder/x::cp-worker}), never the
 * credentials themselves.
 *
 * @param settings       region, endpoint and HTTP settings
 * @param credentialsKey which credentials; null for the default ones
 * @param actionType     the custom action type
 * @param query          which of its jobs; null for every job
 */
public record PollKey(ConnectionSettings settings, String credentialsKey, ActionTypeId actionType, JobQuery query) {

    public PollKey {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(actionType, "actionType");
        query = query == null ? JobQuery.all() : query;
    }

    /** {@code Build/Custom/Jenkins/1 ProjectName=app in eu-west-1}. */
    public String describe() {
        return actionType.describe() + " " + query.describe() + " in " + settings.region();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PollKey k && actionType.equals(k.actionType) && query.equals(k.query)
                && Objects.equals(credentialsKey, k.credentialsKey) && settings.equals(k.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settings, credentialsKey, actionType, query);
    }

    @Override
    public String toString() {
        return describe() + (credentialsKey == null ? "" : " with " + credentialsKey)
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
    }
}
