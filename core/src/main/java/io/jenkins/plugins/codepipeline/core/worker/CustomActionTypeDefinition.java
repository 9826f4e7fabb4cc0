package io.jenkins.plugins.codepipeline.core.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationProperty;
import software.amazon.awssdk.services.codepipeline.model.ActionConfigurationPropertyType;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeSettings;
import software.amazon.awssdk.services.codepipeline.model.ArtifactDetails;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeRequest;

/**
 * The custom action type Jenkins answers, as CreateCustomActionType takes it: one required, queryable, non-secret
 * key property (the query name) and links into Jenkins. A queryable value is at most 20 characters of
 * {@code [A-Za-z0-9_-]}, so the links go through the plugin's redirects, which find the job and the build:
 * {@code <jenkins>/codepipeline/project/{Config:<queryName>}} and
 * {@code <jenkins>/codepipeline/build/{ExternalExecutionId}}.
 */
public final class CustomActionTypeDefinition {
    public static final int ARTIFACTS_MAX = 5;
    /** The service model's limit on a URL template. */
    public static final int URL_TEMPLATE_MAX = 2048;
    private static final JsonFactory JSON = new JsonFactory();

    private CustomActionTypeDefinition() {
    }

    /**
     * @param jenkinsUrl Jenkins' root URL, http or https; a missing trailing {@code /} is added
     * @param queryName  the queryable property's name; null or blank for {@link JobQuery#DEFAULT_NAME}
     */
    public static CreateCustomActionTypeRequest request(ActionTypeId type, URI jenkinsUrl, String queryName) {
        String name = new JobQuery(queryName, null).name();
        String root = root(jenkinsUrl);
        String entity = root + "codepipeline/project/{Config:" + name + "}";
        String execution = root + "codepipeline/build/{ExternalExecutionId}";
        if (entity.length() > URL_TEMPLATE_MAX) {
            throw new IllegalArgumentException("jenkinsUrl '" + Names.printable(jenkinsUrl.toString()) + "' makes a "
                    + "link template of " + entity.length() + " characters, more than CodePipeline's limit of "
                    + URL_TEMPLATE_MAX + "; give Jenkins' shorter root URL");
        }
        return CreateCustomActionTypeRequest.builder()
                .category(type.category())
                .provider(type.provider())
                .version(type.version())
                .settings(ActionTypeSettings.builder().entityUrlTemplate(entity).executionUrlTemplate(execution)
                        .build())
                .configurationProperties(ActionConfigurationProperty.builder()
                        .name(name).required(true).key(true).secret(false).queryable(true)
                        .description(description(name))
                        .type(ActionConfigurationPropertyType.STRING)
                        .build())
                .inputArtifactDetails(ArtifactDetails.builder().minimumCount(0).maximumCount(ARTIFACTS_MAX).build())
                .outputArtifactDetails(ArtifactDetails.builder().minimumCount(0).maximumCount(ARTIFACTS_MAX).build())
                .build();
    }

    /** The same definition as the JSON {@code aws codepipeline create-custom-action-type --cli-input-json} takes. */
    public static String json(ActionTypeId type, URI jenkinsUrl, String queryName) {
        CreateCustomActionTypeRequest request = request(type, jenkinsUrl, queryName);
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("category", request.categoryAsString());
            json.writeStringField("provider", request.provider());
            json.writeStringField("version", request.version());
            json.writeObjectFieldStart("settings");
            json.writeStringField("entityUrlTemplate", request.settings().entityUrlTemplate());
            json.writeStringField("executionUrlTemplate", request.settings().executionUrlTemplate());
            json.writeEndObject();
            json.writeArrayFieldStart("configurationProperties");
            for (ActionConfigurationProperty property : request.configurationProperties()) {
                json.writeStartObject();
                json.writeStringField("name", property.name());
                json.writeBooleanField("required", property.required());
                json.writeBooleanField("key", property.key());
                json.writeBooleanField("secret", property.secret());
                json.writeBooleanField("queryable", property.queryable());
                json.writeStringField("description", property.description());
                json.writeStringField("type", property.typeAsString());
                json.writeEndObject();
            }
            json.writeEndArray();
            writeArtifacts(json, "inputArtifactDetails", request.inputArtifactDetails());
            writeArtifacts(json, "outputArtifactDetails", request.outputArtifactDetails());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out + System.lineSeparator();
    }

    private static void writeArtifacts(JsonGenerator json, String field, ArtifactDetails details) throws IOException {
        json.writeObjectFieldStart(field);
        json.writeNumberField("minimumCount", details.minimumCount());
        json.writeNumberField("maximumCount", details.maximumCount());
        json.writeEndObject();
    }

    /** At most 160 characters, the model's limit on a property's description. */
    private static String description(String name) {
        String text = "The " + name + " of the Jenkins trigger that runs this action: 1-20 letters, digits, _ or -";
        return text.length() <= 160 ? text : text.substring(0, 160);
    }

    private static String root(URI url) {
        if (url == null) {
            throw new IllegalArgumentException("jenkinsUrl is missing; give Jenkins' root URL, such as "
                    + "https://jenkins.example.com/");
        }
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw new IllegalArgumentException("jenkinsUrl '" + Names.printable(url.toString()) + "' is not an "
                    + "http(s) URL with a host and no user, query or fragment; give Jenkins' root URL, such as "
                    + "https://jenkins.example.com/ (Manage Jenkins > System > Jenkins URL)");
        }
        String text = url.toString();
        return text.endsWith("/") ? text : text + "/";
    }
}
