package io.jenkins.plugins.codepipeline.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** A subcommand's stdout and stderr, flushed however it ends. */
final class CommandStreams {
    private CommandStreams() {
    }

    /** What a subcommand does with its stdout and stderr; gives the exit code. */
    @FunctionalInterface
    interface Body {
        int run(PrintWriter out, PrintWriter err);
    }

    /** Runs {@code body} with the command line's stdout and stderr, and flushes both after it. */
    static int run(CommandSpec spec, Body body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
