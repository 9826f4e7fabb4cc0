package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.HttpSettings;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactS3Clients;
import io.jenkins.plugins.codepipeline.core.artifacts.ArtifactStoreSettings;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the agent reaches S3, as it crosses the remoting channel: the region, the endpoint override and the HTTP
 * timeouts, as JDK types. Jenkins' proxy (with its password) is kept in a transient field: it applies when the
 * workspace is on the controller, where the callable runs without being serialized; an agent uses its own JVM's
 * proxy settings ({@code https.proxyHost}, {@code HTTPS_PROXY}), as the proxy configured in Jenkins is the
 * controller's.
 */
public final class S3Connection implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Tests only: interceptors added to the S3 clients of transfers that run in this JVM. */
    private static volatile List<ExecutionInterceptor> interceptorsForTests = List.of();

    final String region;
    @CheckForNull
    final String endpoint;
    final long connectTimeoutMillis;
    final long socketTimeoutMillis;
    /** Jenkins' proxy, for a workspace on the controller; never serialized. */
    @CheckForNull
    private final transient HttpSettings controllerHttp;

    S3Connection(ArtifactStoreSettings settings, @CheckForNull HttpSettings controllerHttp) {
        this.region = settings.region();
        this.endpoint = settings.endpoint() == null ? null : settings.endpoint().toString();
        this.connectTimeoutMillis = settings.http().connectTimeout().toMillis();
        this.socketTimeoutMillis = settings.http().socketTimeout().toMillis();
        this.controllerHttp = controllerHttp;
    }

    /** Where the callable runs. */
    ArtifactStoreSettings settings() {
        HttpSettings http = controllerHttp != null ? controllerHttp
                : new HttpSettings(Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(socketTimeoutMillis),
                        null);
        return new ArtifactStoreSettings(region, endpoint == null ? null : URI.create(endpoint), http);
    }

    /** One client per call; the caller closes it. */
    S3Client client(ArtifactStoreSettings settings) {
        return ArtifactS3Clients.build(settings, new ApacheHttpClientFactory(), interceptorsForTests);
    }

    /**
     * Tests only: adds {@code interceptors} to the S3 clients of the transfers that run in this JVM (a workspace on
     * the controller), for example one that answers ExpiredToken once. Empty to remove them.
     */
    public static void setInterceptorsForTests(List<ExecutionInterceptor> interceptors) {
        interceptorsForTests = interceptors == null ? List.of() : List.copyOf(interceptors);
    }

    @Override
    public String toString() {
        return "S3Connection[" + region + (endpoint == null ? "" : ", " + endpoint) + "]";
    }
}
