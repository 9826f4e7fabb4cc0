package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingSourcesTest {
    private static final Map<String, String> BOTH_REGIONS = Map.of("AWS_REGION", "eu-west-1",
            "AWS_DEFAULT_REGION", "eu-central-1");

    @Test
    void theArgumentWinsOverEverything() {
        assertEquals(new SettingSources.Setting("ap-south-1", "argument"),
                SettingSources.region(" ap-south-1 ", BOTH_REGIONS, "us-west-2"));
    }

    @Test
    void awsRegionComesBeforeAwsDefaultRegion() {
        assertEquals(new SettingSources.Setting("eu-west-1", "environment variable AWS_REGION"),
                SettingSources.region(null, BOTH_REGIONS, "us-west-2"));
        assertEquals(new SettingSources.Setting("eu-central-1", "environment variable AWS_DEFAULT_REGION"),
                SettingSources.region("", Map.of("AWS_REGION", " ", "AWS_DEFAULT_REGION", "eu-central-1"), null));
    }

    @Test
    void theGlobalConfigurationComesBeforeTheDefault() {
        assertEquals(new SettingSources.Setting("us-west-2", "global configuration"),
                SettingSources.region(null, Map.of(), "us-west-2"));
        assertEquals(new SettingSources.Setting("us-east-1", "default"), SettingSources.region(null, null, " "));
    }

    @Test
    void theServiceSpecificEndpointVariableComesFirst() {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://all", "AWS_ENDPOINT_URL_CODEPIPELINE",
                "http://codepipeline");
        assertEquals("http://codepipeline", SettingSources.endpoint(null, env, "http://global").value());
        assertEquals("http://all", SettingSources.endpoint(null, Map.of("AWS_ENDPOINT_URL", "http://all"), null).value());
        assertFalse(SettingSources.endpoint(null, Map.of(), null).isSet());
    }

    @Test
    void theJobIdComesFromTheArgumentOrTheBuildParameter() {
        assertEquals(new SettingSources.Setting("a", "argument"),
                SettingSources.jobId("a", Map.of("CODEPIPELINE_JOB_ID", "b")));
        assertEquals(new SettingSources.Setting("b", "environment variable CODEPIPELINE_JOB_ID"),
                SettingSources.jobId(null, Map.of("CODEPIPELINE_JOB_ID", "b")));
        assertFalse(SettingSources.jobId(null, Map.of()).isSet());
    }
}
