package io.jenkins.plugins.codepipeline.core;

import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Makes the HTTP client builder for one cached CodePipeline client. Core does not choose an HTTP client:
 * the CLI and the Jenkins plugin use {@link ApacheHttpClientFactory}, tests may use another.
 * The SDK client that receives the builder owns, and closes, the HTTP client built from it.
 */
@FunctionalInterface
public interface HttpClientFactory {
    SdkHttpClient.Builder<?> builder(HttpSettings settings);
}
