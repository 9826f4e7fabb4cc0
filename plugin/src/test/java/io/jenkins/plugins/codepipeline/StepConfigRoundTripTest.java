package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The forms of both steps and of the freestyle post-build action keep every value. Each getter is checked on its own:
 * {@code assertEqualDataBoundBeans} cannot be used, as structs classifies the success step's
 * {@code Map<String, String>} property as an error type.
 */
@WithJenkins
class StepConfigRoundTripTest {
    private static final String JOB_ID = "0a1b2c3d-1111-2222-3333-444455556666";
    private static final String CREDENTIALS_ID = "aws-keys";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        // A real credential, so that the credentials list offers the configured id.
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, CREDENTIALS_ID, "AWS access key", "AKIAEXAMPLE", "secret-key-0123456789"));
        SystemCredentialsProvider.getInstance().save();
    }

    @Test
    void successStep() throws Exception {
        CodePipelineJobSuccessStep before = new CodePipelineJobSuccessStep();
        before.setJobId(JOB_ID);
        before.setRegion("eu-west-1");
        before.setCredentialsId(CREDENTIALS_ID);
        before.setEndpointUrl("https://codepipeline.example.com");
        before.setExternalExecutionId("build-42");
        before.setSummary("Deployed by Jenkins");
        before.setRevision("abc123");
        before.setChangeIdentifier("change-7");
        before.setRevisionSummary("Fix the deployment");
        before.setRevisionCreated("2026-11-25T10:00:00Z");
        before.setPercentComplete(40);
        before.setOutputVariableList(List.of(new OutputVariable("A", "b")));
        before.setOutputVariablesFile("out.env");
        before.setOutputVariablesFileFormat("dotenv");
        before.setOutputVariablesFromEnv(List.of("GIT_COMMIT", "IMAGE_*"));
        before.setLogOutputVariableValues(true);
        before.setTruncateLongText(true);

        CodePipelineJobSuccessStep after = new StepConfigTester(j).configRoundTrip(before);

        assertNotSame(before, after);
        assertEquals(JOB_ID, after.getJobId());
        assertEquals("eu-west-1", after.getRegion());
        assertEquals(CREDENTIALS_ID, after.getCredentialsId());
        assertEquals("https://codepipeline.example.com", after.getEndpointUrl());
        assertEquals("build-42", after.getExternalExecutionId());
        assertEquals("Deployed by Jenkins", after.getSummary());
        assertEquals("abc123", after.getRevision());
        assertEquals("change-7", after.getChangeIdentifier());
        assertEquals("Fix the deployment", after.getRevisionSummary());
        assertEquals("2026-11-25T10:00:00Z", after.getRevisionCreated());
        assertNull(after.getContinuationToken());
        assertEquals(Integer.valueOf(40), after.getPercentComplete());
        assertEquals(List.of(new OutputVariable("A", "b")), after.getOutputVariableList());
        assertEquals("out.env", after.getOutputVariablesFile());
        assertEquals("dotenv", after.getOutputVariablesFileFormat());
        // the text area holds one name per line; the descriptor's newInstance splits it back into the list
        assertEquals(List.of("GIT_COMMIT", "IMAGE_*"), after.getOutputVariablesFromEnv());
        assertTrue(after.isLogOutputVariableValues());
        assertTrue(after.isTruncateLongText());
        // the map is the Jenkinsfile shorthand, not on the form
        assertNull(after.getOutputVariables());
    }

    @Test
    void failureStep() throws Exception {
        CodePipelineJobFailureStep before = new CodePipelineJobFailureStep();
        before.setJobId(JOB_ID);
        before.setRegion("eu-west-1");
        before.setCredentialsId(CREDENTIALS_ID);
        before.setEndpointUrl("https://codepipeline.example.com");
        before.setExternalExecutionId("build-42");
        before.setType("PermissionError");
        before.setMessage("The role may not call codepipeline:PutJobFailureResult");
        before.setTruncateLongText(true);

        CodePipelineJobFailureStep after = new StepConfigTester(j).configRoundTrip(before);

        assertNotSame(before, after);
        assertEquals(JOB_ID, after.getJobId());
        assertEquals("eu-west-1", after.getRegion());
        assertEquals(CREDENTIALS_ID, after.getCredentialsId());
        assertEquals("https://codepipeline.example.com", after.getEndpointUrl());
        assertEquals("build-42", after.getExternalExecutionId());
        assertEquals("PermissionError", after.getType());
        assertEquals("The role may not call codepipeline:PutJobFailureResult", after.getMessage());
        assertTrue(after.isTruncateLongText());
    }

    @Test
    void failureStepWithDefaults() throws Exception {
        CodePipelineJobFailureStep after = new StepConfigTester(j).configRoundTrip(new CodePipelineJobFailureStep());

        assertEquals("JobFailed", after.getType());
        // empty fields come back as "not set", not as ""
        assertNull(after.getJobId());
        assertNull(after.getRegion());
        assertNull(after.getCredentialsId());
        assertNull(after.getEndpointUrl());
        assertNull(after.getExternalExecutionId());
        assertNull(after.getMessage());
        assertFalse(after.isTruncateLongText());
    }

    @Test
    void publisher() throws Exception {
        CodePipelineJobResultPublisher before = new CodePipelineJobResultPublisher();
        before.setJobId(JOB_ID);
        before.setRegion("eu-west-1");
        before.setCredentialsId(CREDENTIALS_ID);
        before.setEndpointUrl("https://codepipeline.example.com");
        before.setExternalExecutionId("build-42");
        before.setSummary("Deployed by Jenkins");
        before.setSuccessOnUnstable(true);
        before.setTruncateLongText(true);
        before.setOutputVariableList(List.of(new OutputVariable("A", "b")));
        before.setOutputVariablesFile("out.json");
        before.setOutputVariablesFileFormat("json");
        before.setOutputVariablesFromEnv(List.of("GIT_COMMIT", "IMAGE_*"));
        before.setLogOutputVariableValues(true);

        CodePipelineJobResultPublisher after = j.configRoundtrip(before);

        assertNotSame(before, after);
        assertEquals(JOB_ID, after.getJobId());
        assertEquals("eu-west-1", after.getRegion());
        assertEquals(CREDENTIALS_ID, after.getCredentialsId());
        assertEquals("https://codepipeline.example.com", after.getEndpointUrl());
        assertEquals("build-42", after.getExternalExecutionId());
        assertEquals("Deployed by Jenkins", after.getSummary());
        assertTrue(after.isSuccessOnUnstable());
        assertTrue(after.isTruncateLongText());
        assertEquals(List.of(new OutputVariable("A", "b")), after.getOutputVariableList());
        assertEquals("out.json", after.getOutputVariablesFile());
        assertEquals("json", after.getOutputVariablesFileFormat());
        assertEquals(List.of("GIT_COMMIT", "IMAGE_*"), after.getOutputVariablesFromEnv());
        assertTrue(after.isLogOutputVariableValues());
    }
}
