package io.jenkins.plugins.codepipeline.artifacts;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Paths inside the workspace, as the artifact steps take them: relative, with {@code /} (or {@code \}) separators,
 * never absolute, never leaving the workspace. Checked twice: as text on the controller (a clear error before
 * anything is sent), and on the agent against the real directories (a symbolic link that leads out is refused).
 */
final class WorkspacePaths {
    /** Where inputs go by default: {@code codepipeline/input/<Name>}. */
    static final String DEFAULT_INPUT_ROOT = "codepipeline/input";
    private static final Pattern SEPARATORS = Pattern.compile("[/\\\\]+");
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private WorkspacePaths() {
    }

    /**
     * @param path a path relative to the workspace
     * @param what what it is, for messages ("dir", "the path of output artifact 'B'")
     * @return the path normalized, with {@code /} separators; empty for the workspace itself
     * @throws IllegalArgumentException when it is blank, absolute, or leaves the workspace
     */
    static String relative(@CheckForNull String path, String what) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(what + " is blank. Give a path relative to the workspace.");
        }
        String trimmed = path.trim();
        if (trimmed.startsWith("/") || trimmed.startsWith("\\") || WINDOWS_DRIVE.matcher(trimmed).matches()
                || trimmed.startsWith("~")) {
            throw new IllegalArgumentException(what + " '" + trimmed + "' is absolute. Give a path relative to the "
                    + "workspace: artifacts are read from and written to the workspace only.");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : SEPARATORS.split(trimmed)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new IllegalArgumentException(what + " '" + trimmed + "' leads out of the workspace. Give a "
                            + "path inside the workspace.");
                }
                segments.remove(segments.size() - 1);
                continue;
            }
            segments.add(segment);
        }
        return String.join("/", segments);
    }

    /** {@code parent/child}, or {@code child} when {@code parent} is the workspace itself (empty). */
    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    /**
     * An artifact name used as a directory name: CodePipeline allows letters, digits, {@code _} and {@code -}; anything
     * that could leave the directory is refused.
     */
    static String segment(String artifactName) {
        if (artifactName == null || artifactName.isEmpty() || artifactName.equals(".") || artifactName.equals("..")
                || artifactName.contains("/") || artifactName.contains("\\") || artifactName.contains(":")) {
            throw new IllegalArgumentException("The artifact name '" + artifactName + "' cannot be used as a directory "
                    + "name. Give dir for a single artifact, or check the pipeline's artifact names.");
        }
        return artifactName;
    }

    /**
     * On the agent: {@code relative} inside {@code workspace}, checked against the real directories: the path, or
     * its nearest existing ancestor, must lie in the workspace once symbolic links are followed.
     *
     * @throws IOException saying which path leads out, or why it could not be checked
     */
    static Path inside(Path workspace, String relative, String what) throws IOException {
        Path root = workspace.toAbsolutePath().normalize();
        Path resolved = root.resolve(relative.replace('\\', '/')).normalize();
        if (!resolved.startsWith(root)) {
            throw new IOException(what + " '" + relative + "' leads out of the workspace " + root + ".");
        }
        Path realRoot = root.toRealPath();
        Path existing = resolved;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            Path real = existing.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new IOException(what + " '" + relative + "' leads out of the workspace " + root
                        + " through a symbolic link (" + existing + " is " + real + "). Give a path inside the "
                        + "workspace.");
            }
        }
        return resolved;
    }
}
