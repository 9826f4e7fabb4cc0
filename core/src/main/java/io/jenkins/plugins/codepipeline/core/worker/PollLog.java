package io.jenkins.plugins.codepipeline.core.worker;

/** Where the poller's lines go: in the plugin java.util.logging and the polling log, in the command line stderr. */
public interface PollLog {
    void info(String line);

    void warning(String line);

    /** A routine line a person rarely needs (a job left for lack of room); by default an info line. */
    default void fine(String line) {
        info(line);
    }

    /** Drops every line. */
    PollLog NONE = new PollLog() {
        @Override
        public void info(String line) {
        }

        @Override
        public void warning(String line) {
        }
    };
}
