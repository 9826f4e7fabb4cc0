package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ActionTypeId, JobQuery and PollKey: what is accepted, and what the refusals say. */
class NamesValidationTest {

    @Test
    void actionTypeDescribesItselfAsTheConsoleDoesAndIsAlwaysCustom() {
        ActionTypeId type = new ActionTypeId("build", " Jenkins ", "1");
        assertEquals("Build", type.category());
        assertEquals("Jenkins", type.provider());
        assertEquals("Build/Custom/Jenkins/1", type.describe());
        var sdk = type.toSdk();
        assertEquals("Custom", sdk.ownerAsString());
        assertEquals("Build", sdk.categoryAsString());
        assertEquals(type, ActionTypeId.fromSdk(sdk));
        assertEquals(type.hashCode(), new ActionTypeId("Build", "Jenkins", "1").hashCode());
    }

    @Test
    void everyServiceCategoryIsAccepted() {
        for (String category : ActionTypeId.CATEGORIES) {
            assertEquals(category, new ActionTypeId(category, "P", "1").category());
        }
    }

    /** The categories are the SDK's service model's, in the console's order. */
    @Test
    void theCategoriesAreTheServiceModels() {
        assertEquals(java.util.List.of("Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"),
                ActionTypeId.CATEGORIES);
        assertEquals(software.amazon.awssdk.services.codepipeline.model.ActionCategory.knownValues().size(),
                ActionTypeId.CATEGORIES.size());
    }

    @Test
    void anUnknownCategoryIsRefusedNamingTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ActionTypeId("Compile", "Jenkins", "1"));
        assertEquals("category 'Compile' is not an action category of CodePipeline; give one of Source, Build, "
                + "Deploy, Test, Invoke, Approval, Compute, the category the custom action type was created with",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ActionTypeId(null, "Jenkins", "1"))
                .getMessage().startsWith("category is missing; give one of Source"));
    }

    @Test
    void providerAndVersionLimitsAreTheServiceModels() {
        assertEquals("x".repeat(35), new ActionTypeId("Build", "x".repeat(35), "1").provider());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> new ActionTypeId("Build", "x".repeat(36), "1"));
        assertTrue(tooLong.getMessage().startsWith("provider '" + "x".repeat(36) + "' has 36 characters, more than "
                + "the limit of 35"), tooLong.getMessage());

        assertEquals("123456789", new ActionTypeId("Build", "Jenkins", "123456789").version());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ActionTypeId("Build", "Jenkins", "1234567890")).getMessage()
                .contains("more than the limit of 9"));

        IllegalArgumentException badChars = assertThrows(IllegalArgumentException.class,
                () -> new ActionTypeId("Build", "My Jenkins", "1"));
        assertEquals("provider 'My Jenkins' may hold only letters, digits, _ and - (1–35 characters); give one such "
                + "as Jenkins", badChars.getMessage());
        assertEquals("version is missing; give 1–9 letters, digits, _ and -, such as 1",
                assertThrows(IllegalArgumentException.class, () -> new ActionTypeId("Build", "Jenkins", " "))
                        .getMessage());
    }

    @Test
    void queryDefaultsItsNameAndTakesEveryJobWithoutAValue() {
        JobQuery all = new JobQuery(" ", "  ");
        assertEquals(JobQuery.DEFAULT_NAME, all.name());
        assertNull(all.value());
        assertTrue(all.matchesAll());
        assertEquals(Map.of(), all.toQueryParam());
        assertEquals("every job", all.describe());

        JobQuery app = new JobQuery(null, "app");
        assertEquals(Map.of("ProjectName", "app"), app.toQueryParam());
        assertEquals("ProjectName=app", app.describe());
        assertEquals(new JobQuery("Service", "api-2"), JobQuery.parse("Service=api-2"));
        assertEquals(app, JobQuery.parse("app"));
        assertEquals(JobQuery.all(), JobQuery.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder/app", "my app", "app.1", "ünï"})
    void queryValuesOutsideTheQueryableAlphabetAreRefused(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JobQuery(null, value));
        assertTrue(e.getMessage().startsWith("query value (ProjectName) '" + value + "' may hold only letters, digits,"
                + " _ and - (1–20 characters)"), e.getMessage());
    }

    @Test
    void queryLimitsAre20ForValuesAnd50ForNames() {
        assertEquals("v".repeat(20), new JobQuery(null, "v".repeat(20)).value());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new JobQuery(null, "v".repeat(21)))
                .getMessage().contains("has 21 characters, more than the limit of 20"));
        assertEquals("n".repeat(50), new JobQuery("n".repeat(50), "a").name());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new JobQuery("n".repeat(51), "a"))
                .getMessage().startsWith("query property name"));
    }

    @Test
    void pollKeysDescribeThemselvesAndAreEqualByValue() {
        ConnectionSettings settings = ConnectionSettings.builder().region("eu-west-1").build();
        PollKey key = new PollKey(settings, "folder/x::cp-worker", new ActionTypeId("Build", "Jenkins", "1"),
                new JobQuery(null, "app"));
        assertEquals("Build/Custom/Jenkins/1 ProjectName=app in eu-west-1", key.describe());
        PollKey same = new PollKey(ConnectionSettings.builder().region("eu-west-1").build(), "folder/x::cp-worker",
                new ActionTypeId("build", "Jenkins", "1"), JobQuery.parse("ProjectName=app"));
        assertEquals(key, same);
        assertEquals(key.hashCode(), same.hashCode());
        assertTrue(!key.equals(new PollKey(settings, "other::cp-worker", key.actionType(), key.query())));
        assertEquals(JobQuery.all(), new PollKey(settings, null, key.actionType(), null).query());
    }
}
