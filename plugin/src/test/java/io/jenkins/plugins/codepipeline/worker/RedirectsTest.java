package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import io.jenkins.plugins.codepipeline.core.worker.ExecutionIds;
import java.net.URL;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The custom action type's links: {@code /codepipeline/project/<value>} and {@code /codepipeline/build/<id>} lead to
 * the job and the build, folders included; an unknown value and a user who may not read the job (even one who may
 * discover it) get the same 404. The one other answer is Jenkins' own, for anonymous users who may not read Jenkins.
 */
@WithJenkins
class RedirectsTest {
    private JenkinsRule j;
    private FreeStyleProject app;
    private FreeStyleProject secret;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        WorkerTestSupport.noNetwork();
        Folder folder = j.jenkins.createProject(Folder.class, "team");
        app = folder.createProject(FreeStyleProject.class, "app");
        WorkerTestSupport.addTrigger(app, WorkerTestSupport.trigger("app"));
        j.buildAndAssertSuccess(app);
        secret = j.createFreeStyleProject("secret");
        WorkerTestSupport.addTrigger(secret, WorkerTestSupport.trigger("secret"));
        j.buildAndAssertSuccess(secret);

        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("dev", "reader")
                .grant(Item.READ).onItems(folder, app).to("dev")
                .grant(Item.DISCOVER).onItems(secret).to("discoverer")
                .grant(Jenkins.READ).everywhere().to("discoverer"));
    }

    /**
     * The answer itself, as a browser gets it before it follows anything: not a page, whose loading would follow
     * Jenkins' login page (the 403 of an anonymous request carries a refresh and a script that go there).
     */
    private WebResponse get(String user, String path) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        if (user != null) {
            wc.login(user);
        }
        wc.withRedirectEnabled(false);
        return wc.loadWebResponse(new WebRequest(new URL(j.getURL(), path), HttpMethod.GET));
    }

    private static void assertRedirect(WebResponse rsp, String pathSuffix) {
        assertEquals(302, rsp.getStatusCode(), rsp.getContentAsString());
        String location = rsp.getResponseHeaderValue("Location");
        assertTrue(location.endsWith(pathSuffix), location);
    }

    @Test
    void projectLinkOpensTheJobInItsFolder() throws Exception {
        assertRedirect(get("dev", "codepipeline/project/app"), "/job/team/job/app/");
        assertRedirect(get("admin", "codepipeline/project/secret"), "/job/secret/");
    }

    @Test
    void buildLinkOpensTheBuild() throws Exception {
        assertRedirect(get("dev", "codepipeline/build/" + ExecutionIds.encode("team/app", 1)), "/job/team/job/app/1/");
    }

    @Test
    void unknownValuesAndUnreadableJobsAreNotFoundAlike() throws Exception {
        assertEquals(404, get("dev", "codepipeline/project/nothing").getStatusCode());
        assertEquals(404, get("dev", "codepipeline/project/secret").getStatusCode(), "dev may not read secret");
        assertEquals(404, get("reader", "codepipeline/project/app").getStatusCode(), "reader may not read app");
        assertEquals(404, get("reader", "codepipeline/build/" + ExecutionIds.encode("team/app", 1)).getStatusCode());
        assertEquals(404, get("dev", "codepipeline/build/" + ExecutionIds.encode("team/app", 99)).getStatusCode());
        assertEquals(404, get("dev", "codepipeline/build/" + ExecutionIds.encode("team/gone", 1)).getStatusCode());
        assertEquals(404, get("dev", "codepipeline/build/jenkins-not-base64!").getStatusCode());
        assertEquals(404, get("dev", "codepipeline/build/1").getStatusCode());
        assertEquals(404, get("dev", "codepipeline/project/way-too-long-for-a-query-value").getStatusCode());
        assertEquals(404, get("dev", "codepipeline/project/app/extra").getStatusCode());
    }

    @Test
    void aUserWhoMayOnlyDiscoverGetsTheSame404() throws Exception {
        assertEquals(404, get("discoverer", "codepipeline/project/secret").getStatusCode());
        assertEquals(404, get("discoverer", "codepipeline/build/" + ExecutionIds.encode("secret", 1)).getStatusCode());
        assertEquals(404, get("discoverer", "codepipeline/project/nothing").getStatusCode());
    }

    /** A disabled job keeps its identity: its link still leads to it (for those who may read it). */
    @Test
    void aDisabledJobIsStillFound() throws Exception {
        app.makeDisabled(true);
        assertRedirect(get("dev", "codepipeline/project/app"), "/job/team/job/app/");
        assertEquals(404, get("reader", "codepipeline/project/app").getStatusCode());
    }

    @Test
    void anonymousUsersGoThroughJenkinsLogin() throws Exception {
        // Jenkins' Overall/Read check comes first: an anonymous user is asked to log in, nothing is looked up
        assertEquals(403, get(null, "codepipeline/project/app").getStatusCode());
    }
}
