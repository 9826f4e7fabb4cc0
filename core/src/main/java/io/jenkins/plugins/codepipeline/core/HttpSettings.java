package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP client is built with. {@code proxy} null means the HTTP client's own defaults
 * (for the Apache client: the JVM's proxy system properties and the HTTPS_PROXY environment variable).
 */
public record HttpSettings(Duration connectTimeout, Duration socketTimeout, ProxySettings proxy) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
    }

    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT, null);
    }

    public HttpSettings withProxy(ProxySettings proxy) {
        return new HttpSettings(connectTimeout, socketTimeout, proxy);
    }

    // Written out for the same reason as ConnectionSettings': no method-handle bootstrap on first use.
    @Override
    public boolean equals(Object other) {
        return other instanceof HttpSettings h && connectTimeout.equals(h.connectTimeout)
                && socketTimeout.equals(h.socketTimeout) && Objects.equals(proxy, h.proxy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectTimeout, socketTimeout, proxy);
    }
}
