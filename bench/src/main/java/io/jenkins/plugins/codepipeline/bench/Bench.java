package io.jenkins.plugins.codepipeline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every section shares: its settings (system properties set by bench/run), statistics, number formats,
 * child JVMs and the Markdown fragment it writes.
 */
final class Bench {
    private Bench() {
    }

    /** The referee, for example http://127.0.0.1:40123. */
    static URI endpoint() {
        return URI.create(required("bench.endpoint"));
    }

    /** --smoke: tiny repetition counts, same code paths. */
    static boolean smoke() {
        return Boolean.getBoolean("bench.smoke");
    }

    static int count(int full, int smoke) {
        return smoke() ? smoke : full;
    }

    /** The checkout's root directory. */
    static Path root() {
        return Path.of(required("bench.root"));
    }

    /** Where sections write their fragment, summary lines and scratch files. */
    static Path workDir() {
        return Path.of(required("bench.work"));
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (bench/run sets it)");
        }
        return value;
    }

    // ------------------------------------------------------------------ statistics

    /** Median; the mean of the two middle values for an even count. */
    static double median(long[] values) {
        long[] v = sorted(values);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    /** 99th percentile, nearest rank (the ceil(0.99 n)-th smallest value; the maximum when n ≤ 100). */
    static double p99(long[] values) {
        return percentile(values, 99);
    }

    static double percentile(long[] values, double p) {
        long[] v = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static long[] sorted(long[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return v;
    }

    static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    // ------------------------------------------------------------------ formats

    /** Nanoseconds as milliseconds. */
    static String ms(double nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    /** Nanoseconds as microseconds. */
    static String us(double nanos) {
        return String.format(Locale.ROOT, Math.abs(nanos) < 10_000 ? "%.2f µs" : "%.1f µs", nanos / 1e3);
    }

    static String ratio(double ours, double theirs) {
        return String.format(Locale.ROOT, "%.2f×", ours / theirs);
    }

    static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes (%.2f MB)", bytes, bytes / 1_000_000.0);
    }

    static String met(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    // ------------------------------------------------------------------ output

    /** A section's Markdown, written to work/<name>.md, and its summary row, appended to work/summary.tsv. */
    static final class Fragment {
        private final String name;
        private final StringBuilder md = new StringBuilder();

        Fragment(String name, String title) {
            this.name = name;
            md.append("## ").append(title).append("\n\n");
        }

        Fragment line(String text) {
            md.append(text).append('\n');
            return this;
        }

        Fragment para(String text) {
            md.append(text).append("\n\n");
            return this;
        }

        Fragment table(List<String> header, List<List<String>> rows) {
            md.append("| ").append(String.join(" | ", header)).append(" |\n|");
            header.forEach(h -> md.append(" --- |"));
            md.append('\n');
            for (List<String> row : rows) {
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            md.append('\n');
            return this;
        }

        Fragment code(String text) {
            md.append("```\n").append(text.strip()).append("\n```\n\n");
            return this;
        }

        /** One summary row: section, headline figures, target, verdict. */
        void write(String headline, String target, String verdict) {
            try {
                Files.createDirectories(workDir());
                Files.writeString(workDir().resolve(name + ".md"), md.toString());
                String row = String.join("\t", name, headline, target, verdict).replace('\n', ' ') + "\n";
                Files.writeString(workDir().resolve("summary-" + name + ".tsv"), row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("[" + name + "] " + headline + " | target " + target + " | " + verdict);
        }

        /**
         * A correctness failure (not a slow figure): writes what was measured with the reason, but no summary row,
         * so bench/run reports the section FAILED, and throws.
         */
        IllegalStateException fail(String reason) {
            md.append("**FAILED**: ").append(reason).append("\n\n");
            try {
                Files.createDirectories(workDir());
                Files.writeString(workDir().resolve(name + ".md"), md.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("[" + name + "] FAILED: " + reason);
            throw new IllegalStateException(reason);
        }
    }

    // ------------------------------------------------------------------ child processes

    /** The JVM and class path this one runs with, for child JVMs. */
    static List<String> javaCommand(List<String> jvmArgs, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String p : List.of("bench.endpoint", "bench.smoke", "bench.root", "bench.work")) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** Output of a finished child process. */
    record Finished(int exitCode, List<String> stdout, String stderr, long wallNanos) {
        /** key=value pairs of the line starting with "RESULT ". */
        Map<String, String> result() {
            for (String line : stdout) {
                if (line.startsWith("RESULT ")) {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (String pair : line.substring(7).trim().split("\\s+")) {
                        int eq = pair.indexOf('=');
                        values.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    return values;
                }
            }
            throw new IllegalStateException("no RESULT line; exit " + exitCode + "\nstdout: " + stdout + "\nstderr: "
                    + stderr);
        }

        Finished requireSuccess(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " exited with " + exitCode + "\nstdout: "
                        + String.join("\n", stdout) + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    /** Runs a command to its end; wall time from start() to exit. */
    static Finished run(List<String> command, Map<String, String> environment, boolean clearEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (clearEnvironment) {
            builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("JAVA_TOOL")
                    || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        }
        if (environment != null) {
            builder.environment().putAll(environment);
        }
        try {
            long started = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            // both pipes drained concurrently, so a chatty child never blocks
            StringBuilder err = new StringBuilder();
            Thread errReader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        err.append(line).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            errReader.start();
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            }
            int exit = process.waitFor();
            long wall = System.nanoTime() - started;
            errReader.join();
            return new Finished(exit, out, err.toString(), wall);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String javaVersionLine() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }
}
