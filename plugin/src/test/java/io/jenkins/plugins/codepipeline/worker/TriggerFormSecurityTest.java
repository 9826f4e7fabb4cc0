package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Item;
import io.jenkins.plugins.codepipeline.TestSupport;
import java.net.URL;
import java.util.List;
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
 * Who may call the trigger's form methods (POST only; checks answer only those who may configure the job, and say
 * nothing to its readers, who see the form in the Directive Generator; credentials are listed only to those who may
 * configure), the global poll interval's check (Overall/Administer), and who sees the pages.
 */
@WithJenkins
class TriggerFormSecurityTest {
    private static final String TRIGGER =
            "job/p/descriptorByName/io.jenkins.plugins.codepipeline.worker.CodePipelineJobsTrigger/";
    private static final String GLOBAL =
            "descriptorByName/io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration/";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        WorkerTestSupport.noNetwork();
        WorkerTestSupport.addGlobalKeys();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        FreeStyleProject p = j.createFreeStyleProject("p");
        WorkerTestSupport.addTrigger(p, WorkerTestSupport.trigger("app"));
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("dev")
                .grant(Item.READ, Item.CONFIGURE).onItems(p).to("dev")
                .grant(Jenkins.READ, Jenkins.SYSTEM_READ).everywhere().to("sysreader"));
    }

    /** Readers (the Directive Generator) get an empty answer, not a 403; those who may configure get the check. */
    @Test
    void checksAnswerOnlyThoseWhoMayConfigure() throws Exception {
        WebResponse reader = post("reader", TRIGGER + "checkProjectName", "value", "not a value");
        assertEquals(200, reader.getStatusCode(), reader.getContentAsString());
        assertFalse(reader.getContentAsString().contains("query value"), reader.getContentAsString());

        WebResponse dev = post("dev", TRIGGER + "checkProjectName", "value", "not a value");
        assertEquals(200, dev.getStatusCode(), dev.getContentAsString());
        assertTrue(dev.getContentAsString().contains("query value"), dev.getContentAsString());

        for (String[] check : new String[][] {{"checkEndpointUrl", "ftp://x"}, {"checkMaxJobsInFlight", "0"},
                {"checkRegion", "not a region!"}, {"checkCategory", "Compile"}, {"checkCredentialsId", ""}}) {
            WebResponse rsp = post("reader", TRIGGER + check[0], "value", check[1]);
            assertEquals(200, rsp.getStatusCode(), check[0]);
            assertFalse(rsp.getContentAsString().contains("error"), check[0] + ": " + rsp.getContentAsString());
        }
        WebResponse max = post("dev", TRIGGER + "checkMaxJobsInFlight", "value", "0");
        assertTrue(max.getContentAsString().contains("from 1 to 100"), max.getContentAsString());
        WebResponse endpoint = post("dev", TRIGGER + "checkEndpointUrl", "value", "ftp://x");
        assertTrue(endpoint.getContentAsString().contains("error"), endpoint.getContentAsString());
        // someone who may not even read the job gets nothing either
        assertFalse(post("sysreader", TRIGGER + "checkMaxJobsInFlight", "value", "0").getContentAsString()
                .contains("from 1 to 100"));
    }

    /** Stapler's @POST cancels the dispatch of a GET: no route, 404, and the check never runs. */
    @Test
    void checksRefuseGet() throws Exception {
        JenkinsRule.WebClient wc = webClientFor("admin");
        WebResponse rsp = wc.getPage(new WebRequest(new URL(j.getURL(), TRIGGER + "checkProjectName?value=x%20y"),
                HttpMethod.GET)).getWebResponse();
        assertEquals(404, rsp.getStatusCode(), rsp.getContentAsString());
        assertFalse(rsp.getContentAsString().contains("query value"), rsp.getContentAsString());
    }

    @Test
    void credentialsAreListedOnlyToThoseWhoMayConfigure() throws Exception {
        WebResponse dev = post("dev", TRIGGER + "fillCredentialsIdItems");
        assertEquals(200, dev.getStatusCode(), dev.getContentAsString());
        assertTrue(optionValues(dev).contains("keys"), dev.getContentAsString());

        WebResponse reader = post("reader", TRIGGER + "fillCredentialsIdItems");
        assertEquals(200, reader.getStatusCode(), reader.getContentAsString());
        assertEquals(List.of(""), optionValues(reader));
    }

    @Test
    void categoriesAreTheServiceModels() throws Exception {
        WebResponse reader = post("reader", TRIGGER + "fillCategoryItems");
        assertEquals(200, reader.getStatusCode(), reader.getContentAsString());
        assertEquals(List.of("Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"),
                optionValues(reader));
    }

    @Test
    void pollIntervalCheckNeedsAdminister() throws Exception {
        assertEquals(403, post("reader", GLOBAL + "checkPollIntervalSeconds", "value", "0").getStatusCode());
        WebResponse admin = post("admin", GLOBAL + "checkPollIntervalSeconds", "value", "0");
        assertEquals(200, admin.getStatusCode());
        assertTrue(admin.getContentAsString().contains("from 1 to 3600"), admin.getContentAsString());
    }

    @Test
    void theManagementPageIsForAdministratorsAndSystemReaders() throws Exception {
        JenkinsRule.WebClient reader = webClientFor("reader");
        assertEquals(403, reader.goTo("manage/codepipeline-jobs/").getWebResponse().getStatusCode());
        JenkinsRule.WebClient admin = webClientFor("admin");
        WebResponse page = admin.goTo("manage/codepipeline-jobs/").getWebResponse();
        assertEquals(200, page.getStatusCode());
        assertTrue(page.getContentAsString().contains("Build/Custom/Jenkins/1"), page.getContentAsString());
        assertTrue(page.getContentAsString().contains("entityUrlTemplate"), "the action type's definition");
        assertFalse(page.getContentAsString().contains(WorkerTestSupport.SECRET_KEY));

        // Overall/SystemRead (off unless enabled) may look; it does not see the trigger of a job it may not read
        boolean enabled = Jenkins.SYSTEM_READ.getEnabled();
        Jenkins.SYSTEM_READ.setEnabled(true);
        try {
            WebResponse sysreader = webClientFor("sysreader").goTo("manage/codepipeline-jobs/").getWebResponse();
            assertEquals(200, sysreader.getStatusCode(), sysreader.getContentAsString());
            assertFalse(sysreader.getContentAsString().contains("codepipeline-polling/"),
                    "the job p is not readable by sysreader: " + sysreader.getContentAsString());
        } finally {
            Jenkins.SYSTEM_READ.setEnabled(enabled);
        }
    }

    /** The connection settings' help is one set of files: the trigger's form links to the steps' help. */
    @Test
    void theConnectionSettingsHaveOneHelp() throws Exception {
        JenkinsRule.WebClient admin = webClientFor("admin");
        String configure = admin.getPage(j.jenkins.getItemByFullName("p"), "configure").getWebResponse()
                .getContentAsString();
        for (String field : new String[] {"region", "credentialsId", "endpointUrl"}) {
            String url = "descriptor/io.jenkins.plugins.codepipeline.CodePipelineJobSuccessStep/help/" + field;
            assertTrue(configure.contains(url), field + " in the trigger's form");
            WebResponse help = admin.goTo(url, null).getWebResponse();
            assertEquals(200, help.getStatusCode(), url);
            assertTrue(help.getContentAsString().contains("in the trigger"), help.getContentAsString());
        }
    }

    @Test
    void thePollingPageIsForReadersOfTheJob() throws Exception {
        assertEquals(200, webClientFor("reader").goTo("job/p/codepipeline-polling/").getWebResponse().getStatusCode());
        // The answer itself: loaded as a page, Jenkins' 403 for anonymous users would go on to the login page.
        JenkinsRule.WebClient outsider = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        assertEquals(403, outsider.loadWebResponse(new WebRequest(new URL(j.getURL(), "job/p/codepipeline-polling/"),
                HttpMethod.GET)).getStatusCode(), "anonymous users may not read Jenkins here");
    }

    private JenkinsRule.WebClient webClientFor(String user) throws Exception {
        return TestSupport.webClientFor(j, user);
    }

    private WebResponse post(String user, String path, String... namesAndValues) throws Exception {
        return TestSupport.post(j, webClientFor(user), path, namesAndValues);
    }

    private static List<String> optionValues(WebResponse rsp) {
        return TestSupport.optionValues(rsp);
    }
}
