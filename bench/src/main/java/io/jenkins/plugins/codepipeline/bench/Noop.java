package io.jenkins.plugins.codepipeline.bench;

/** The JVM's floor for section 3: start, run an empty main, exit. */
public final class Noop {
    public static void main(String[] args) {
    }
}
