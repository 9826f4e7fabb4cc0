package io.jenkins.plugins.codepipeline.core.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Zips a directory into a stream: every directory gets an entry (so empty ones survive), files and directories keep
 * their Unix modes, symbolic links are stored as links (not followed). Entries are sorted by name, so the same tree
 * gives the same entries. The stream need not be seekable: entries are deflated with data descriptors, and sizes are
 * set up front so that files over 4 GB get their Zip64 fields.
 */
final class DirectoryZipper {
    private static final int COPY_BUFFER = 64 * 1024;

    private final byte[] buffer = new byte[COPY_BUFFER];
    private int files;
    private int directories;

    int files() {
        return files;
    }

    int directories() {
        return directories;
    }

    /** Writes the zip of {@code directory}'s content to {@code out}, and finishes it (does not close {@code out}). */
    void zip(Path directory, OutputStream out) throws IOException {
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);
        zip.setUseZip64(Zip64Mode.AsNeeded);
        add(zip, directory, "");
        zip.finish();
        zip.flush();
    }

    private void add(ZipArchiveOutputStream zip, Path directory, String prefix) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
            listing.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String name = prefix + child.getFileName();
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(name);
                entry.setUnixMode(UnixStat.LINK_FLAG | 0777);
                entry.setLastModifiedTime(attributes.lastModifiedTime());
                byte[] target = Files.readSymbolicLink(child).toString().getBytes(StandardCharsets.UTF_8);
                entry.setSize(target.length);
                zip.putArchiveEntry(entry);
                zip.write(target);
                zip.closeArchiveEntry();
                files++;
            } else if (attributes.isDirectory()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(name + "/");
                entry.setUnixMode(UnixStat.DIR_FLAG | ExtractionTarget.mode(child));
                entry.setLastModifiedTime(attributes.lastModifiedTime());
                zip.putArchiveEntry(entry);
                zip.closeArchiveEntry();
                directories++;
                add(zip, child, name + "/");
            } else if (attributes.isRegularFile()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(name);
                entry.setUnixMode(UnixStat.FILE_FLAG | ExtractionTarget.mode(child));
                entry.setLastModifiedTime(attributes.lastModifiedTime());
                entry.setSize(attributes.size());
                zip.putArchiveEntry(entry);
                try (InputStream in = Files.newInputStream(child)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        zip.write(buffer, 0, n);
                    }
                }
                zip.closeArchiveEntry();
                files++;
            }
            // sockets, fifos and devices are not archived
        }
    }
}
