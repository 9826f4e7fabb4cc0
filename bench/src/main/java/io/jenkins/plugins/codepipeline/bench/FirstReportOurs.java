package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.HttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.lang.management.ManagementFactory;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Section 2, ours: the first report of a fresh JVM through core (cache, client creation, reporter). Self-contained
 * so that nothing of the bare path is loaded. Args: endpoint jobId. Prints a RESULT line.
 */
public final class FirstReportOurs {
    public static void main(String[] args) throws Exception {
        long mainStarted = System.nanoTime();
        long mainStartedWall = System.currentTimeMillis();

        reportAndPrint(args, new ApacheHttpClientFactory(), mainStarted, mainStartedWall);
    }

    /** Sends one report through core with {@code http} and prints the RESULT line; shared with the other variant. */
    static void reportAndPrint(String[] args, HttpClientFactory http, long mainStarted, long mainStartedWall)
            throws Exception {
        CodePipelineClientCache cache = new CodePipelineClientCache(http);
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
