package io.jenkins.plugins.codepipeline.artifacts;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Archives as the stage before a Jenkins action produces them (CodePipeline's source zip, a tar.gz of a build), written
 * with commons-compress so that entries carry Unix modes, and a reader for what the plugin uploaded.
 */
final class Archives {
    /** One entry: a directory (content null, link null), a file, or a symbolic link. */
    record Entry(String name, byte[] content, int mode, String link) {
        boolean isDirectory() {
            return content == null && link == null;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    static Archives of() {
        return new Archives();
    }

    Archives dir(String name) {
        entries.add(new Entry(name.endsWith("/") ? name : name + "/", null, 0755, null));
        return this;
    }

    Archives file(String name, String content, int mode) {
        entries.add(new Entry(name, content.getBytes(StandardCharsets.UTF_8), mode, null));
        return this;
    }

    Archives file(String name, String content) {
        return file(name, content, 0644);
    }

    Archives symlink(String name, String target) {
        entries.add(new Entry(name, null, 0777, target));
        return this;
    }

    /** A zip whose central directory holds the Unix modes (and the link flag of links), as zip -r writes them. */
    byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                int type = e.link() != null ? UnixStat.LINK_FLAG : e.isDirectory() ? UnixStat.DIR_FLAG : UnixStat.FILE_FLAG;
                entry.setUnixMode(type | e.mode());
                zip.putArchiveEntry(entry);
                if (e.link() != null) {
                    zip.write(e.link().getBytes(StandardCharsets.UTF_8));
                } else if (e.content() != null) {
                    zip.write(e.content());
                }
                zip.closeArchiveEntry();
            }
            zip.finish();
        }
        return bytes.toByteArray();
    }

    /** A gzipped POSIX tar. */
    byte[] tarGz() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry;
                if (e.link() != null) {
                    entry = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(e.link());
                } else {
                    entry = new TarArchiveEntry(e.name());
                    if (e.content() != null) {
                        entry.setSize(e.content().length);
                    }
                }
                entry.setMode(e.mode());
                tar.putArchiveEntry(entry);
                if (e.content() != null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    /** A zip written with java.util.zip, which takes any entry name ({@code ../x}, {@code /x}) as given. */
    static byte[] plainZip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** An entry as read back from a zip. */
    record ReadEntry(String name, int unixMode, boolean directory, String content) {
        boolean executable() {
            return (unixMode & 0100) != 0;
        }
    }

    /** The entries of the zip in {@code file}, by name, with their Unix modes (read from the central directory). */
    static Map<String, ReadEntry> readZip(Path file) throws IOException {
        Map<String, ReadEntry> read = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                String content = null;
                if (!entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                read.put(entry.getName(), new ReadEntry(entry.getName(), entry.getUnixMode(), entry.isDirectory(),
                        content));
            }
        }
        return read;
    }

    /** The entry, which must be there. */
    static ReadEntry entry(Map<String, ReadEntry> zip, String name) {
        ReadEntry entry = zip.get(name);
        assertNotNull(entry, "the zip has an entry " + name + ": " + zip.keySet());
        return entry;
    }

    static Path temp(String prefix) throws IOException {
        File file = Files.createTempFile(prefix, ".bin").toFile();
        file.deleteOnExit();
        return file.toPath();
    }
}
