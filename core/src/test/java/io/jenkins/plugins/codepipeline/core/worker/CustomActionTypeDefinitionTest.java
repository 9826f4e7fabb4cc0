package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationProperty;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeRequest;

class CustomActionTypeDefinitionTest {
    private static final ActionTypeId TYPE = new ActionTypeId("Build", "Jenkins", "1");

    @Test
    void requestLinksThroughThePluginsRedirects() {
        CreateCustomActionTypeRequest request = CustomActionTypeDefinition.request(TYPE,
                URI.create("https://jenkins.example.com/ci"), null);
        assertEquals("Build", request.categoryAsString());
        assertEquals("Jenkins", request.provider());
        assertEquals("1", request.version());
        assertEquals("https://jenkins.example.com/ci/codepipeline/project/{Config:ProjectName}",
                request.settings().entityUrlTemplate());
        assertEquals("https://jenkins.example.com/ci/codepipeline/build/{ExternalExecutionId}",
                request.settings().executionUrlTemplate());
        assertEquals(1, request.configurationProperties().size());
        ActionConfigurationProperty property = request.configurationProperties().get(0);
        assertEquals("ProjectName", property.name());
        assertEquals(true, property.required());
        assertEquals(true, property.key());
        assertEquals(false, property.secret());
        assertEquals(true, property.queryable());
        assertEquals("String", property.typeAsString());
        assertTrue(property.description().length() <= 160);
        assertEquals(0, request.inputArtifactDetails().minimumCount());
        assertEquals(5, request.inputArtifactDetails().maximumCount());
        assertEquals(0, request.outputArtifactDetails().minimumCount());
        assertEquals(5, request.outputArtifactDetails().maximumCount());
    }

    @Test
    void jsonIsTheCliInputOfTheSameDefinition() {
        String json = CustomActionTypeDefinition.json(TYPE, URI.create("https://jenkins.example.com/"), "Service");
        String expected = """
                {
                  "category" : "Build",
                  "provider" : "Jenkins",
                  "version" : "1",
                  "settings" : {
                    "entityUrlTemplate" : "https://jenkins.example.com/codepipeline/project/{Config:Service}",
                    "executionUrlTemplate" : "https://jenkins.example.com/codepipeline/build/{ExternalExecutionId}"
                  },
                  "configurationProperties" : [ {
                    "name" : "Service",
                    "required" : true,
                    "key" : true,
                    "secret" : false,
                    "queryable" : true,
                    "description" : "The Service of the Jenkins trigger that runs this action: 1-20 letters, digits, \
                _ or -",
                    "type" : "String"
                  } ],
                  "inputArtifactDetails" : {
                    "minimumCount" : 0,
                    "maximumCount" : 5
                  },
                  "outputArtifactDetails" : {
                    "minimumCount" : 0,
                    "maximumCount" : 5
                  }
                }""";
        assertEquals(expected.replace("\n", System.lineSeparator()) + System.lineSeparator(), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://jenkins.example.com/", "jenkins.example.com", "https://user@jenkins.example.com/",
            "https://jenkins.example.com/?a=b", "https://jenkins.example.com/#top"})
    void onlyAnHttpRootUrlIsAccepted(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CustomActionTypeDefinition.request(TYPE, URI.create(url), null));
        assertTrue(e.getMessage().startsWith("jenkinsUrl '" + url + "' is not an http(s) URL with a host"),
                e.getMessage());
    }

    @Test
    void aBadQueryNameIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CustomActionTypeDefinition.request(TYPE,
                URI.create("https://jenkins.example.com/"), "Project Name")).getMessage()
                .startsWith("query property name 'Project Name' may hold only"));
    }
}
