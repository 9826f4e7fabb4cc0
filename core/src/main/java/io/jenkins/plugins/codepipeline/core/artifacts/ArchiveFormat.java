package io.jenkins.plugins.codepipeline.core.artifacts;

import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What an artifact object holds. CodePipeline's keys have no suffix, so the format comes from the first bytes:
 * {@code PK\3\4} (zip), {@code 1f 8b} with a tar header inside (tar.gz), {@code ustar} at offset 257 (tar); the
 * Content-Type decides only for an empty object. Anything else is a single file, saved as is.
 */
public enum ArchiveFormat {
    ZIP, TAR, TAR_GZ, FILE;

    /** Bytes read ahead to decide: enough compressed bytes to hold a gzipped tar's first header. */
    static final int PEEK_BYTES = 64 * 1024;

    /**
     * @param head        the object's first bytes, up to {@link #PEEK_BYTES}
     * @param length      how many of them there are
     * @param contentType the object's Content-Type, or null
     */
    static ArchiveFormat detect(byte[] head, int length, String contentType) {
        if (length == 0) {
            return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("zip") ? ZIP : FILE;
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K'
                && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6 || head[2] == 7 && head[3] == 8)) {
            return ZIP;
        }
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            byte[] inner = new byte[512];
            int n = inflatedHead(head, length, inner);
            return n >= 263 && TarArchiveInputStream.matches(inner, n) ? TAR_GZ : FILE;
        }
        return length >= 263 && TarArchiveInputStream.matches(head, length) ? TAR : FILE;
    }

    /**
     * Inflates what the read-ahead holds, up to {@code into.length} bytes. The read-ahead may end mid-stream, so this
     * uses an {@link Inflater} directly: gzip streams refuse a truncated input before giving what they inflated.
     */
    static int inflatedHead(byte[] head, int length, byte[] into) {
        int offset = 10;
        if (length < offset || head[2] != 8) {
            return 0;
        }
        int flags = head[3];
        if ((flags & 4) != 0) {
            if (length < offset + 2) {
                return 0;
            }
            offset += 2 + ((head[offset] & 0xff) | (head[offset + 1] & 0xff) << 8);
        }
        for (int zeroTerminated : new int[] {8, 16}) {
            if ((flags & zeroTerminated) != 0) {
                while (offset < length && head[offset] != 0) {
                    offset++;
                }
                offset++;
            }
        }
        if ((flags & 2) != 0) {
            offset += 2;
        }
        if (offset >= length) {
            return 0;
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(head, offset, length - offset);
            int n = 0;
            while (n < into.length && !inflater.finished() && !inflater.needsInput() && !inflater.needsDictionary()) {
                int inflated = inflater.inflate(into, n, into.length - n);
                if (inflated == 0 && inflater.needsInput()) {
                    break;
                }
                n += inflated;
            }
            return n;
        } catch (DataFormatException corrupt) {
            return 0;
        } finally {
            inflater.end();
        }
    }
}
