package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directory an archive is extracted into, and the rules that keep it there. Regular files and directories are
 * written first; hard links and symbolic links only once every file is in place, so that no entry is ever written
 * through a link; directory modes last, so that a read-only directory does not block its own entries.
 *
 * <p>An entry whose name is absolute or climbs out with {@code ..}, and a link that points outside the directory,
 * are refused: the whole extraction fails with {@link UnsafeEntryException}.
 */
final class ExtractionTarget {
    /** An entry that would leave the target directory. */
    static final class UnsafeEntryException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsafeEntryException(String message) {
            super(message);
        }
    }

    private record Link(Path path, String entryName, String target, boolean hard) {
    }

    private static final int COPY_BUFFER = 64 * 1024;

    private final Path root;
    private final boolean posix;
    private final Map<Path, Integer> directoryModes = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();
    private final byte[] buffer = new byte[COPY_BUFFER];
    private int files;
    private int directories;
    private long bytes;

    /** Creates the directory, or empties it when it exists (without following links). */
    ExtractionTarget(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(absolute)) {
            throw new IOException(absolute + " is a symbolic link; give a real directory to extract into");
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(absolute + " exists and is not a directory");
            }
            empty(absolute);
        }
        Files.createDirectories(absolute);
        this.root = absolute.toRealPath();
        this.posix = Files.getFileStore(root).supportsFileAttributeView("posix");
    }

    Path root() {
        return root;
    }

    int files() {
        return files;
    }

    int directories() {
        return directories;
    }

    int links() {
        return links.size();
    }

    long bytes() {
        return bytes;
    }

    /**
     * The path of an entry inside the root, or null for the root itself.
     *
     * @throws UnsafeEntryException when the name is absolute or climbs out of the root
     */
    Path resolve(String entryName) throws UnsafeEntryException {
        if (entryName.indexOf('\0') >= 0) {
            throw unsafe(entryName, "its name holds a NUL character");
        }
        String name = entryName.replace('\\', '/');
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw unsafe(entryName, "its path is absolute");
        }
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw unsafe(entryName, "its path climbs out of the directory with '..'");
        }
        return path.equals(root) ? null : path;
    }

    void directory(String entryName, int mode) throws IOException {
        Path path = resolve(entryName);
        if (path == null) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(path);
            directories++;
        }
        if (mode != 0) {
            directoryModes.put(path, mode);
        }
    }

    void file(String entryName, int mode, FileTime modified, InputStream content) throws IOException {
        Path path = resolve(entryName);
        if (path == null) {
            throw unsafe(entryName, "it is a file named like the directory itself");
        }
        createParents(path);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the archive holds both a directory and a file named '" + entryName + "'");
        }
        try (OutputStream out = Files.newOutputStream(path)) {
            int n;
            while ((n = content.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                bytes += n;
            }
        }
        if (mode != 0) {
            setMode(path, mode);
        }
        if (modified != null) {
            Files.setLastModifiedTime(path, modified);
        }
        files++;
    }

    /** A symbolic link, made once every file is written. */
    void symbolicLink(String entryName, String target) throws UnsafeEntryException {
        Path path = resolve(entryName);
        if (path == null || target == null || target.isEmpty()) {
            throw unsafe(entryName, "it is a symbolic link without a name or target");
        }
        links.add(new Link(path, entryName, target, false));
    }

    /** A tar hard link to an earlier entry, named from the archive's root. */
    void hardLink(String entryName, String targetEntryName) throws UnsafeEntryException {
        Path path = resolve(entryName);
        if (path == null || resolve(targetEntryName) == null) {
            throw unsafe(entryName, "it is a hard link to the directory itself");
        }
        links.add(new Link(path, entryName, targetEntryName, true));
    }

    /** Makes the links, then sets the directories' modes, deepest first. */
    void finish() throws IOException {
        for (Link link : links) {
            if (link.hard) {
                makeHardLink(link);
            }
        }
        for (Link link : links) {
            if (!link.hard) {
                makeSymbolicLink(link);
            }
        }
        List<Path> deepestFirst = new ArrayList<>(directoryModes.keySet());
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path directory : deepestFirst) {
            setMode(directory, directoryModes.get(directory));
        }
    }

    private void makeHardLink(Link link) throws IOException {
        Path target = resolve(link.target);
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the archive's hard link '" + link.entryName + "' points to '" + link.target
                    + "', which is not a file extracted before it");
        }
        createParents(link.path);
        Files.deleteIfExists(link.path);
        try {
            Files.createLink(link.path, target);
        } catch (UnsupportedOperationException | IOException notSupported) {
            Files.copy(target, link.path, StandardCopyOption.COPY_ATTRIBUTES);
        }
        files++;
    }

    private void makeSymbolicLink(Link link) throws IOException {
        createParents(link.path);
        Path parent = link.path.getParent().toRealPath();
        if (!parent.startsWith(root)) {
            throw unsafe(link.entryName, "it is a symbolic link placed through another link outside the directory");
        }
        if (link.target.startsWith("/") || link.target.startsWith("\\") || link.target.matches("^[A-Za-z]:.*")) {
            throw unsafe(link.entryName, "it is a symbolic link to an absolute path (" + link.target + ")");
        }
        // Resolve the target step by step as the file system will, following the links made so far.
        Path current = parent;
        for (String part : link.target.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            current = part.equals("..") ? current.getParent() : current.resolve(part);
            if (current == null || !current.startsWith(root)) {
                throw unsafe(link.entryName, "it is a symbolic link that points outside the directory ("
                        + link.target + ")");
            }
            if (Files.isSymbolicLink(current)) {
                try {
                    current = current.toRealPath();
                } catch (IOException dangling) {
                    throw unsafe(link.entryName, "it is a symbolic link through a link that leads nowhere ("
                            + link.target + ")");
                }
                if (!current.startsWith(root)) {
                    throw unsafe(link.entryName, "it is a symbolic link that points outside the directory ("
                            + link.target + ")");
                }
            }
        }
        Path path = parent.resolve(link.path.getFileName());
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the archive holds both a directory and a symbolic link named '" + link.entryName
                    + "'");
        }
        Files.deleteIfExists(path);
        Files.createSymbolicLink(path, path.getFileSystem().getPath(link.target));
    }

    private void createParents(Path path) throws IOException {
        Path parent = path.getParent();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(parent);
            } catch (FileAlreadyExistsException file) {
                throw new IOException("the archive holds both a file and a directory named '"
                        + root.relativize(parent) + "'", file);
            }
        }
    }

    private void setMode(Path path, int mode) throws IOException {
        if (!posix) {
            if ((mode & 0100) != 0) {
                path.toFile().setExecutable(true, false);
            }
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        Files.setPosixFilePermissions(path, permissions);
    }

    /** The POSIX permission bits of a path (0644 or 0755 where the file system has none). */
    static int mode(Path path) throws IOException {
        if (!Files.getFileStore(path).supportsFileAttributeView("posix")) {
            return Files.isDirectory(path) || Files.isExecutable(path) ? 0755 : 0644;
        }
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }

    private UnsafeEntryException unsafe(String entryName, String why) {
        return new UnsafeEntryException("refused the archive's entry '" + entryName + "': " + why
                + "; nothing may be extracted outside " + root);
    }

    /** Deletes what a directory holds, never following a link; read-only directories are made writable first. */
    static void empty(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                dir.toFile().setWritable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!dir.equals(directory)) {
                    try {
                        Files.delete(dir);
                    } catch (DirectoryNotEmptyException raced) {
                        throw new IOException("could not empty " + dir + ": something writes into it", raced);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
