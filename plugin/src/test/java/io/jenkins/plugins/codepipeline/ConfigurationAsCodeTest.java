package io.jenkins.plugins.codepipeline;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void importsEveryField(JenkinsConfiguredWithCodeRule r) {
        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();
        assertEquals("eu-west-1", config.getDefaultRegion());
        assertEquals("aws-deployer", config.getDefaultCredentialsId());
        assertEquals("https://codepipeline.example.com", config.getDefaultEndpointUrl());
        assertTrue(config.isAllowControllerCredentials());
        assertEquals(7, config.getMaxAttempts());
        assertEquals(90, config.getTimeoutSeconds());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void exportsEveryField(JenkinsConfiguredWithCodeRule r) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("codePipelineJobWorker");
        assertNotNull(node, "no codePipelineJobWorker entry under unclassified");

        String exported = toYamlString(node);
        assertTrue(exported.contains("defaultRegion: \"eu-west-1\""), exported);
        assertTrue(exported.contains("defaultCredentialsId: \"aws-deployer\""), exported);
        assertTrue(exported.contains("defaultEndpointUrl: \"https://codepipeline.example.com\""), exported);
        assertTrue(exported.contains("allowControllerCredentials: true"), exported);
        assertTrue(exported.contains("maxAttempts: 7"), exported);
        assertTrue(exported.contains("timeoutSeconds: 90"), exported);
    }
}
