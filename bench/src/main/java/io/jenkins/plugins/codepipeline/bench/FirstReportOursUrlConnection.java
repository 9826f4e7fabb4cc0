package io.jenkins.plugins.codepipeline.bench;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Section 2, a start-up lever: {@link FirstReportOurs} with the SDK's url-connection-client instead of the Apache
 * client, through core's {@code HttpClientFactory}. The referee speaks plain HTTP, and HttpURLConnection sets up TLS
 * only for an https connection (the Apache client does it when built), so the default TLS context is initialised
 * here first, inside the measured part, as an https endpoint would need. Args: endpoint jobId.
 */
public final class FirstReportOursUrlConnection {
    public static void main(String[] args) throws Exception {
        long mainStarted = System.nanoTime();
        long mainStartedWall = System.currentTimeMillis();

        javax.net.ssl.HttpsURLConnection.getDefaultSSLSocketFactory(); // default SSLContext, trust store
        FirstReportOurs.reportAndPrint(args, http -> UrlConnectionHttpClient.builder()
                .connectionTimeout(http.connectTimeout())
                .socketTimeout(http.socketTimeout()), mainStarted, mainStartedWall);
    }
}
