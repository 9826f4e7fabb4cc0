package io.jenkins.plugins.codepipeline.worker.build;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a CodePipeline job's result is sent: the region and endpoint the job was polled in, and the id of the
 * credentials that polled it. Persisted with the build and in the record of jobs in flight; holds no secret, only
 * the credentials' id.
 */
public final class JobConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String endpointUrl;
    private final String credentialsId;

    /**
     * @param region        the region the job was polled in
     * @param endpointUrl   the endpoint it was polled at, or null for the region's AWS endpoint
     * @param credentialsId the credentials that polled it, or null for the global default credentials
     */
    public JobConnection(@NonNull String region, @CheckForNull String endpointUrl, @CheckForNull String credentialsId) {
        String r = Util.fixEmptyAndTrim(region);
        if (r == null) {
            throw new IllegalArgumentException("region is missing: a job's result goes to the region it was polled in");
        }
        this.region = r;
        this.endpointUrl = Util.fixEmptyAndTrim(endpointUrl);
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @NonNull
    public String getRegion() {
        return region;
    }

    @CheckForNull
    public String getEndpointUrl() {
        return endpointUrl;
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobConnection c && region.equals(c.region) && Objects.equals(endpointUrl, c.endpointUrl)
                && Objects.equals(credentialsId, c.credentialsId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, endpointUrl, credentialsId);
    }

    @Override
    public String toString() {
        return region + (endpointUrl == null ? "" : " at " + endpointUrl)
                + (credentialsId == null ? " with the default credentials" : " with credentials '" + credentialsId + "'");
    }
}
