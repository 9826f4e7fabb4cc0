package io.jenkins.plugins.codepipeline.worker;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The worker's global settings in Configuration as Code: {@code unclassified: codePipelineJobWorker:
 * pollIntervalSeconds}, {@code reportProgress} (the live link's global default, off unless set), and
 * {@code s3EndpointUrl} (the S3 endpoint of artifact transfers, unset unless given).
 */
@WithJenkinsConfiguredWithCode
class WorkerConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("worker-configuration-as-code.yml")
    void importsThePollInterval(JenkinsConfiguredWithCodeRule r) {
        assertEquals(30, CodePipelineJobWorkerConfiguration.get().getPollIntervalSeconds());
        assertEquals("eu-west-1", CodePipelineJobWorkerConfiguration.get().getDefaultRegion());
    }

    @Test
    @ConfiguredWithCode("worker-configuration-as-code.yml")
    void exportsThePollInterval(JenkinsConfiguredWithCodeRule r) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("codePipelineJobWorker");
        assertNotNull(node, "no codePipelineJobWorker entry under unclassified");
        String exported = toYamlString(node);
        assertTrue(exported.contains("pollIntervalSeconds: 30"), exported);
    }

    @Test
    void theDefaultIsTenSeconds(JenkinsConfiguredWithCodeRule r) {
        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();
        assertEquals(10, config.getPollIntervalSeconds());
        config.setPollIntervalSeconds(0);
        assertEquals(10, config.getPollIntervalSeconds(), "out of range counts as the default");
        config.setPollIntervalSeconds(3601);
        assertEquals(10, config.getPollIntervalSeconds());
        config.setPollIntervalSeconds(3600);
        assertEquals(3600, config.getPollIntervalSeconds());
    }

    @Test
    @ConfiguredWithCode("worker-report-progress.yml")
    void importsAndExportsTheReportProgressDefault(JenkinsConfiguredWithCodeRule r) throws Exception {
        assertTrue(CodePipelineJobWorkerConfiguration.get().isReportProgress());
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("codePipelineJobWorker");
        assertNotNull(node, "no codePipelineJobWorker entry under unclassified");
        String exported = toYamlString(node);
        assertTrue(exported.contains("reportProgress: true"), exported);
    }

    @Test
    @ConfiguredWithCode("worker-configuration-as-code.yml")
    void theReportProgressDefaultIsOff(JenkinsConfiguredWithCodeRule r) throws Exception {
        assertFalse(CodePipelineJobWorkerConfiguration.get().isReportProgress(), "off unless set");
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        String exported = toYamlString(getUnclassifiedRoot(context).get("codePipelineJobWorker"));
        assertFalse(exported.contains("reportProgress: true"), exported);
    }

    @Test
    @ConfiguredWithCode("worker-s3-endpoint-url.yml")
    void importsAndExportsTheS3EndpointUrl(JenkinsConfiguredWithCodeRule r) throws Exception {
        assertEquals("https://s3.eu-west-1.example.com", CodePipelineJobWorkerConfiguration.get().getS3EndpointUrl());
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("codePipelineJobWorker");
        assertNotNull(node, "no codePipelineJobWorker entry under unclassified");
        String exported = toYamlString(node);
        assertTrue(exported.contains("s3EndpointUrl: \"https://s3.eu-west-1.example.com\""), exported);
    }

    @Test
    @ConfiguredWithCode("worker-configuration-as-code.yml")
    void theS3EndpointUrlIsUnsetUnlessGiven(JenkinsConfiguredWithCodeRule r) throws Exception {
        assertNull(CodePipelineJobWorkerConfiguration.get().getS3EndpointUrl(), "the region's S3 unless set");
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        String exported = toYamlString(getUnclassifiedRoot(context).get("codePipelineJobWorker"));
        assertFalse(exported.contains("s3EndpointUrl"), exported);
    }
}
