package io.jenkins.plugins.codepipeline.core.variables;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merges output variables from several sources.
 *
 * <p>Add the sources in this order: the explicit map first, then the variables files in the order they were
 * given, then the environment selections. That order only decides the order of the keys in the result (first
 * occurrence wins the position): no source overrides another. A key that two sources define with different values
 * is a conflict, and every conflict is reported in one {@link VariablesSourceException} (naming keys and sources,
 * never values). A key defined with the same value by several sources is kept once.
 *
 * <p>Not thread-safe.
 */
public final class OutputVariablesMerger {

    private record Source(String description, List<Map.Entry<String, String>> entries) {
    }

    private final List<Source> sources = new ArrayList<>();

    /**
     * Adds a source. The map is copied now; null keys and values are reported by {@link #merge()}.
     *
     * @param sourceDescription how messages name the source, e.g. {@code map argument} or {@code file a.env}
     * @param variables its variables, in its order
     * @return this
     */
    public OutputVariablesMerger add(String sourceDescription, Map<String, String> variables) {
        Objects.requireNonNull(sourceDescription, "sourceDescription");
        Objects.requireNonNull(variables, "variables");
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (Map.Entry<String, String> entry : variables.entrySet()) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
        }
        sources.add(new Source(sourceDescription, entries));
        return this;
    }

    /**
     * The merged variables, in order of first occurrence.
     *
     * @throws VariablesSourceException listing every conflict and every null key or value
     */
    public LinkedHashMap<String, String> merge() throws VariablesSourceException {
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        Map<String, List<String>> definedBy = new LinkedHashMap<>();
        Set<String> conflicting = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (Source source : sources) {
            for (Map.Entry<String, String> entry : source.entries()) {
                String key = entry.getKey();
                if (key == null) {
                    errors.add(source.description() + " has an output variable with a null name");
                    continue;
                }
                if (entry.getValue() == null) {
                    errors.add("output variable \"" + key + "\" of " + source.description() + " has a null value");
                    continue;
                }
                List<String> sourcesOfKey = definedBy.computeIfAbsent(key, k -> new ArrayList<>());
                if (!sourcesOfKey.contains(source.description())) {
                    sourcesOfKey.add(source.description());
                }
                String existing = result.putIfAbsent(key, entry.getValue());
                if (existing != null && !existing.equals(entry.getValue())) {
                    conflicting.add(key);
                }
            }
        }
        for (String key : result.keySet()) { // conflicts in the order of the keys
            if (!conflicting.contains(key)) {
                continue;
            }
            errors.add("output variable \"" + key + "\" is defined differently by " + list(definedBy.get(key))
                    + "; define it in one place");
        }
        if (!errors.isEmpty()) {
            throw new VariablesSourceException(String.join("\n", errors));
        }
        return result;
    }

    private static String list(List<String> items) {
        if (items.size() == 1) {
            return items.get(0); // the same source gave two values (two adds with one description)
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
