package io.jenkins.plugins.codepipeline;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.codepipeline.core.testing.FakeCodePipeline;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Assumptions;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Shared set-up: the in-process CodePipeline endpoint from core's tests, credentials, form requests. Public for the job
 * worker's tests in the {@code worker} packages, which set up the endpoint and post forms the same way.
 */
public final class TestSupport {
    static final String JOB = "0a1b2c3d-1111-2222-3333-444455556666";
    static final String OTHER_JOB = "0a1b2c3d-1111-2222-3333-444455556667";
    static final String ACCESS_KEY = "AKIDJENKINSTEST";
    /** A secret that must never show in a log. */
    static final String SECRET_KEY = "s3cr3t-Secret-Access-Key";

    private TestSupport() {
    }

    /** Points every report at {@code endpoint}, with few attempts so that failing tests end quickly. */
    public static void useEndpoint(FakeCodePipeline endpoint) {
        // An endpoint in the host's environment would win over the global configuration (as it should for users).
        Assumptions.assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null
                && System.getenv("AWS_ENDPOINT_URL_CODEPIPELINE") == null, "the host overrides the CodePipeline endpoint");
        CodePipelineJobWorkerConfiguration global = CodePipelineJobWorkerConfiguration.get();
        global.setDefaultEndpointUrl(endpoint.endpoint().toString());
        global.setMaxAttempts(3);
    }

    /** A new in-process CodePipeline that every report goes to ({@link #useEndpoint}), and the global keys "keys". */
    static FakeCodePipeline startEndpoint() throws Exception {
        FakeCodePipeline endpoint = new FakeCodePipeline();
        useEndpoint(endpoint);
        addGlobalKeys();
        return endpoint;
    }

    /** Adds global username/password credentials "keys" holding an access key id and secret key. */
    static void addGlobalKeys() throws Exception {
        addGlobal(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "keys", "test keys", ACCESS_KEY,
                SECRET_KEY));
    }

    public static void addGlobal(StandardCredentials credentials) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(credentials);
        SystemCredentialsProvider.getInstance().save();
    }

    /** A web client of {@code j}, logged in as {@code user}, that gives failing answers back rather than throw. */
    public static JenkinsRule.WebClient webClientFor(JenkinsRule j, String user) throws Exception {
        return j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login(user);
    }

    /** A form POST with the given name/value pairs; the crumb is added after them (addCrumb keeps them). */
    public static WebResponse post(JenkinsRule j, JenkinsRule.WebClient wc, String path, String... namesAndValues)
            throws Exception {
        WebRequest req = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
        List<NameValuePair> parameters = new ArrayList<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            parameters.add(new NameValuePair(namesAndValues[i], namesAndValues[i + 1]));
        }
        req.setRequestParameters(parameters);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse();
    }

    /** The option values of a ListBoxModel response: {"_class":…,"values":[{"name":…,"value":…},…]}. */
    public static List<String> optionValues(WebResponse rsp) {
        JSONArray options = JSONObject.fromObject(rsp.getContentAsString()).getJSONArray("values");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            values.add(options.getJSONObject(i).getString("value"));
        }
        return values;
    }
}
