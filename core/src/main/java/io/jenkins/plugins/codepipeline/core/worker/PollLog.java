package io.jenkins.plugins.codepipeline.core.worker;

/** Where the poller's lines go: in the plugin java.util.logging and the polling log, in the command line stderr. */
public interface PollLog {
    void info(String line);

    void warning(String line);

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
