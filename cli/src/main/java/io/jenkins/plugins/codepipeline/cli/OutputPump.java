package io.jenkins.plugins.codepipeline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Copies one output stream of a command, line by line, to the worker's stdout or stderr with a prefix, and into the
 * command's {@link OutputTail}. A line longer than {@link #MAX_LINE} characters is passed on in pieces, so that a
 * command printing without newlines cannot fill the memory. Output is decoded as UTF-8 (malformed bytes become
 * U+FFFD).
 */
final class OutputPump implements Runnable {
    static final int MAX_LINE = 8192;

    private final InputStream in;
    private final PrintWriter to;
    private final String prefix;
    private final OutputTail tail;

    OutputPump(InputStream in, PrintWriter to, String prefix, OutputTail tail) {
        this.in = in;
        this.to = to;
        this.prefix = prefix;
        this.tail = tail;
    }

    @Override
    public void run() {
        StringBuilder line = new StringBuilder();
        char[] buffer = new char[4096];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        emit(line);
                    } else {
                        line.append(c);
                        if (line.length() >= MAX_LINE && !Character.isHighSurrogate(c)) {
                            emit(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the stream closes when the command ends; anything else is noted in the tail
            if (line.length() > 0) {
                emit(line);
            }
            tail.add("(output could not be read further: " + e.getMessage() + ")");
            return;
        }
        if (line.length() > 0) {
            emit(line);
        }
    }

    /** Passes a line on; a failure here must not stop the reading, or the command would die of SIGPIPE. */
    private void emit(StringBuilder line) {
        try {
            pass(line);
        } catch (RuntimeException e) {
            line.setLength(0);
            try {
                to.println(prefix + "(a line of output was lost: " + e + ")");
            } catch (RuntimeException ignored) {
                // the reading goes on
            }
        }
    }

    private void pass(StringBuilder line) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        String text = line.substring(0, end);
        line.setLength(0);
        tail.add(text);
        // one println: PrintWriter writes the line and its end under one lock, so lines of parallel jobs never mix
        to.println(prefix + text);
        to.flush();
    }
}
