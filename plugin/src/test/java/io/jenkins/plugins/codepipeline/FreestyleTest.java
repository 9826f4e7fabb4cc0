package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.slaves.EnvironmentVariablesNodeProperty;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.UnstableBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class FreestyleTest {
    private JenkinsRule j;
    private FakeCodePipeline endpoint;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        endpoint = TestSupport.startEndpoint();
        // the dispatcher's parameter, here as a global variable
        j.jenkins.getGlobalNodeProperties().add(new EnvironmentVariablesNodeProperty(
                new EnvironmentVariablesNodeProperty.Entry("CODEPIPELINE_JOB_ID", TestSupport.JOB),
                new EnvironmentVariablesNodeProperty.Entry("DEPLOY_REGION", "ap-southeast-2")));
    }

    @AfterEach
    void tearDown() throws Exception {
        endpoint.close();
    }

    private FreeStyleProject project(CodePipelineJobResultPublisher publisher) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject();
        project.getPublishersList().add(publisher);
        return project;
    }

    private static CodePipelineJobResultPublisher publisher() {
        CodePipelineJobResultPublisher publisher = new CodePipelineJobResultPublisher();
        publisher.setCredentialsId("keys");
        return publisher;
    }

    @Test
    void aSuccessfulBuildReportsSuccessWithExpandedFields() throws Exception {
        CodePipelineJobResultPublisher publisher = publisher();
        publisher.setRegion("${DEPLOY_REGION}");
        publisher.setSummary("build ${BUILD_NUMBER} passed");
        publisher.setOutputVariableList(List.of(new OutputVariable("BUILD", "${BUILD_NUMBER}")));
        FreeStyleBuild build = j.buildAndAssertSuccess(project(publisher));

        RecordedRequest request = endpoint.lastRequest();
        assertEquals("CodePipeline_20150709.PutJobSuccessResult", request.header("X-Amz-Target"));
        assertTrue(request.header("Authorization").contains("/ap-southeast-2/codepipeline/"));
        assertTrue(request.body().contains("\"jobId\":\"" + TestSupport.JOB + "\""), request.body());
        assertTrue(request.body().contains("\"summary\":\"build 1 passed\""), request.body());
        assertTrue(request.body().contains("\"outputVariables\":{\"BUILD\":\"1\"}"), request.body());
        j.assertLogContains("Reported success for job " + TestSupport.JOB, build);
        j.assertLogNotContains(TestSupport.SECRET_KEY, build);
    }

    @Test
    void aFailedBuildReportsJobFailedWithTheResult() throws Exception {
        FreeStyleProject project = project(publisher());
        project.getBuildersList().add(new FailureBuilder());
        j.buildAndAssertStatus(Result.FAILURE, project);

        RecordedRequest request = endpoint.lastRequest();
        assertEquals("CodePipeline_20150709.PutJobFailureResult", request.header("X-Amz-Target"));
        assertTrue(request.body().contains("\"type\":\"JobFailed\""), request.body());
        assertTrue(request.body().contains(" ended FAILURE"), request.body());
    }

    @Test
    void anUnstableBuildIsAFailureUnlessAskedOtherwise() throws Exception {
        FreeStyleProject project = project(publisher());
        project.getBuildersList().add(new UnstableBuilder());
        j.buildAndAssertStatus(Result.UNSTABLE, project);
        assertEquals("CodePipeline_20150709.PutJobFailureResult", endpoint.lastRequest().header("X-Amz-Target"));
        assertTrue(endpoint.lastRequest().body().contains(" ended UNSTABLE"), endpoint.lastRequest().body());

        CodePipelineJobResultPublisher lenient = publisher();
        lenient.setSuccessOnUnstable(true);
        lenient.setJobId(TestSupport.OTHER_JOB);
        FreeStyleProject other = project(lenient);
        other.getBuildersList().add(new UnstableBuilder());
        j.buildAndAssertStatus(Result.UNSTABLE, other);
        assertEquals("CodePipeline_20150709.PutJobSuccessResult", endpoint.lastRequest().header("X-Amz-Target"));
        assertTrue(endpoint.lastRequest().body().contains(TestSupport.OTHER_JOB));
    }

    @Test
    void aReportThatCannotBeDeliveredFailsTheBuild() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.Error(400, "InvalidJobStateException", "Job is in state TimedOut"));
        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, project(publisher()));
        j.assertLogContains("the job is no longer open", build);
    }

    @Test
    void aLostAnswerMakesTheBuildUnstable() throws Exception {
        endpoint.enqueue(new FakeCodePipeline.LoseResponse());
        FreeStyleBuild build = j.buildAndAssertStatus(Result.UNSTABLE, project(publisher()));
        j.assertLogContains("most likely delivered", build);
        assertTrue(endpoint.isClosed(TestSupport.JOB));
    }
}
