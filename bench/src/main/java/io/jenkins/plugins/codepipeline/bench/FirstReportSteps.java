package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.JobResultValidator;
import io.jenkins.plugins.codepipeline.core.SuccessResult;
import java.net.URI;

/**
 * Section 2, diagnosis: in a fresh JVM, the steps our path takes besides the SDK's own work, each timed alone in
 * the order the reporter and cache take them. Args: endpoint. Prints a RESULT line (nanoseconds).
 */
public final class FirstReportSteps {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        ConnectionSettings settings = ConnectionSettings.builder().region("us-east-1").endpoint(URI.create(args[0]))
                .build();
        long t1 = System.nanoTime();
        SuccessResult result = SuccessResult.builder().jobId("0a1b2c3d-1111-2222-3333-444455556666")
                .outputVariable("commitId", "9fceb02d0ae598e95dc970b74767f19372d61af8")
                .outputVariable("buildNumber", "1234")
                .outputVariable("imageTag", "app-1.4.2-1234")
                .build();
        JobResultValidator.requireValid(result);
        long t2 = System.nanoTime();
        boolean known = settings.regionWarning().isEmpty();
        long t3 = System.nanoTime();
        // what CodePipelineClientCache's LinkedHashMap does with its key: the records' generated hashCode/equals
        int hash = settings.hashCode();
        boolean same = settings.equals(settings.toBuilder().build());
        long t4 = System.nanoTime();
        System.out.println("RESULT settings=" + (t1 - t0) + " validate=" + (t2 - t1) + " regionWarning=" + (t3 - t2)
                + " recordHashEquals=" + (t4 - t3) + " check=" + (known && same ? hash != 0 : "bad"));
    }
}
