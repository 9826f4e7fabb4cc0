package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class CodePipelineJobWorkerConfigurationTest {

    @Test
    void everyFieldSurvivesTheSystemConfigurationPage(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "aws-keys", "AWS access key", "AKIAEXAMPLE", "secret-key-0123456789"));
        SystemCredentialsProvider.getInstance().save();

        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();
        config.setDefaultRegion("eu-west-1");
        config.setDefaultCredentialsId("aws-keys");
        config.setDefaultEndpointUrl("https://codepipeline.example.com");
        config.setAllowControllerCredentials(true);
        config.setMaxAttempts(7);
        config.setTimeoutSeconds(90);
        config.setReportProgress(true);

        j.configRoundtrip();

        CodePipelineJobWorkerConfiguration after = CodePipelineJobWorkerConfiguration.get();
        assertEquals("eu-west-1", after.getDefaultRegion());
        assertEquals("aws-keys", after.getDefaultCredentialsId());
        assertEquals("https://codepipeline.example.com", after.getDefaultEndpointUrl());
        assertTrue(after.isAllowControllerCredentials());
        assertEquals(7, after.getMaxAttempts());
        assertEquals(90, after.getTimeoutSeconds());
        assertTrue(after.isReportProgress(), "the live link's global default");

        // The setters save: a fresh instance loads the same values from $JENKINS_HOME.
        CodePipelineJobWorkerConfiguration reloaded = new CodePipelineJobWorkerConfiguration();
        assertEquals("eu-west-1", reloaded.getDefaultRegion());
        assertEquals("aws-keys", reloaded.getDefaultCredentialsId());
        assertEquals("https://codepipeline.example.com", reloaded.getDefaultEndpointUrl());
        assertTrue(reloaded.isAllowControllerCredentials());
        assertEquals(7, reloaded.getMaxAttempts());
        assertEquals(90, reloaded.getTimeoutSeconds());
        assertTrue(reloaded.isReportProgress());
    }

    @Test
    void defaults(JenkinsRule j) {
        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();
        assertEquals(5, config.getMaxAttempts());
        assertEquals(120, config.getTimeoutSeconds());
        assertFalse(config.isAllowControllerCredentials());
        assertNull(config.getDefaultRegion());
        assertNull(config.getDefaultCredentialsId());
        assertNull(config.getDefaultEndpointUrl());
        assertFalse(config.isReportProgress(), "the live link is off by default");
    }

    @Test
    void defaultsSurviveTheSystemConfigurationPage(JenkinsRule j) throws Exception {
        j.configRoundtrip();

        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();
        assertEquals(5, config.getMaxAttempts());
        assertEquals(120, config.getTimeoutSeconds());
        assertFalse(config.isAllowControllerCredentials());
        assertFalse(config.isReportProgress());
        // empty form fields are stored as "not set", not as ""
        assertNull(config.getDefaultRegion());
        assertNull(config.getDefaultCredentialsId());
        assertNull(config.getDefaultEndpointUrl());
    }

    @Test
    void outOfRangeValuesFallBackToTheDefaults(JenkinsRule j) {
        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();

        config.setMaxAttempts(0);
        assertEquals(5, config.getMaxAttempts());
        config.setMaxAttempts(21);
        assertEquals(5, config.getMaxAttempts());
        config.setMaxAttempts(-3);
        assertEquals(5, config.getMaxAttempts());
        config.setMaxAttempts(1);
        assertEquals(1, config.getMaxAttempts());
        config.setMaxAttempts(20);
        assertEquals(20, config.getMaxAttempts());

        config.setTimeoutSeconds(0);
        assertEquals(120, config.getTimeoutSeconds());
        config.setTimeoutSeconds(-1);
        assertEquals(120, config.getTimeoutSeconds());
        config.setTimeoutSeconds(1);
        assertEquals(1, config.getTimeoutSeconds());
    }

    @Test
    void blankTextIsStoredAsNotSetAndTextIsTrimmed(JenkinsRule j) {
        CodePipelineJobWorkerConfiguration config = CodePipelineJobWorkerConfiguration.get();
        config.setDefaultRegion("  ");
        assertNull(config.getDefaultRegion());
        config.setDefaultCredentialsId("");
        assertNull(config.getDefaultCredentialsId());
        config.setDefaultEndpointUrl(" https://codepipeline.example.com ");
        assertEquals("https://codepipeline.example.com", config.getDefaultEndpointUrl());
    }
}
