package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.AbstractCodePipelineJobStep;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.CustomActionTypeDefinition;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The trigger's help shows the very definition core (and the command line) creates. */
class TriggerHelpTest {

    private static String resource(String name) throws Exception {
        try (InputStream in = CodePipelineJobsTrigger.class.getResourceAsStream("CodePipelineJobsTrigger/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theHelpGivesCoresDefinition() throws Exception {
        String help = resource("help.html");
        String shown = help.substring(help.indexOf("<pre>") + 5, help.indexOf("</pre>")).strip();
        String expected = CustomActionTypeDefinition.json(new ActionTypeId("Build", "Jenkins", "1"),
                URI.create("https://jenkins.example.com/"), null).strip();
        assertEquals(expected, shown);
        assertTrue(help.contains("takes effect only after the Jenkinsfile ran once"), help);
    }

    @Test
    void everyFieldHasHelp() throws Exception {
        for (String field : new String[] {"category", "provider", "version", "projectName", "queryPropertyName",
                "maxJobsInFlight", "unstableAsSuccess", "branches", "reportProgress"}) {
            assertTrue(resource("help-" + field + ".html").contains("<div>"), field);
        }
        // The connection settings have one help, shared with the steps and the post-build action.
        String config = resource("config.jelly");
        for (String field : new String[] {"region", "credentialsId", "endpointUrl"}) {
            assertNull(CodePipelineJobsTrigger.class.getResource("CodePipelineJobsTrigger/help-" + field + ".html"),
                    "no copy of the " + field + " help");
            assertTrue(config.contains("help=\"/descriptor/io.jenkins.plugins.codepipeline.CodePipelineJobSuccessStep"
                    + "/help/" + field + "\""), field);
            String shared = sharedHelp(field);
            assertTrue(shared.contains("in the trigger"), shared);
            assertTrue(shared.contains("post-build action"), shared);
        }
        assertTrue(sharedHelp("credentialsId").contains("codepipeline:PollForJobs"));
    }

    /** A connection setting's help, as the steps' descriptors serve it. */
    private static String sharedHelp(String field) throws Exception {
        try (InputStream in = AbstractCodePipelineJobStep.class.getResourceAsStream(
                "AbstractCodePipelineJobStep/help-" + field + ".html")) {
            assertNotNull(in, field);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Duplicates are found by region, action type and value, not by account: the help says what to do. */
    @Test
    void theDuplicateCheckIgnoresTheAccountAndTheHelpSaysSo() throws Exception {
        assertTrue(resource("help.html").contains("different accounts"));
        assertTrue(resource("help-projectName.html").contains("different AWS accounts"));
    }
}
