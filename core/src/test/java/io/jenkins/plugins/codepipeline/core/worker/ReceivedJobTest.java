package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.ActionOwner;
import software.amazon.awssdk.services.codepipeline.model.Artifact;
import software.amazon.awssdk.services.codepipeline.model.ArtifactLocationType;
import software.amazon.awssdk.services.codepipeline.model.Job;

/** ReceivedJob.from and the CODEPIPELINE_* environment made from it. */
class ReceivedJobTest {
    static final String JOB_ID = "0a1b2c3d-1111-2222-3333-444455556666";

    static Job sdkJob(Map<String, String> configuration, String continuationToken) {
        return Job.builder().id(JOB_ID).nonce("nonce-123").accountId("123456789012")
                .data(d -> d.actionTypeId(t -> t.category("Build").owner(ActionOwner.CUSTOM).provider("Jenkins")
                                .version("1"))
                        .actionConfiguration(c -> c.configuration(configuration))
                        .pipelineContext(p -> p.pipelineName("demo").pipelineArn("arn:aws:codepipeline:eu-west-1:"
                                        + "123456789012:demo").pipelineExecutionId("exec-1")
                                .stage(s -> s.name("Build")).action(a -> a.name("Jenkins").actionExecutionId("act-1")))
                        .inputArtifacts(artifact("Source", "abc123"), artifact("my-lib", "v2"),
                                artifact("NoRevision", null))
                        .outputArtifacts(artifact("Out", null))
                        .artifactCredentials(AWSSessionCredentials.builder().accessKeyId("ASIAARTIFACT")
                                .secretAccessKey("artifactSecret").sessionToken("artifactToken").build())
                        .continuationToken(continuationToken))
                .build();
    }

    private static Artifact artifact(String name, String revision) {
        return Artifact.builder().name(name).revision(revision)
                .location(l -> l.type(ArtifactLocationType.S3).s3Location(s -> s.bucketName("bucket")
                        .objectKey("demo/" + name + "/key.zip")))
                .build();
    }

    private static Map<String, String> configuration() {
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("ProjectName", "app");
        configuration.put("ApiToken", "s3cr3t-value");
        configuration.put("build.target", "release");
        configuration.put("Mode-Fast", "yes");
        return configuration;
    }

    @Test
    void keepsOnlyThePropertiesTheCatalogSaysAreNotSecret() {
        ReceivedJob job = ReceivedJob.from(sdkJob(configuration(), null), "eu-west-1", Set.of("ApiToken"));

        assertTrue(job.configurationKnown());
        assertEquals(Map.of("ProjectName", "app", "build.target", "release", "Mode-Fast", "yes"),
                job.configuration());
        assertEquals(new ActionTypeId("Build", "Jenkins", "1"), job.actionType());
        assertEquals("eu-west-1", job.region());
        assertEquals("123456789012", job.accountId());
        assertEquals(new PipelineContext("demo", "arn:aws:codepipeline:eu-west-1:123456789012:demo", "exec-1", "Build",
                "Jenkins", "act-1"), job.pipeline());
        assertEquals(List.of(new JobArtifact("Source", "abc123", "bucket", "demo/Source/key.zip"),
                new JobArtifact("my-lib", "v2", "bucket", "demo/my-lib/key.zip"),
                new JobArtifact("NoRevision", null, "bucket", "demo/NoRevision/key.zip")), job.inputArtifacts());
        assertEquals(List.of(new JobArtifact("Out", null, "bucket", "demo/Out/key.zip")), job.outputArtifacts());
        assertFalse(job.isFollowUp());
        assertNoSecret(job.toString());
    }

    /** An allow-list: a property the listing does not name, or names without secret: false, is not kept. */
    @Test
    void keepsOnlyThePropertiesListedAsNotSecret() {
        Map<String, Boolean> listed = new LinkedHashMap<>();
        listed.put("ProjectName", false);
        listed.put("ApiToken", true);
        listed.put("Mode-Fast", null);
        ActionTypeCatalog.PropertyFlags flags = ActionTypeCatalog.PropertyFlags.of(listed);
        assertEquals(Set.of("ApiToken", "Mode-Fast"), flags, "as a set: the secret names");

        ReceivedJob job = ReceivedJob.from(sdkJob(configuration(), null), "eu-west-1", flags);

        assertTrue(job.configurationKnown());
        assertEquals(Map.of("ProjectName", "app"), job.configuration(), "build.target is not listed, so not kept");
        assertNoSecret(job.toString());
    }

    @Test
    void keepsNoConfigurationWhenTheSecretFlagsAreUnknown() {
        ReceivedJob job = ReceivedJob.from(sdkJob(configuration(), null), "eu-west-1", null);
        assertFalse(job.configurationKnown());
        assertEquals(Map.of(), job.configuration());
        assertNoSecret(job.toString());
        assertTrue(JobEnvironment.variables(job).keySet().stream()
                .noneMatch(name -> name.startsWith(JobEnvironment.CONFIG_PREFIX)));
    }

    @Test
    void aJobWithoutAnIdIsRefused() {
        Job noId = sdkJob(Map.of(), null).toBuilder().id(null).build();
        assertThrows(IllegalArgumentException.class, () -> ReceivedJob.from(noId, "eu-west-1", Set.of()));
    }

    @Test
    void environmentNamesEveryPartOfTheJob() {
        ReceivedJob job = ReceivedJob.from(sdkJob(configuration(), "token-7"), "eu-west-1", Set.of("ApiToken"));
        Map<String, String> env = JobEnvironment.variables(job);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CODEPIPELINE_JOB_ID", JOB_ID);
        expected.put("CODEPIPELINE_REGION", "eu-west-1");
        expected.put("CODEPIPELINE_ACCOUNT_ID", "123456789012");
        expected.put("CODEPIPELINE_PIPELINE_NAME", "demo");
        expected.put("CODEPIPELINE_PIPELINE_EXECUTION_ID", "exec-1");
        expected.put("CODEPIPELINE_PIPELINE_ARN", "arn:aws:codepipeline:eu-west-1:123456789012:demo");
        expected.put("CODEPIPELINE_STAGE_NAME", "Build");
        expected.put("CODEPIPELINE_ACTION_NAME", "Jenkins");
        expected.put("CODEPIPELINE_ACTION_EXECUTION_ID", "act-1");
        expected.put("CODEPIPELINE_CONTINUATION_TOKEN", "token-7");
        expected.put("CODEPIPELINE_CONFIG_Mode_Fast", "yes");
        expected.put("CODEPIPELINE_CONFIG_ProjectName", "app");
        expected.put("CODEPIPELINE_CONFIG_build_target", "release");
        expected.put("CODEPIPELINE_INPUT_ARTIFACTS", "Source,my-lib,NoRevision");
        expected.put("CODEPIPELINE_OUTPUT_ARTIFACTS", "Out");
        expected.put("CODEPIPELINE_INPUT_REVISION_Source", "abc123");
        expected.put("CODEPIPELINE_INPUT_REVISION_my_lib", "v2");
        assertEquals(expected, env);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(env.keySet()), "a stable order");
        assertTrue(job.isFollowUp());
        assertNoSecret(env.toString());
    }

    @Test
    void variablesWithoutValueAreLeftOut() {
        ReceivedJob bare = new ReceivedJob(JOB_ID, null, "us-east-1", null, null, null, false, null, null, null);
        assertEquals(Map.of("CODEPIPELINE_JOB_ID", JOB_ID, "CODEPIPELINE_REGION", "us-east-1"),
                JobEnvironment.variables(bare));
        assertNull(JobEnvironment.variables(bare).get(JobEnvironment.CONTINUATION_TOKEN));
    }

    @Test
    void configNamesReplaceEveryCharacterOutsideTheShellAlphabet() {
        assertEquals("CODEPIPELINE_CONFIG_ProjectName", JobEnvironment.configVariableName("ProjectName"));
        assertEquals("CODEPIPELINE_CONFIG_a_b_c_d", JobEnvironment.configVariableName("a-b.c d"));
        assertEquals("CODEPIPELINE_CONFIG_x__y", JobEnvironment.configVariableName("x\u00e9\ud83d\ude00y"),
                "one _ per character, also outside the BMP");
        assertEquals("CODEPIPELINE_CONFIG_UPPER_lower_09", JobEnvironment.configVariableName("UPPER_lower_09"));
        assertEquals("CODEPIPELINE_INPUT_REVISION_my_lib", JobEnvironment.inputRevisionVariableName("my-lib"));
    }

    static void assertNoSecret(String text) {
        for (String secret : List.of("s3cr3t-value", "nonce-123", "ASIAARTIFACT", "artifactSecret",
                "artifactToken")) {
            assertFalse(text.contains(secret), secret + " leaked into " + text);
        }
    }
}
