package io.jenkins.plugins.codepipeline.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The end of a command's output (stdout and stderr, in the order their lines arrived), kept for a failure message.
 * Memory is bounded: at most {@link #MAX_CHARS} characters are kept, whatever the command prints. Thread-safe.
 */
final class OutputTail {
    /** Enough for a failure message of 5000 code points, which is the most CodePipeline takes. */
    static final int MAX_CHARS = 6000;

    private final Deque<String> lines = new ArrayDeque<>();
    private int chars;
    private long linesSeen;
    private long linesDropped;

    synchronized void add(String line) {
        linesSeen++;
        String kept = line.length() > MAX_CHARS ? lastChars(line, MAX_CHARS) : line;
        lines.addLast(kept);
        chars += kept.length() + 1;
        while (chars > MAX_CHARS) {
            int excess = chars - MAX_CHARS;
            String first = lines.peekFirst();
            if (first.length() + 1 <= excess && lines.size() > 1) {
                lines.removeFirst();
                chars -= first.length() + 1;
            } else {
                // keep the end of the oldest line, so that the tail holds as much output as it may
                String end = lastChars(first, Math.max(0, first.length() - excess));
                lines.removeFirst();
                lines.addFirst(end);
                chars -= first.length() - end.length();
            }
            linesDropped++;
        }
    }

    synchronized long linesSeen() {
        return linesSeen;
    }

    synchronized boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The last lines, joined by newlines, at most {@code maxCodePoints} code points (the first line cut at its start). */
    synchronized String last(int maxCodePoints) {
        if (maxCodePoints <= 0) {
            return "";
        }
        String all = String.join("\n", lines);
        int count = all.codePointCount(0, all.length());
        if (count <= maxCodePoints) {
            return all;
        }
        return all.substring(all.offsetByCodePoints(0, count - maxCodePoints));
    }

    synchronized boolean shortened() {
        return linesDropped > 0;
    }

    /** The last {@code max} chars of {@code s}, never starting inside a surrogate pair. */
    private static String lastChars(String s, int max) {
        int from = Math.max(0, s.length() - max);
        if (from > 0 && from < s.length() && Character.isLowSurrogate(s.charAt(from))) {
            from++;
        }
        return s.substring(from);
    }
}
