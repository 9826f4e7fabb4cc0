package io.jenkins.plugins.codepipeline.core;

import java.util.List;
import java.util.Objects;

/**
 * An HTTP proxy for the CodePipeline client. {@code nonProxyHosts} are regular expressions matched against the whole
 * lower-case host name, as the SDK's Apache client matches them (Jenkins' glob entries must be converted). The password takes part in equality (it is part of the client cache's
 * key) but never in {@link #toString()}.
 */
public record ProxySettings(String host, int port, String username, String password, List<String> nonProxyHosts) {

    public ProxySettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy host is missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port " + port + " is not in 1–65535");
        }
        nonProxyHosts = nonProxyHosts == null ? List.of() : List.copyOf(nonProxyHosts);
    }

    @Override
    public String toString() {
        return "ProxySettings[" + host + ":" + port + (username == null ? "" : ", user " + username)
                + (password == null ? "" : ", password set") + ", nonProxyHosts=" + nonProxyHosts + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxySettings p && port == p.port && host.equals(p.host)
                && Objects.equals(username, p.username) && Objects.equals(password, p.password)
                && nonProxyHosts.equals(p.nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, nonProxyHosts);
    }
}
