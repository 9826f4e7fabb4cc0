package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.lang.management.ManagementFactory;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
        CodePipelineClientCache cache = new CodePipelineClientCache(http -> UrlConnectionHttpClient.builder()
                .connectionTimeout(http.connectTimeout())
                .socketTimeout(http.socketTimeout()));
        ReportOutcome outcome = new JobResultReporter(cache).report(
                SuccessResult.builder().jobId(args[1])
                        .outputVariable("commitId", "9fceb02d0ae598e95dc970b74767f19372d61af8")
                        .outputVariable("buildNumber", "1234")
                        .outputVariable("imageTag", "app-1.4.2-1234")
                        .build(),
                ConnectionSettings.builder().region("us-east-1").endpoint(URI.create(args[0])).build(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDJENKINSLAB", "labSecretKey")),
                null);

        long delivered = System.nanoTime();
        long deliveredWall = System.currentTimeMillis();
        // java.management is loaded only now, after the measured part; the VM recorded its start time at creation
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        if (outcome.status() != ReportOutcome.Status.DELIVERED) {
            System.err.println(outcome.message());
            System.exit(1);
        }
        System.out.println("RESULT mainToDeliveredNanos=" + (delivered - mainStarted)
                + " jvmStartToMainMs=" + (mainStartedWall - jvmStart)
                + " jvmStartToDeliveredMs=" + (deliveredWall - jvmStart)
                + " requestId=" + outcome.requestId());
        cache.close();
    }
}
