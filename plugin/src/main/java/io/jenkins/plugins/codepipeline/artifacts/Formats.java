package io.jenkins.plugins.codepipeline.artifacts;

import io.jenkins.plugins.codepipeline.core.artifacts.ArchiveFormat;
import java.util.Locale;

/** Sizes and formats as the log and the build page show them. */
final class Formats {
    private Formats() {
    }

    /** {@code zip}, {@code tar}, {@code tar.gz} or {@code file}. */
    static String name(ArchiveFormat format) {
        return format == ArchiveFormat.TAR_GZ ? "tar.gz" : format.name().toLowerCase(Locale.ROOT);
    }

    /** {@code 512 bytes}, {@code 12.3 KB}, {@code 4.1 MB}, {@code 1.2 GB} (units of 1024). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
