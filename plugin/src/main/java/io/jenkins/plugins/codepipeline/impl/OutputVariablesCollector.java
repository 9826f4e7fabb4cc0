package io.jenkins.plugins.codepipeline.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Util;
import hudson.model.TaskListener;
import io.jenkins.plugins.codepipeline.OutputVariable;
import io.jenkins.plugins.codepipeline.core.variables.EnvironmentVariableSelector;
import io.jenkins.plugins.codepipeline.core.variables.OutputVariablesMerger;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileParser;
import io.jenkins.plugins.codepipeline.core.variables.VariablesSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers output variables from a step's or publisher's sources, in this order: the map and the name/value list
 * (a name in both is an error), the workspace file (read through {@link FilePath}, so on any agent), then the
 * environment variables chosen by name or glob. A name defined differently by two sources is an error.
 */
public final class OutputVariablesCollector {
    private OutputVariablesCollector() {
    }

    /** The sources as the user gave them. */
    public record Sources(@CheckForNull Map<String, String> map, @CheckForNull List<OutputVariable> list,
            @CheckForNull String file, @CheckForNull String fileFormat, @CheckForNull List<String> fromEnvironment) {

        /** True when a file must be read, so a workspace is needed. */
        public boolean needsWorkspace() {
            return Util.fixEmptyAndTrim(file) != null;
        }
    }

    public static LinkedHashMap<String, String> collect(Sources sources, Map<String, String> environment,
            @CheckForNull FilePath workspace, TaskListener listener) throws IOException, InterruptedException {
        try {
            OutputVariablesMerger merger = new OutputVariablesMerger();
            merger.add("the step's arguments", arguments(sources));
            String file = Util.fixEmptyAndTrim(sources.file());
            if (file != null) {
                merger.add("file " + file, readFile(file, sources.fileFormat(), workspace));
            }
            List<String> selectors = sources.fromEnvironment();
            if (selectors != null && !selectors.isEmpty()) {
                merger.add("the environment", EnvironmentVariableSelector.select(environment, selectors));
                for (String glob : EnvironmentVariableSelector.globsMatchingNothing(environment, selectors)) {
                    listener.getLogger().println("[CodePipeline] Warning: no environment variable matches '" + glob + "'");
                }
            }
            return merger.merge();
        } catch (VariablesSourceException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    private static Map<String, String> arguments(Sources sources) throws AbortException {
        Map<String, String> arguments = new LinkedHashMap<>();
        if (sources.map() != null) {
            arguments.putAll(sources.map());
        }
        if (sources.list() != null) {
            for (OutputVariable variable : sources.list()) {
                if (arguments.containsKey(variable.getName())) {
                    throw new AbortException("Output variable '" + variable.getName() + "' is given twice, in "
                            + "outputVariables and in outputVariableList (or twice in the list); give it once.");
                }
                arguments.put(variable.getName(), variable.getValue());
            }
        }
        return arguments;
    }

    private static Map<String, String> readFile(String file, @CheckForNull String format, @CheckForNull FilePath workspace)
            throws IOException, InterruptedException, VariablesSourceException {
        if (workspace == null) {
            throw new AbortException("outputVariablesFile '" + file + "' is read from the workspace, and there is "
                    + "none here: report inside node { }, or leave the file out.");
        }
        FilePath path = workspace.child(file);
        if (!path.exists()) {
            throw new AbortException("outputVariablesFile '" + file + "' does not exist in the workspace "
                    + workspace.getRemote() + ".");
        }
        String content;
        try (InputStream in = path.read()) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        VariablesFileFormat chosen = Util.fixEmptyAndTrim(format) == null
                ? VariablesFileFormat.AUTO : VariablesFileFormat.fromName(format);
        return VariablesFileParser.parse(file, content, chosen);
    }
}
