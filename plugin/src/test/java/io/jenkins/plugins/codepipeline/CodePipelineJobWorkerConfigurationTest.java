package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
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
        config.setS3EndpointUrl("https://s3.eu-west-1.example.com");
        config.setAllowControllerCredentials(true);
        config.setMaxAttempts(7);
        config.setTimeoutSeconds(90);
        config.setReportProgress(true);

        j.configRoundtrip();

        CodePipelineJobWorkerConfiguration after = CodePipelineJobWorkerConfiguration.get();
        assertEquals("eu-west-1", after.getDefaultRegion());
        assertEquals("aws-keys", after.getDefaultCredentialsId());
        assertEquals("https://codepipeline.example.com", after.getDefaultEndpointUrl());
        assertEquals("https://s3.eu-west-1.example.com", after.getS3EndpointUrl(),
                "the S3 endpoint of artifact transfers");
        assertTrue(after.isAllowControllerCredentials());
        assertEquals(7, after.getMaxAttempts());
        assertEquals(90, after.getTimeoutSeconds());
        assertTrue(after.isReportProgress(), "the live link's global default");

        // The setters save: a fresh instance loads the same values from $JENKINS_HOME.
        CodePipelineJobWorkerConfiguration reloaded = new CodePipelineJobWorkerConfiguration();
        assertEquals("eu-west-1", reloaded.getDefaultRegion());
        assertEquals("aws-keys", reloaded.getDefaultCredentialsId());
        assertEquals("https://codepipeline.example.com", reloaded.getDefaultEndpointUrl());
        assertEquals("https://s3.eu-west-1.example.com", reloaded.getS3EndpointUrl());
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
        assertNull(config.getS3EndpointUrl(), "the region's S3 by default");
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
        assertNull(config.getS3EndpointUrl());
    }

    @Test
    void theS3EndpointUrlIsShownAndChangedOnTheSystemConfigurationPage(JenkinsRule j) throws Exception {
        CodePipelineJobWorkerConfiguration.get().setS3EndpointUrl("https://s3.eu-west-1.example.com");

        HtmlForm form = j.createWebClient().goTo("configure").getFormByName("config");
        HtmlInput input = form.getInputByName("_.s3EndpointUrl");
        assertEquals("https://s3.eu-west-1.example.com", input.getValue(), "the form shows the stored value");
        input.setValue(" https://bucket.vpce-0123.s3.eu-west-1.vpce.amazonaws.com ");
        j.submit(form);

        assertEquals("https://bucket.vpce-0123.s3.eu-west-1.vpce.amazonaws.com",
                CodePipelineJobWorkerConfiguration.get().getS3EndpointUrl(), "the form's value, trimmed");
        assertEquals("https://bucket.vpce-0123.s3.eu-west-1.vpce.amazonaws.com",
                new CodePipelineJobWorkerConfiguration().getS3EndpointUrl(), "saved");

        // emptied in the form: back to the region's S3
        form = j.createWebClient().goTo("configure").getFormByName("config");
        form.<HtmlInput>getInputByName("_.s3EndpointUrl").setValue("");
        j.submit(form);
        assertNull(CodePipelineJobWorkerConfiguration.get().getS3EndpointUrl());
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
        config.setS3EndpointUrl(" ");
        assertNull(config.getS3EndpointUrl());
        config.setS3EndpointUrl(" https://s3.example.com ");
        assertEquals("https://s3.example.com", config.getS3EndpointUrl());
    }
}
