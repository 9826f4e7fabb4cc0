package io.jenkins.plugins.codepipeline.core;

/** Code-point and UTF-8 arithmetic, as the service counts. */
final class Text {
    private Text() {
    }

    static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    /** UTF-8 length without encoding; an unpaired surrogate counts as the 3-byte replacement it becomes. */
    static long utf8Length(String s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The first {@code maxCodePoints} code points of {@code s}; never splits a surrogate pair. */
    static String firstCodePoints(String s, int maxCodePoints) {
        if (maxCodePoints <= 0) {
            return "";
        }
        if (codePoints(s) <= maxCodePoints) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxCodePoints));
    }
}
