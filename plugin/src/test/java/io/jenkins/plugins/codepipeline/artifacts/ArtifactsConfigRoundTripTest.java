package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The forms of the two artifact steps ({@code codePipelineInputArtifacts}, {@code codePipelineOutputArtifacts}) and of
 * the two freestyle build steps (the input artifacts builder, the output artifacts recorder) keep every value, and the
 * Snippet Generator writes every argument. A value the form or the data binding loses comes back as null (or as a
 * shorter list) and fails {@code assertEqualDataBoundBeans} and the getter checks.
 */
@WithJenkins
class ArtifactsConfigRoundTripTest {
    private static final String JOB_ID = "0a1b2c3d-1111-2222-3333-444455556666";
    private static final String CREDENTIALS_ID = "aws-keys";
    private static final String ENDPOINT = "https://codepipeline.example.com";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        // A real credential, so that the credentials list offers the configured id.
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, CREDENTIALS_ID, "AWS access key", "AKIAEXAMPLE", "secret-key-0123456789"));
        SystemCredentialsProvider.getInstance().save();
    }

    private static CodePipelineInputArtifactsStep inputStep() {
        CodePipelineInputArtifactsStep step = new CodePipelineInputArtifactsStep();
        step.setArtifacts(List.of("SourceArtifact", "BuildConfig"));
        step.setDir("codepipeline/in");
        step.setJobId(JOB_ID);
        step.setRegion("eu-west-1");
        step.setCredentialsId(CREDENTIALS_ID);
        step.setEndpointUrl(ENDPOINT);
        return step;
    }

    private static CodePipelineOutputArtifactsStep outputStep() {
        CodePipelineOutputArtifactsStep step = new CodePipelineOutputArtifactsStep();
        step.setArtifacts(List.of(new OutputArtifact("BuildOutput", "target/app"),
                new OutputArtifact("Reports", "reports/summary.json")));
        step.setJobId(JOB_ID);
        step.setRegion("eu-west-1");
        step.setCredentialsId(CREDENTIALS_ID);
        step.setEndpointUrl(ENDPOINT);
        return step;
    }

    @Test
    void inputStepKeepsEveryField() throws Exception {
        CodePipelineInputArtifactsStep before = inputStep();

        CodePipelineInputArtifactsStep after = new StepConfigTester(j).configRoundTrip(before);

        assertNotSame(before, after);
        j.assertEqualDataBoundBeans(before, after);
        // the text area holds one name per line; the descriptor's newInstance splits it back into the list, in order
        assertEquals(List.of("SourceArtifact", "BuildConfig"), after.getArtifacts());
        assertEquals("codepipeline/in", after.getDir());
        assertEquals(JOB_ID, after.getJobId());
        assertEquals("eu-west-1", after.getRegion());
        assertEquals(CREDENTIALS_ID, after.getCredentialsId());
        assertEquals(ENDPOINT, after.getEndpointUrl());
    }

    @Test
    void inputStepKeepsTheDefaults() throws Exception {
        CodePipelineInputArtifactsStep before = new CodePipelineInputArtifactsStep();

        CodePipelineInputArtifactsStep after = new StepConfigTester(j).configRoundTrip(before);

        j.assertEqualDataBoundBeans(before, after);
        // an empty text area is "every input artifact" (null), not an empty list or [""]
        assertNull(after.getArtifacts());
        assertEquals("", after.getArtifactsText());
        // empty fields come back as "not set", not as ""
        assertNull(after.getDir());
        assertNull(after.getJobId());
        assertNull(after.getRegion());
        assertNull(after.getCredentialsId());
        assertNull(after.getEndpointUrl());
    }

    @Test
    void outputStepKeepsEveryField() throws Exception {
        CodePipelineOutputArtifactsStep before = outputStep();

        CodePipelineOutputArtifactsStep after = new StepConfigTester(j).configRoundTrip(before);

        assertNotSame(before, after);
        j.assertEqualDataBoundBeans(before, after);
        assertEquals(List.of(new OutputArtifact("BuildOutput", "target/app"),
                new OutputArtifact("Reports", "reports/summary.json")), after.getArtifacts());
        assertEquals(JOB_ID, after.getJobId());
        assertEquals("eu-west-1", after.getRegion());
        assertEquals(CREDENTIALS_ID, after.getCredentialsId());
        assertEquals(ENDPOINT, after.getEndpointUrl());
    }

    @Test
    void outputStepKeepsTheDefaults() throws Exception {
        CodePipelineOutputArtifactsStep before = new CodePipelineOutputArtifactsStep();

        CodePipelineOutputArtifactsStep after = new StepConfigTester(j).configRoundTrip(before);

        j.assertEqualDataBoundBeans(before, after);
        assertNull(after.getArtifacts(), "no artifact rows is no artifact, not an empty list");
        assertNull(after.getJobId());
        assertNull(after.getRegion());
        assertNull(after.getCredentialsId());
        assertNull(after.getEndpointUrl());
    }

    @Test
    void snippetGeneratorWritesEveryInputArgument() {
        String groovy = Snippetizer.object2Groovy(inputStep());
        assertTrue(groovy.startsWith("codePipelineInputArtifacts "), groovy);
        for (String argument : List.of("artifacts: ['SourceArtifact', 'BuildConfig']", "dir: 'codepipeline/in'",
                "jobId: '" + JOB_ID + "'", "region: 'eu-west-1'", "credentialsId: '" + CREDENTIALS_ID + "'",
                "endpointUrl: '" + ENDPOINT + "'")) {
            assertTrue(groovy.contains(argument), groovy);
        }
        // every argument is optional: the default step is written without any
        assertEquals("codePipelineInputArtifacts()", Snippetizer.object2Groovy(new CodePipelineInputArtifactsStep()));
    }

    @Test
    void snippetGeneratorWritesEveryOutputArgument() {
        String groovy = Snippetizer.object2Groovy(outputStep());
        assertTrue(groovy.startsWith("codePipelineOutputArtifacts "), groovy);
        for (String argument : List.of("artifacts: [outputArtifact(name: 'BuildOutput', path: 'target/app'), "
                        + "outputArtifact(name: 'Reports', path: 'reports/summary.json')]",
                "jobId: '" + JOB_ID + "'", "region: 'eu-west-1'", "credentialsId: '" + CREDENTIALS_ID + "'",
                "endpointUrl: '" + ENDPOINT + "'")) {
            assertTrue(groovy.contains(argument), groovy);
        }
    }

    @Test
    void freestyleBuilderAndRecorderKeepEveryField() throws Exception {
        CodePipelineInputArtifactsBuilder builder = new CodePipelineInputArtifactsBuilder();
        builder.setArtifactNames("SourceArtifact, BuildConfig");
        builder.setDir("codepipeline/in");
        builder.setJobId("${CODEPIPELINE_JOB_ID}");
        builder.setRegion("eu-west-1");
        builder.setCredentialsId(CREDENTIALS_ID);
        builder.setEndpointUrl(ENDPOINT);
        CodePipelineOutputArtifactsRecorder recorder = new CodePipelineOutputArtifactsRecorder();
        recorder.setArtifacts(List.of(new OutputArtifact("BuildOutput", "target/app"),
                new OutputArtifact("Reports", "reports/${BUILD_NUMBER}.json")));
        recorder.setJobId(JOB_ID);
        recorder.setRegion("ap-southeast-2");
        recorder.setCredentialsId(CREDENTIALS_ID);
        recorder.setEndpointUrl("https://codepipeline.ap-southeast-2.example.com");
        FreeStyleProject project = j.createFreeStyleProject("p");
        project.getBuildersList().add(builder);
        project.getPublishersList().add(recorder);

        j.configRoundtrip(project);

        CodePipelineInputArtifactsBuilder builderAfter = project.getBuildersList()
                .get(CodePipelineInputArtifactsBuilder.class);
        assertNotNull(builderAfter);
        assertNotSame(builder, builderAfter);
        j.assertEqualDataBoundBeans(builder, builderAfter);
        assertEquals("SourceArtifact, BuildConfig", builderAfter.getArtifactNames());
        assertEquals("codepipeline/in", builderAfter.getDir());
        assertEquals("${CODEPIPELINE_JOB_ID}", builderAfter.getJobId());
        assertEquals("eu-west-1", builderAfter.getRegion());
        assertEquals(CREDENTIALS_ID, builderAfter.getCredentialsId());
        assertEquals(ENDPOINT, builderAfter.getEndpointUrl());

        CodePipelineOutputArtifactsRecorder recorderAfter = project.getPublishersList()
                .get(CodePipelineOutputArtifactsRecorder.class);
        assertNotNull(recorderAfter);
        assertNotSame(recorder, recorderAfter);
        j.assertEqualDataBoundBeans(recorder, recorderAfter);
        assertEquals(List.of(new OutputArtifact("BuildOutput", "target/app"),
                new OutputArtifact("Reports", "reports/${BUILD_NUMBER}.json")), recorderAfter.getArtifacts());
        assertEquals(JOB_ID, recorderAfter.getJobId());
        assertEquals("ap-southeast-2", recorderAfter.getRegion());
        assertEquals(CREDENTIALS_ID, recorderAfter.getCredentialsId());
        assertEquals("https://codepipeline.ap-southeast-2.example.com", recorderAfter.getEndpointUrl());
    }

    @Test
    void freestyleBuilderAndRecorderKeepTheDefaults() throws Exception {
        CodePipelineInputArtifactsBuilder builder = new CodePipelineInputArtifactsBuilder();
        CodePipelineOutputArtifactsRecorder recorder = new CodePipelineOutputArtifactsRecorder();
        FreeStyleProject project = j.createFreeStyleProject("p");
        project.getBuildersList().add(builder);
        project.getPublishersList().add(recorder);

        j.configRoundtrip(project);

        CodePipelineInputArtifactsBuilder builderAfter = project.getBuildersList()
                .get(CodePipelineInputArtifactsBuilder.class);
        assertNotNull(builderAfter);
        j.assertEqualDataBoundBeans(builder, builderAfter);
        assertNull(builderAfter.getArtifactNames());
        assertNull(builderAfter.getDir());
        assertNull(builderAfter.getJobId());
        assertNull(builderAfter.getRegion());
        assertNull(builderAfter.getCredentialsId());
        assertNull(builderAfter.getEndpointUrl());

        CodePipelineOutputArtifactsRecorder recorderAfter = project.getPublishersList()
                .get(CodePipelineOutputArtifactsRecorder.class);
        assertNotNull(recorderAfter);
        j.assertEqualDataBoundBeans(recorder, recorderAfter);
        assertNull(recorderAfter.getArtifacts());
        assertNull(recorderAfter.getJobId());
        assertNull(recorderAfter.getRegion());
        assertNull(recorderAfter.getCredentialsId());
        assertNull(recorderAfter.getEndpointUrl());
    }
}
