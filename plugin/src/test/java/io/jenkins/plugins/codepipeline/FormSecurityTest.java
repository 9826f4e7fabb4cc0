package io.jenkins.plugins.codepipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Who may call the form methods: the global configuration's need Overall/Administer, the job forms' need
 * Job/Configure on the job, and credential lists show nothing to those who may not configure.
 */
@WithJenkins
class FormSecurityTest {
    private static final String GLOBAL =
            "descriptorByName/io.jenkins.plugins.codepipeline.CodePipelineJobWorkerConfiguration/";
    private static final String PUBLISHER =
            "job/p/descriptorByName/io.jenkins.plugins.codepipeline.CodePipelineJobResultPublisher/";
    private static final String OUTPUT_VARIABLE =
            "job/p/descriptorByName/io.jenkins.plugins.codepipeline.OutputVariable/";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        FreeStyleProject p = j.createFreeStyleProject("p");
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("dev")
                .grant(Item.READ, Item.CONFIGURE).onItems(p).to("dev"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "keys", "AWS access key", "AKIAEXAMPLE", "secret-key-0123456789"));
        SystemCredentialsProvider.getInstance().save();
    }

    @Test
    void globalEndpointCheckNeedsAdminister() throws Exception {
        WebResponse reader = post(webClientFor("reader"), GLOBAL + "checkDefaultEndpointUrl", "value", "ftp://x");
        assertEquals(403, reader.getStatusCode());

        WebResponse admin = post(webClientFor("admin"), GLOBAL + "checkDefaultEndpointUrl", "value", "ftp://x");
        assertEquals(200, admin.getStatusCode(), admin.getContentAsString());
        assertTrue(admin.getContentAsString().contains("endpoint URL"), admin.getContentAsString());
    }

    /**
     * Stapler's {@code @POST} (org.kohsuke.stapler.verb.POST, HttpVerbInterceptor) does not answer 405: it cancels
     * the dispatch to the method (CancelRequestHandlingException) and Stapler, finding no other route on the
     * descriptor, answers 404. What matters is that GET never runs the check.
     */
    @Test
    void globalEndpointCheckRefusesGet() throws Exception {
        JenkinsRule.WebClient wc = webClientFor("admin");
        WebRequest req = new WebRequest(new URL(j.getURL(), GLOBAL + "checkDefaultEndpointUrl?value=x"), HttpMethod.GET);
        Page page = wc.getPage(req);
        WebResponse rsp = page.getWebResponse();
        assertEquals(404, rsp.getStatusCode(), rsp.getContentAsString());
        assertFalse(rsp.getContentAsString().contains("is not an http(s) URL"), rsp.getContentAsString());
    }

    @Test
    void globalCredentialsListNeedsAdminister() throws Exception {
        WebResponse reader = post(webClientFor("reader"), GLOBAL + "fillDefaultCredentialsIdItems");
        assertEquals(200, reader.getStatusCode(), reader.getContentAsString());
        assertEquals(List.of(""), optionValues(reader));

        WebResponse admin = post(webClientFor("admin"), GLOBAL + "fillDefaultCredentialsIdItems");
        assertEquals(200, admin.getStatusCode(), admin.getContentAsString());
        assertTrue(optionValues(admin).contains("keys"), admin.getContentAsString());
    }

    @Test
    void jobCredentialsListShowsCredentialsOnlyToThoseWhoMayConfigure() throws Exception {
        WebResponse dev = post(webClientFor("dev"), PUBLISHER + "fillCredentialsIdItems");
        assertEquals(200, dev.getStatusCode(), dev.getContentAsString());
        List<String> devValues = optionValues(dev);
        assertTrue(devValues.contains("keys"), dev.getContentAsString());
        assertTrue(devValues.contains(""), dev.getContentAsString());

        WebResponse reader = post(webClientFor("reader"), PUBLISHER + "fillCredentialsIdItems");
        assertEquals(200, reader.getStatusCode(), reader.getContentAsString());
        assertFalse(optionValues(reader).contains("keys"), reader.getContentAsString());
        assertEquals(List.of(""), optionValues(reader));
    }

    @Test
    void jobIdCheckNeedsConfigure() throws Exception {
        WebResponse reader = post(webClientFor("reader"), PUBLISHER + "checkJobId", "value", "NOT-A-UUID");
        assertEquals(403, reader.getStatusCode());

        WebResponse dev = post(webClientFor("dev"), PUBLISHER + "checkJobId", "value", "NOT-A-UUID");
        assertEquals(200, dev.getStatusCode(), dev.getContentAsString());
        assertTrue(dev.getContentAsString().contains("Not a CodePipeline job id"), dev.getContentAsString());
    }

    @Test
    void outputVariableNameCheckNeedsConfigure() throws Exception {
        WebResponse reader = post(webClientFor("reader"), OUTPUT_VARIABLE + "checkName", "value", "a.b");
        assertEquals(403, reader.getStatusCode());

        WebResponse dev = post(webClientFor("dev"), OUTPUT_VARIABLE + "checkName", "value", "a.b");
        assertEquals(200, dev.getStatusCode(), dev.getContentAsString());
        assertTrue(dev.getContentAsString().contains("for example a_b"), dev.getContentAsString());
    }

    private JenkinsRule.WebClient webClientFor(String user) throws Exception {
        return TestSupport.webClientFor(j, user);
    }

    private WebResponse post(JenkinsRule.WebClient wc, String path, String... namesAndValues) throws Exception {
        return TestSupport.post(j, wc, path, namesAndValues);
    }

    private static List<String> optionValues(WebResponse rsp) {
        return TestSupport.optionValues(rsp);
    }
}
