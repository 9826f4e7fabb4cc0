package io.jenkins.plugins.codepipeline.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                "region", "credentialsId", "endpointUrl", "maxJobsInFlight", "unstableAsSuccess", "branches"}) {
            assertTrue(resource("help-" + field + ".html").contains("<div>"), field);
        }
    }
}
