package io.jenkins.plugins.codepipeline.worker.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Small decisions that need no Jenkins: the console of a region's partition, the waits between retries. */
class ConsoleAndRetryTest {
    @Test
    void eachPartitionHasItsConsole() {
        assertEquals("https://eu-west-1.console.aws.amazon.com", CodePipelineJobAction.consoleRoot("eu-west-1"));
        assertEquals("https://console.amazonaws-us-gov.com", CodePipelineJobAction.consoleRoot("us-gov-west-1"));
        assertEquals("https://console.amazonaws.cn", CodePipelineJobAction.consoleRoot("cn-north-1"));
    }

    @Test
    void theWaitsDoubleUpToTheLimit() {
        long initial = AutomaticReport.retryInitialMillis;
        long max = AutomaticReport.retryMaxDelayMillis;
        try {
            AutomaticReport.retryInitialMillis = 15_000;
            AutomaticReport.retryMaxDelayMillis = 300_000;
            assertEquals(15_000, AutomaticReport.retryDelay(1));
            assertEquals(30_000, AutomaticReport.retryDelay(2));
            assertEquals(60_000, AutomaticReport.retryDelay(3));
            assertEquals(240_000, AutomaticReport.retryDelay(5));
            assertEquals(300_000, AutomaticReport.retryDelay(6));
            assertEquals(300_000, AutomaticReport.retryDelay(40));
        } finally {
            AutomaticReport.retryInitialMillis = initial;
            AutomaticReport.retryMaxDelayMillis = max;
        }
    }
}
