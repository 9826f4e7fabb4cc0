package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Fingerprint;
import hudson.model.Result;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import java.util.stream.StreamSupport;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class CredentialsTest {
    private static final String REPORT = "codePipelineJobSuccess jobId: '" + TestSupport.JOB + "'";

    private JenkinsRule j;
    private FakeCodePipeline endpoint;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        endpoint = new FakeCodePipeline();
        TestSupport.useEndpoint(endpoint);
    }

    @AfterEach
    void tearDown() throws Exception {
        endpoint.close();
    }

    private static WorkflowJob pipelineIn(Folder folder, String name, String script) throws Exception {
        WorkflowJob job = folder.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    private WorkflowJob pipeline(String script) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    private Folder folderWithKeys(String name, String accessKey) throws Exception {
        Folder folder = j.jenkins.createProject(Folder.class, name);
        CredentialsStore store = StreamSupport.stream(CredentialsProvider.lookupStores(folder).spliterator(), false)
                .filter(s -> s.getContext() == folder).findFirst().orElseThrow();
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "team-keys",
                "keys of " + name, accessKey, "secret-of-" + name));
        return folder;
    }

    @Test
    void folderCredentialsWithTheSameIdAreNeverMixedUp() throws Exception {
        Folder teamA = folderWithKeys("team-a", "AKIDTEAMA");
        Folder teamB = folderWithKeys("team-b", "AKIDTEAMB");
        j.buildAndAssertSuccess(pipelineIn(teamA, "p", REPORT + ", credentialsId: 'team-keys'"));
        assertEquals("AKIDTEAMA", endpoint.lastRequest().accessKeyId());
        j.buildAndAssertSuccess(pipelineIn(teamB, "p", "codePipelineJobSuccess jobId: '" + TestSupport.OTHER_JOB
                + "', credentialsId: 'team-keys'"));
        assertEquals("AKIDTEAMB", endpoint.lastRequest().accessKeyId());
    }

    @Test
    void folderCredentialsAreNotVisibleOutsideTheFolder() throws Exception {
        folderWithKeys("team-a", "AKIDTEAMA");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(REPORT + ", credentialsId: 'team-keys'"));
        j.assertLogContains("Credentials 'team-keys' (argument) were not found", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void awsCredentialsSignTheReport() throws Exception {
        TestSupport.addGlobal(new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws", "AKIDAWSCREDS", "awsSecretValue",
                "AWS keys"));
        WorkflowRun run = j.buildAndAssertSuccess(pipeline(REPORT + ", credentialsId: 'aws'"));
        assertEquals("AKIDAWSCREDS", endpoint.lastRequest().accessKeyId());
        j.assertLogNotContains("awsSecretValue", run);
    }

    @Test
    void theGlobalDefaultCredentialsAreUsedWhenNoneAreGiven() throws Exception {
        TestSupport.addGlobalKeys();
        CodePipelineJobWorkerConfiguration.get().setDefaultCredentialsId("keys");
        WorkflowRun run = j.buildAndAssertSuccess(pipeline(REPORT));
        assertEquals(TestSupport.ACCESS_KEY, endpoint.lastRequest().accessKeyId());
        j.assertLogContains("credentials 'keys'", run);
        j.assertLogNotContains(TestSupport.SECRET_KEY, run);
    }

    @Test
    void aMissingIdIsReported() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(REPORT + ", credentialsId: 'nope'"));
        j.assertLogContains("Credentials 'nope' (argument) were not found", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void credentialsOfAnotherTypeAreRefused() throws Exception {
        TestSupport.addGlobal(new TokenCredentials("token"));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(REPORT + ", credentialsId: 'token'"));
        j.assertLogContains("Credentials 'token' are", run);
        j.assertLogContains("a report needs AWS credentials, or username/password", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void theControllersCredentialsNeedAnAdministratorsConsent() throws Exception {
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(REPORT));
        j.assertLogContains("No AWS credentials for the report", run);
        j.assertLogContains("Allow the controller's AWS credentials", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void aRoleWithBlankKeysAlsoNeedsTheAdministratorsConsent() throws Exception {
        TestSupport.addGlobal(new AWSCredentialsImpl(CredentialsScope.GLOBAL, "role-only", "", "", "role only",
                "arn:aws:iam::123456789012:role/deployer", null));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, pipeline(REPORT + ", credentialsId: 'role-only'"));
        j.assertLogContains("assume role arn:aws:iam::123456789012:role/deployer with the controller's own AWS credentials", run);
        assertTrue(endpoint.requests().isEmpty());
    }

    @Test
    void theCredentialsUseIsTracked() throws Exception {
        TestSupport.addGlobalKeys();
        WorkflowJob job = pipeline(REPORT + ", credentialsId: 'keys'");
        j.buildAndAssertSuccess(job);
        StandardCredentials keys = CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials.class,
                j.jenkins, null, null).stream().filter(c -> c.getId().equals("keys")).findFirst().orElseThrow();
        Fingerprint fingerprint = CredentialsProvider.getFingerprintOf(keys);
        assertNotNull(fingerprint, "the use of the credentials is recorded");
        assertTrue(fingerprint.getJobs().contains(job.getFullName()), fingerprint.getJobs().toString());
    }

    /** A credentials type the report cannot use. */
    public static final class TokenCredentials extends BaseStandardCredentials {
        private static final long serialVersionUID = 1L;

        public TokenCredentials(String id) {
            super(CredentialsScope.GLOBAL, id, "a token");
        }

        @TestExtension("credentialsOfAnotherTypeAreRefused")
        public static final class DescriptorImpl extends BaseStandardCredentialsDescriptor {
        }
    }
}
