package io.jenkins.plugins.codepipeline.core.variables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentVariableSelectorTest {

    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("GIT_COMMIT", "abc123"),
            Map.entry("GIT_BRANCH", "main"),
            Map.entry("GIT_URL", "https://example.com/r.git"),
            Map.entry("BUILD_NUMBER", "7"),
            Map.entry("BUILD_ID", "7"),
            Map.entry("git_lower", "x"),
            Map.entry("A.B", "dot"),
            Map.entry("AxB", "not a dot"),
            Map.entry("X+Y", "plus"),
            Map.entry("XXY", "not a plus"),
            Map.entry("P(1)", "paren"),
            Map.entry("Q\\E", "quote end"),
            Map.entry("TOKEN", "s3cr3t-VALUE"));

    private static LinkedHashMap<String, String> select(String... selectors) throws VariablesSourceException {
        return EnvironmentVariableSelector.select(ENV, Arrays.asList(selectors));
    }

    @Test
    void exactNamesInSelectorOrder() throws Exception {
        LinkedHashMap<String, String> vars = select("GIT_COMMIT", "BUILD_NUMBER");
        assertEquals(List.of("GIT_COMMIT", "BUILD_NUMBER"), List.copyOf(vars.keySet()));
        assertEquals("abc123", vars.get("GIT_COMMIT"));
        assertEquals("7", vars.get("BUILD_NUMBER"));
    }

    @Test
    void globMatchesWholeNamesSortedCaseSensitively() throws Exception {
        LinkedHashMap<String, String> vars = select("BUILD_NUMBER", "GIT_*");
        assertEquals(List.of("BUILD_NUMBER", "GIT_BRANCH", "GIT_COMMIT", "GIT_URL"), List.copyOf(vars.keySet()));
        assertEquals(List.of(), List.copyOf(select("IT_*").keySet()), "a glob must match the whole name");
        assertEquals(List.of("GIT_URL"), List.copyOf(select("*URL").keySet()));
        assertEquals(List.of("GIT_BRANCH", "GIT_COMMIT"), List.copyOf(select("G*T*C*").keySet()));
    }

    @Test
    void questionMarkIsExactlyOneCharacter() throws Exception {
        assertEquals(List.of("BUILD_ID"), List.copyOf(select("BUILD_I?").keySet()));
        assertEquals(List.of(), List.copyOf(select("BUILD_?").keySet()));
        assertEquals(List.of("A.B", "AxB"), List.copyOf(select("A?B").keySet()));
    }

    @Test
    void nameSelectedTwiceKeepsItsFirstPosition() throws Exception {
        assertEquals(List.of("GIT_URL", "GIT_BRANCH", "GIT_COMMIT"), List.copyOf(select("GIT_URL", "GIT_*").keySet()));
    }

    @Test
    void regexMetacharactersAreLiteral() throws Exception {
        assertEquals(Map.of("A.B", "dot"), select("A.B"));
        assertEquals(List.of("A.B"), List.copyOf(select("A.*").keySet()), "the dot of A.* is no regex dot");
        assertEquals(List.of("X+Y"), List.copyOf(select("X+*").keySet()));
        assertEquals(List.of("P(1)"), List.copyOf(select("P(*)").keySet()));
        assertEquals(List.of("Q\\E"), List.copyOf(select("Q\\*").keySet()));
        assertEquals(List.of("Q\\E"), List.copyOf(select("Q\\E*").keySet()));
        assertTrue(EnvironmentVariableSelector.globToPattern("X+Y*").matcher("X+Y1").matches());
        assertFalse(EnvironmentVariableSelector.globToPattern("X+Y*").matcher("XXY1").matches());
    }

    @Test
    void allMissingNamesAreReportedWithoutValues() {
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> select("GIT_COMMIT", "MISSING_ONE", "TOKEN", "GIT_*", "MISSING_TWO", "git_commit"));
        assertEquals("environment variable MISSING_ONE is not set\n"
                + "environment variable MISSING_TWO is not set\n"
                + "environment variable git_commit is not set", e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void nullValueCountsAsNotSet() {
        Map<String, String> env = new HashMap<>();
        env.put("EMPTY", "");
        env.put("NULL", null);
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> EnvironmentVariableSelector.select(env, List.of("EMPTY", "NULL")));
        assertEquals("environment variable NULL is not set", e.getMessage());
    }

    @Test
    void blankSelectorsAreErrors() {
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> select("GIT_COMMIT", " ", "NOPE", "", null));
        assertEquals("environment variable selector #2 is blank\n"
                + "environment variable NOPE is not set\n"
                + "environment variable selector #4 is blank\n"
                + "environment variable selector #5 is blank", e.getMessage());
    }

    @Test
    void globMatchingNothingIsNoErrorButIsReported() throws Exception {
        List<String> selectors = List.of("NOTHING_*", "GIT_*", "BUILD_I?", "NONE?", "GIT_COMMIT", "MISSING");
        assertEquals(List.of("NOTHING_*", "NONE?"), EnvironmentVariableSelector.globsMatchingNothing(ENV, selectors));
        assertEquals(Map.of(), select("NOTHING_*"));
    }

    @Test
    void emptyInputs() throws Exception {
        assertEquals(Map.of(), select());
        assertEquals(Map.of(), EnvironmentVariableSelector.select(Map.of(), List.of("*")));
        assertEquals(List.of("*"), EnvironmentVariableSelector.globsMatchingNothing(Map.of(), List.of("*")));
    }

    @Test
    void isGlob() {
        assertTrue(EnvironmentVariableSelector.isGlob("A*"));
        assertTrue(EnvironmentVariableSelector.isGlob("A?"));
        assertFalse(EnvironmentVariableSelector.isGlob("A.B[0]+"));
    }
}
