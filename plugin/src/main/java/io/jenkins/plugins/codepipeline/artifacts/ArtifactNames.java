package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.util.FormValidation;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** What the artifact forms share: names typed as text, and the checks of directories and paths. */
final class ArtifactNames {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private ArtifactNames() {
    }

    /**
     * Names separated by commas, spaces or lines, blanks dropped; empty for none. A list (a JSON array posted instead of
     * the form's text) gives its elements, each split the same way.
     */
    static List<String> split(@CheckForNull Object text) {
        if (text == null) {
            return List.of();
        }
        if (text instanceof Collection<?> names) {
            return names.stream().flatMap(name -> split(name).stream()).toList();
        }
        return SEPARATORS.splitAsStream(text.toString()).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The {@code dir} of the input artifacts: blank, or a directory inside the workspace but not the workspace. */
    static FormValidation checkInputDir(@CheckForNull String value) {
        String dir = Util.fixEmptyAndTrim(value);
        if (dir == null) {
            return FormValidation.ok("Blank: each artifact goes into " + WorkspacePaths.DEFAULT_INPUT_ROOT
                    + "/<artifact name>.");
        }
        if (dir.contains("${")) {
            return FormValidation.ok();
        }
        try {
            if (WorkspacePaths.relative(dir, "The directory").isEmpty()) {
                return FormValidation.error("This is the workspace itself, which would be emptied. Give a directory "
                        + "inside the workspace.");
            }
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** The path of an output artifact: inside the workspace. */
    static FormValidation checkOutputPath(@CheckForNull String value) {
        String path = Util.fixEmptyAndTrim(value);
        if (path == null) {
            return FormValidation.error("Give the directory (zipped) or file (uploaded as is), relative to the "
                    + "workspace.");
        }
        if (path.contains("${")) {
            return FormValidation.ok();
        }
        try {
            WorkspacePaths.relative(path, "The path");
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** The name of an output artifact: as CodePipeline allows them. */
    static FormValidation checkName(@CheckForNull String value) {
        String name = Util.fixEmptyAndTrim(value);
        if (name == null) {
            return FormValidation.error("Give the name of one of the job's output artifacts.");
        }
        if (name.contains("${") || name.matches("[A-Za-z0-9_\\-]{1,100}")) {
            return FormValidation.ok();
        }
        return FormValidation.warning("CodePipeline artifact names have 1 to 100 letters, digits, _ and -.");
    }
}
