package io.jenkins.plugins.codepipeline.impl;

import hudson.ProxyConfiguration;
import hudson.Util;
import hudson.init.Terminator;
import hudson.util.Secret;
import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.HttpSettings;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ProxySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;

/**
 * The controller's one reporter and client cache: one SDK client per connection settings, shared by every build.
 * Closed when Jenkins stops; made again on the next use (tests start several Jenkins in one JVM).
 */
public final class SharedReporter {
    private static CodePipelineClientCache clients;
    private static JobResultReporter reporter;

    private SharedReporter() {
    }

    public static synchronized JobResultReporter reporter() {
        if (reporter == null) {
            clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
            reporter = new JobResultReporter(clients);
        }
        return reporter;
    }

    /** The controller's client cache, shared by the reports and the trigger's poller. */
    public static synchronized CodePipelineClientCache clients() {
        reporter();
        return clients;
    }

    @Terminator
    public static synchronized void closeClients() {
        if (clients != null) {
            clients.close();
            clients = null;
            reporter = null;
        }
    }

    /** HTTP settings with Jenkins' proxy (Manage Jenkins » Plugins » Advanced), when one is configured. */
    public static HttpSettings httpSettings() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        ProxyConfiguration proxy = jenkins == null ? null : jenkins.getProxy();
        if (proxy == null || Util.fixEmptyAndTrim(proxy.getName()) == null) {
            return HttpSettings.defaults();
        }
        String password = proxy.getSecretPassword() == null ? null : Util.fixEmpty(Secret.toString(proxy.getSecretPassword()));
        // Jenkins' no-proxy entries are globs; the SDK's Apache client matches regular expressions against the
        // lower-case host, so hand it the patterns Jenkins itself builds from them.
        List<String> noProxyHosts = new ArrayList<>();
        for (Pattern pattern : ProxyConfiguration.getNoProxyHostPatterns(proxy.getNoProxyHost())) {
            noProxyHosts.add(pattern.pattern());
        }
        return HttpSettings.defaults().withProxy(new ProxySettings(proxy.getName().trim(), proxy.getPort(),
                Util.fixEmptyAndTrim(proxy.getUserName()), password, noProxyHosts));
    }
}
