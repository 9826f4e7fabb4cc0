package io.jenkins.plugins.codepipeline.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The custom action types of {@link FakeCodePipeline}, per region, as ListActionTypes answers them. Filled by
 * {@link FakeCodePipeline#addActionType} and CreateCustomActionType; thread-safe.
 */
final class FakeActionTypeStore {

    /** An action type id as CodePipeline names it; {@link #from} checks it as the service model does. */
    record TypeId(String category, String owner, String provider, String version) {
        static final List<String> CATEGORIES =
                List.of("Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute");
        static final List<String> OWNERS = List.of("AWS", "ThirdParty", "Custom");
        private static final Pattern NAME = Pattern.compile("[0-9A-Za-z_-]+");

        /** From an {@code ActionTypeId} member ({@code category}, {@code owner}, {@code provider}, {@code version}). */
        static TypeId from(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                throw FakeApiException.validation(null, path, "not be null");
            }
            return of(node, path + ".", "owner");
        }

        /** From the members of a CreateCustomActionType or DeleteCustomActionType request; the owner is Custom. */
        static TypeId fromRequest(JsonNode body) {
            return of(body, "", null);
        }

        private static TypeId of(JsonNode node, String prefix, String ownerMember) {
            String category = text(node, "category");
            String owner = ownerMember == null ? "Custom" : text(node, ownerMember);
            String provider = text(node, "provider");
            String version = text(node, "version");
            check(category != null && CATEGORIES.contains(category), category, prefix + "category",
                    "satisfy enum value set: " + CATEGORIES);
            check(owner != null && OWNERS.contains(owner), owner, prefix + "owner",
                    "satisfy enum value set: " + OWNERS);
            check(provider != null && provider.length() <= 35 && NAME.matcher(provider).matches(), provider,
                    prefix + "provider", "have length between 1 and 35 and match pattern " + NAME);
            check(version != null && version.length() <= 9 && NAME.matcher(version).matches(), version,
                    prefix + "version", "have length between 1 and 9 and match pattern " + NAME);
            return new TypeId(category, owner, provider, version);
        }

        private static void check(boolean ok, String value, String path, String constraint) {
            if (!ok) {
                throw FakeApiException.validation(value, path, value == null ? "not be null" : constraint);
            }
        }

        String describe() {
            return category + "/" + owner + "/" + provider + "/" + version;
        }

        ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("category", category).put("owner", owner).put("provider", provider).put("version", version);
            return node;
        }
    }

    private final Map<String, ObjectNode> types = new LinkedHashMap<>(); // region + " " + type -> ActionType

    private static String key(String region, TypeId type) {
        return region + " " + type.describe();
    }

    /** Adds or replaces a type, as a test sets it up. */
    synchronized void put(String region, String category, String provider, String version,
            Map<String, Boolean> propertiesSecret) {
        TypeId type = new TypeId(category, "Custom", provider, version);
        ObjectNode actionType = JsonNodeFactory.instance.objectNode();
        actionType.set("id", type.toJson());
        actionType.putObject("settings");
        ArrayNode properties = actionType.putArray("actionConfigurationProperties");
        if (propertiesSecret != null) {
            propertiesSecret.forEach((name, secret) -> {
                boolean queryable = !secret && FakeCodePipeline.QUERYABLE_PROPERTY.equals(name);
                properties.addObject().put("name", name).put("required", queryable).put("key", true)
                        .put("secret", secret).put("queryable", queryable).put("description", name + " (fake)")
                        .put("type", "String");
            });
        }
        actionType.putObject("inputArtifactDetails").put("minimumCount", 0).put("maximumCount", 5);
        actionType.putObject("outputArtifactDetails").put("minimumCount", 0).put("maximumCount", 5);
        types.put(key(region, type), actionType);
    }

    /** CreateCustomActionType: validates like the referee does, stores and answers the type. */
    synchronized ObjectNode create(String region, JsonNode body) {
        TypeId type = TypeId.fromRequest(body);
        JsonNode in = body.get("inputArtifactDetails");
        JsonNode out = body.get("outputArtifactDetails");
        checkArtifactDetails(in, "inputArtifactDetails");
        checkArtifactDetails(out, "outputArtifactDetails");
        JsonNode properties = body.path("configurationProperties");
        int queryable = 0;
        for (JsonNode property : properties) {
            for (String member : List.of("name", "required", "key", "secret")) {
                if (!property.hasNonNull(member)) {
                    throw FakeApiException.validation(null, "configurationProperties.member." + member,
                            "not be null");
                }
            }
            if (property.path("queryable").asBoolean(false)) {
                queryable++;
                if (!property.path("required").asBoolean() || property.path("secret").asBoolean()) {
                    throw new FakeApiException("ValidationException",
                            "A queryable property must be required and not secret.");
                }
            }
        }
        if (queryable > 1) {
            throw new FakeApiException("ValidationException",
                    "An action type can have at most one queryable property.");
        }
        String key = key(region, type);
        if (types.containsKey(key)) {
            throw new FakeApiException("ValidationException", "Action type " + type.describe() + " already exists.");
        }
        ObjectNode actionType = JsonNodeFactory.instance.objectNode();
        actionType.set("id", type.toJson());
        actionType.set("settings", body.has("settings") ? body.get("settings").deepCopy()
                : JsonNodeFactory.instance.objectNode());
        actionType.set("actionConfigurationProperties", properties.isArray() ? properties.deepCopy()
                : JsonNodeFactory.instance.arrayNode());
        actionType.set("inputArtifactDetails", in.deepCopy());
        actionType.set("outputArtifactDetails", out.deepCopy());
        types.put(key, actionType);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("actionType", actionType.deepCopy());
        answer.set("tags", body.has("tags") ? body.get("tags").deepCopy() : JsonNodeFactory.instance.arrayNode());
        return answer;
    }

    private static void checkArtifactDetails(JsonNode details, String path) {
        if (details == null || !details.isObject()) {
            throw FakeApiException.validation(null, path, "not be null");
        }
        for (String member : List.of("minimumCount", "maximumCount")) {
            JsonNode count = details.get(member);
            if (count == null || !count.isInt()) {
                throw FakeApiException.validation(null, path + "." + member, "not be null");
            }
            if (count.asInt() < 0 || count.asInt() > 5) {
                throw FakeApiException.validation(count.asInt(), path + "." + member,
                        "have value between 0 and 5");
            }
        }
    }

    /** ListActionTypes in a region; {@code owner} null = every owner. */
    synchronized ObjectNode list(String region, String owner) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode list = answer.putArray("actionTypes");
        types.forEach((key, type) -> {
            String typeOwner = type.path("id").path("owner").asText();
            if (key.startsWith(region + " ") && (owner == null || owner.equals(typeOwner))) {
                list.add(type.deepCopy());
            }
        });
        return answer;
    }

    /** DeleteCustomActionType. */
    synchronized void delete(String region, JsonNode body) {
        TypeId type = TypeId.fromRequest(body);
        if (types.remove(key(region, type)) == null) {
            throw new FakeApiException("ActionTypeNotFoundException",
                    "Action type " + type.describe() + " was not found.");
        }
    }

    synchronized boolean contains(String region, TypeId type) {
        return types.containsKey(key(region, type));
    }

    static String text(JsonNode node, String member) {
        JsonNode value = node == null ? null : node.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }
}
