package io.jenkins.plugins.codepipeline.core.variables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputVariablesMergerTest {

    private static final String SECRET = "s3cr3t-VALUE";

    private static LinkedHashMap<String, String> ordered(String... keysAndValues) {
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void mergesInFirstOccurrenceOrder() throws Exception {
        LinkedHashMap<String, String> merged = new OutputVariablesMerger()
                .add("map argument", ordered("Z", "1", "A", "2"))
                .add("file a.env", ordered("M", "3", "Z", "1"))
                .add("environment", ordered("B", "4", "A", "2"))
                .merge();
        assertEquals(List.of("Z", "A", "M", "B"), List.copyOf(merged.keySet()));
        assertEquals(Map.of("Z", "1", "A", "2", "M", "3", "B", "4"), merged);
    }

    @Test
    void noSources() throws Exception {
        assertEquals(Map.of(), new OutputVariablesMerger().merge());
        assertEquals(Map.of(), new OutputVariablesMerger().add("empty", Map.of()).merge());
    }

    @Test
    void conflictIsAnErrorWithoutValues() {
        OutputVariablesMerger merger = new OutputVariablesMerger()
                .add("map argument", ordered("IMAGE_TAG", "1.0"))
                .add("file build/outputs.env", ordered("IMAGE_TAG", SECRET));
        VariablesSourceException e = assertThrows(VariablesSourceException.class, merger::merge);
        assertEquals("output variable \"IMAGE_TAG\" is defined differently by map argument and file"
                + " build/outputs.env; define it in one place", e.getMessage());
    }

    @Test
    void everyConflictIsReported() {
        OutputVariablesMerger merger = new OutputVariablesMerger()
                .add("map argument", ordered("A", SECRET, "B", "b", "OK", "same"))
                .add("file one.env", ordered("B", SECRET + "2", "OK", "same", "C", "c"))
                .add("file two.json", ordered("A", "other", "C", SECRET, "OK", "same"))
                .add("environment", ordered("A", SECRET));
        VariablesSourceException e = assertThrows(VariablesSourceException.class, merger::merge);
        assertEquals(List.of(
                "output variable \"A\" is defined differently by map argument, file two.json and environment;"
                        + " define it in one place",
                "output variable \"B\" is defined differently by map argument and file one.env;"
                        + " define it in one place",
                "output variable \"C\" is defined differently by file one.env and file two.json;"
                        + " define it in one place"),
                e.getMessage().lines().toList());
        assertFalse(e.getMessage().contains("s3cr3t"));
        assertFalse(e.getMessage().contains("OK"));
    }

    @Test
    void emptyAndNonEmptyValuesConflict() {
        OutputVariablesMerger merger = new OutputVariablesMerger()
                .add("a", ordered("K", ""))
                .add("b", ordered("K", " "));
        assertThrows(VariablesSourceException.class, merger::merge);
    }

    @Test
    void nullKeysAndValuesNameTheSource() {
        Map<String, String> withNulls = new HashMap<>();
        withNulls.put(null, SECRET);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("K", null);
        OutputVariablesMerger merger = new OutputVariablesMerger()
                .add("map argument", withNulls)
                .add("file x.env", nullValue);
        VariablesSourceException e = assertThrows(VariablesSourceException.class, merger::merge);
        assertEquals("map argument has an output variable with a null name\n"
                + "output variable \"K\" of file x.env has a null value", e.getMessage());
    }

    @Test
    void laterChangesToAnAddedMapAreNotSeen() throws Exception {
        LinkedHashMap<String, String> map = ordered("A", "1");
        OutputVariablesMerger merger = new OutputVariablesMerger().add("map argument", map);
        map.put("B", "2");
        assertEquals(Map.of("A", "1"), merger.merge());
    }

    @Test
    void mergeCanBeRepeatedAndReturnsAFreshMap() throws Exception {
        OutputVariablesMerger merger = new OutputVariablesMerger().add("a", ordered("A", "1"));
        LinkedHashMap<String, String> first = merger.merge();
        first.put("X", "y");
        assertEquals(Map.of("A", "1"), merger.merge());
    }
}
