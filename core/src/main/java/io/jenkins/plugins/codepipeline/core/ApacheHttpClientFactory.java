package io.jenkins.plugins.codepipeline.core;

import java.net.URI;
import java.util.HashSet;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;

/**
 * The SDK's Apache HTTP client, which the CLI ships and the Jenkins plugin takes from aws-java-sdk2-core.
 * Core declares apache-client optional: only callers that use this class need it.
 */
public final class ApacheHttpClientFactory implements HttpClientFactory {

    @Override
    public SdkHttpClient.Builder<?> builder(HttpSettings settings) {
        ApacheHttpClient.Builder builder = ApacheHttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.socketTimeout());
        ProxySettings proxy = settings.proxy();
        if (proxy != null) {
            builder.proxyConfiguration(ProxyConfiguration.builder()
                    .endpoint(URI.create("http://" + proxy.host() + ":" + proxy.port()))
                    .username(proxy.username())
                    .password(proxy.password())
                    .nonProxyHosts(new HashSet<>(proxy.nonProxyHosts()))
                    // An explicit proxy replaces the JVM's and the environment's.
                    .useSystemPropertyValues(false)
                    .useEnvironmentVariableValues(false)
                    .build());
        }
        return builder;
    }
}
