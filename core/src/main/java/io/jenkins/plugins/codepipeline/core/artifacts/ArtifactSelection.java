package io.jenkins.plugins.codepipeline.core.artifacts;

import io.jenkins.plugins.codepipeline.core.worker.JobArtifact;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which artifacts a transfer moves, checked against the job before anything is sent: a name the job does not have, a
 * name given twice, or a declared output left out is refused with a message that names it, lists the job's artifacts
 * and says what to do. Names are compared exactly, as CodePipeline does.
 */
public final class ArtifactSelection {
    private ArtifactSelection() {
    }

    /**
     * The input artifacts to download.
     *
     * @param jobInputs the job's input artifacts, in the job's order
     * @param names     the artifacts asked for; null or empty for all of them
     * @return all of {@code jobInputs} when no names are given; else the named ones, in the given order
     * @throws IllegalArgumentException for a name that is not one of the job's input artifacts, a blank name or one
     *                                  given twice
     */
    public static List<JobArtifact> inputs(List<JobArtifact> jobInputs, List<String> names) {
        List<JobArtifact> declared = jobInputs == null ? List.of() : jobInputs;
        if (names == null || names.isEmpty()) {
            return List.copyOf(declared);
        }
        Map<String, JobArtifact> byName = byName(declared);
        Set<String> seen = new HashSet<>();
        List<JobArtifact> selected = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("An input artifact name is blank. Give the names of the job's "
                        + "input artifacts (" + list(declared) + "), or none to get all of them.");
            }
            JobArtifact artifact = byName.get(name);
            if (artifact == null) {
                throw new IllegalArgumentException("The job has no input artifact '" + name + "'"
                        + (declared.isEmpty() ? "; it has no input artifacts at all. Check the action's input "
                                + "artifacts in the pipeline, or ask for none."
                                : ". Its input artifacts are " + list(declared) + ". Check the name (names are "
                                + "case-sensitive) or ask for none to get all of them."));
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("The input artifact '" + name + "' is named twice. Name each "
                        + "artifact once.");
            }
            selected.add(artifact);
        }
        return List.copyOf(selected);
    }

    /**
     * The output artifacts to upload, each with the path it is uploaded from.
     *
     * @param jobOutputs  the job's output artifacts, in the job's order
     * @param pathsByName artifact name to path, as given (the map cannot hold a name twice; see
     *                    {@link #outputs(List, List)} for a list of pairs that may)
     * @return the pairs in the job's order
     * @throws IllegalArgumentException for a name the job does not declare, a declared output left out, or a blank
     *                                  path
     */
    public static List<Map.Entry<JobArtifact, String>> outputs(List<JobArtifact> jobOutputs,
            Map<String, String> pathsByName) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (pathsByName != null) {
            pairs.addAll(pathsByName.entrySet());
        }
        return outputs(jobOutputs, pairs);
    }

    /**
     * As {@link #outputs(List, Map)}, for name/path pairs as given in a list (a name given twice is refused).
     */
    public static List<Map.Entry<JobArtifact, String>> outputs(List<JobArtifact> jobOutputs,
            List<Map.Entry<String, String>> pathsByName) {
        List<JobArtifact> declared = jobOutputs == null ? List.of() : jobOutputs;
        Map<String, JobArtifact> byName = byName(declared);
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : pathsByName == null ? List.<Map.Entry<String, String>>of()
                : pathsByName) {
            String name = pair.getKey();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("An output artifact name is blank. Give each of the job's output "
                        + "artifacts (" + list(declared) + ") with the path to upload.");
            }
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("The job declares no output artifact '" + name + "'"
                        + (declared.isEmpty() ? "; it declares no output artifacts at all, so there is nothing to "
                                + "upload. Check the action's output artifacts in the pipeline."
                                : ". Its output artifacts are " + list(declared) + ". Check the name (names are "
                                + "case-sensitive)."));
            }
            if (given.containsKey(name)) {
                throw new IllegalArgumentException("The output artifact '" + name + "' is given twice. Give each "
                        + "output artifact once, with one path.");
            }
            String path = pair.getValue();
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("The output artifact '" + name + "' has no path. Give the "
                        + "directory (zipped) or file (sent as is) to upload as '" + name + "'.");
            }
            given.put(name, path);
        }
        List<String> missing = missingOutputs(names(declared), given.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The job declares the output " + plural(missing.size())
                    + " " + quoted(missing) + " but no path was given for " + (missing.size() == 1 ? "it" : "them")
                    + ". Every declared output artifact must be uploaded (the job declares " + list(declared)
                    + "): give a directory or file for each.");
        }
        List<Map.Entry<JobArtifact, String>> selected = new ArrayList<>();
        for (JobArtifact artifact : declared) {
            selected.add(new AbstractMap.SimpleImmutableEntry<>(artifact, given.get(artifact.name())));
        }
        return List.copyOf(selected);
    }

    /** The names of {@code declared} that are not in {@code uploaded}, in the order of {@code declared}. */
    public static List<String> missingOutputs(List<String> declared, Collection<String> uploaded) {
        List<String> missing = new ArrayList<>();
        if (declared == null) {
            return missing;
        }
        for (String name : declared) {
            if ((uploaded == null || !uploaded.contains(name)) && !missing.contains(name)) {
                missing.add(name);
            }
        }
        return List.copyOf(missing);
    }

    private static Map<String, JobArtifact> byName(List<JobArtifact> artifacts) {
        Map<String, JobArtifact> byName = new LinkedHashMap<>();
        for (JobArtifact artifact : artifacts) {
            byName.putIfAbsent(artifact.name(), artifact);
        }
        return byName;
    }

    private static List<String> names(List<JobArtifact> artifacts) {
        return artifacts.stream().map(JobArtifact::name).toList();
    }

    private static String list(List<JobArtifact> artifacts) {
        return artifacts.isEmpty() ? "none" : quoted(names(artifacts));
    }

    private static String quoted(List<String> names) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        return s.toString();
    }

    private static String plural(int count) {
        return count == 1 ? "artifact" : "artifacts";
    }
}
