package io.jenkins.plugins.codepipeline.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Section 6: retained heap of one cached client, the CLI jar, and the jars the plugin's hpi would bundle. */
public final class Footprint {
    static final List<String> REGIONS = List.of("us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2",
            "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
            "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "sa-east-1", "me-south-1",
            "af-south-1", "ap-east-1");

    /** Artifacts a library plugin provides, so the hpi does not bundle them. */
    static final Map<String, String> PROVIDED = new LinkedHashMap<>();

    static {
        for (String a : List.of("annotations", "apache-client", "arns", "auth", "aws-cbor-protocol",
                "aws-json-protocol", "aws-query-protocol", "aws-xml-protocol", "aws-core", "checksums", "checksums-spi",
                "endpoints-spi", "http-auth", "http-auth-aws", "http-auth-spi", "http-auth-aws-eventstream",
                "http-client-spi", "identity-spi", "json-utils", "metrics-spi", "profiles", "protocol-core", "regions",
                "retries", "retries-spi", "sdk-core", "sts", "third-party-jackson-core",
                "third-party-jackson-dataformat-cbor", "utils")) {
            PROVIDED.put("software.amazon.awssdk:" + a, "aws-java-sdk2-core");
        }
        PROVIDED.put("software.amazon.eventstream:eventstream", "aws-java-sdk2-core");
        PROVIDED.put("org.reactivestreams:reactive-streams", "aws-java-sdk2-core");
        PROVIDED.put("org.apache.httpcomponents:httpclient", "apache-httpcomponents-client-4-api");
        PROVIDED.put("org.apache.httpcomponents:httpcore", "apache-httpcomponents-client-4-api");
        PROVIDED.put("com.fasterxml.jackson.core:jackson-core", "jackson2-api");
        PROVIDED.put("org.slf4j:slf4j-api", "Jenkins core");
    }

    record Dependency(String groupId, String artifactId, String version, String scope, Path file) {
        String key() {
            return groupId + ":" + artifactId;
        }
    }

    public static void main(String[] args) throws Exception {
        Bench.Fragment f = new Bench.Fragment("6-footprint", "6. Footprint");
        String heapHeadline = heap(f);

        Path cliJar = Bench.root().resolve("cli/target/codepipeline-job.jar");
        long cliBytes = Files.exists(cliJar) ? Files.size(cliJar) : -1;
        f.line("### CLI jar").line("");
        f.para("`cli/target/codepipeline-job.jar` (shaded: core, the SDK's codepipeline client and what it needs, the "
                + "Apache client, picocli, slf4j-nop): " + (cliBytes < 0 ? "not built" : Bench.bytes(cliBytes)) + ".");

        long bundled = bundle(f);
        boolean met = bundled <= 2_500_000;
        f.para("Target: the hpi at most 2.5 MB (2,500,000 bytes; 2.5 MiB would be 2,621,440) → " + Bench.met(met)
                + ": the bundled jars take " + Bench.bytes(bundled) + " (the larger of their sum and their zip), of which the `codepipeline` jar alone is "
                + "2,253,269 bytes. The plugin's own classes and resources (its module cannot be resolved here) come "
                + "on top; the hpi zip stores the jars, which are already compressed, so it is not much smaller than "
                + "their sum.");
        f.write(heapHeadline + "; cli jar " + (cliBytes < 0 ? "not built" : Bench.bytes(cliBytes))
                + "; hpi bundles " + Bench.bytes(bundled), "hpi ≤ 2.5 MB", met ? "met" : "missed");
    }

    private static String heap(Bench.Fragment f) throws IOException {
        int n = Bench.count(REGIONS.size(), 5);
        RefereeAdmin admin = new RefereeAdmin(Bench.endpoint());
        List<String> lines = new ArrayList<>();
        lines.add("us-east-1 " + admin.createJobs(1).get(0));
        for (String region : REGIONS.subList(0, n)) {
            lines.add(region + " " + admin.createJobs(1, region).get(0));
        }
        Path jobs = Bench.workDir().resolve("6-jobs.txt");
        Files.write(jobs, lines);
        System.out.println("[6-footprint] heap of " + n + " cached clients");
        Bench.Finished run = Bench.run(Bench.javaCommand(List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"),
                HeapProbe.class, List.of(jobs.toString())), null, true).requireSuccess("HeapProbe");
        Map<String, String> r = run.result();
        long base = Long.parseLong(r.get("baseBytes"));
        long built = Long.parseLong(r.get("builtBytes"));
        long used = Long.parseLong(r.get("usedBytes"));
        long perBuilt = (built - base) / n;
        long perUsed = (used - base) / n;
        f.line("### Retained heap of one cached client").line("");
        f.para("In a fresh JVM (`-XX:+UseSerialGC -Xmx256m`, so that `System.gc()` is a full stop-the-world "
                + "collection and the used heap after it is the live heap): a warm-up cache builds a client and sends "
                + "one report (all classes and static caches loaded), then the live heap is read (minimum over 4 "
                + "`System.gc()` + `MemoryMXBean` readings), " + n + " clients are built in one cache for " + n
                + " distinct regions (distinct cache keys), the live heap is read again, then one report goes through "
                + "each client and it is read a third time. Per client = delta / " + n + ". The class histogram "
                + "delta (HotSpot's `GC.class_histogram`, live objects) shows what they hold. Thread stacks and other "
                + "native memory are not in these figures.");
        f.table(List.of("state", "live heap delta for " + n + " clients", "per client", "threads started"), List.of(
                List.of("built, unused", Bench.bytes(built - base), String.format("%,d bytes", perBuilt),
                        r.get("threadsBuilt")),
                List.of("after one report each (pooled connection open)", Bench.bytes(used - base),
                        String.format("%,d bytes", perUsed), r.get("threadsUsed"))));
        List<List<String>> histo = new ArrayList<>();
        for (String line : run.stdout()) {
            if (line.startsWith("HISTO ")) {
                String[] h = line.split(" ");
                histo.add(List.of("`" + h[1] + "`", String.format("%,d", Long.parseLong(h[2])),
                        String.format("%,d", Long.parseLong(h[3]))));
            }
        }
        f.para("Largest live-heap growth by class, " + n + " clients after one report each:");
        f.table(List.of("class", "instances", "bytes"), histo);
        f.para("With the cache at its default limit of 32 clients that is about "
                + Bench.bytes(perUsed * 32) + " of heap at most. Threads: building the clients started "
                + r.get("threadsBuilt") + " thread(s); their first reports started " + r.get("threadsUsed") + " for "
                + n + " clients: the cache's one timer pool for attempt timeouts (`codepipeline-client-timer-N`, "
                + "at most 2 threads, shared by all its clients; section 5); the Apache clients' shared "
                + "`idle-connection-reaper` runs since the warm-up. Their stacks are native memory, not in "
                + "the heap figures above.");
        return "one cached client ≈ " + String.format("%,d", perUsed) + " bytes heap after use ("
                + String.format("%,d", perBuilt) + " built)";
    }

    private static long bundle(Bench.Fragment f) throws IOException {
        Path list = Bench.root().resolve("bench/plugin-deps/target/runtime-deps.txt");
        List<Dependency> deps = parse(list);
        f.line("### What the plugin's hpi would bundle").line("");
        f.para("Computed from `bench/plugin-deps`, a pom that depends on core alone as the plugin does (so core's "
                + "optional apache-client and its exclusions apply), by `dependency:list` (runtime scope) in the "
                + "build; `bench/plugin-deps/target/runtime-tree.txt` holds the tree. A jar is left out when a library "
                + "plugin provides it: aws-java-sdk2-core (the SDK's shared jars), "
                + "apache-httpcomponents-client-4-api (httpclient, httpcore), jackson2-api (jackson-core), Jenkins "
                + "core (slf4j-api).");
        List<List<String>> rows = new ArrayList<>();
        long bundled = 0;
        long provided = 0;
        List<Path> bundledJars = new ArrayList<>();
        for (Dependency d : deps) {
            long size = Files.size(d.file());
            String from = PROVIDED.get(d.key());
            if (from == null) {
                bundled += size;
                bundledJars.add(d.file());
            } else {
                provided += size;
            }
            rows.add(List.of("`" + d.key() + ":" + d.version() + "`", String.format("%,d", size),
                    from == null ? "**bundled**" : "provided by " + from));
        }
        rows.sort((a, b) -> a.get(2).compareTo(b.get(2)));
        f.table(List.of("runtime dependency of core", "bytes", "in the hpi?"), rows);
        long zipped = zipSize(bundledJars);
        f.para("Bundled: " + bundledJars.size() + " jars, " + Bench.bytes(bundled) + " (the jars zipped as "
                + "`WEB-INF/lib/*.jar` with default deflate: " + Bench.bytes(zipped) + "). Provided by library plugins: "
                + Bench.bytes(provided) + ".");
        return Math.max(bundled, zipped);
    }

    static List<Dependency> parse(Path list) throws IOException {
        List<Dependency> deps = new ArrayList<>();
        for (String raw : Files.readAllLines(list)) {
            String line = raw.replaceAll("\u001B\\[[0-9;]*m", "").trim();
            int module = line.indexOf(" -- ");
            if (module >= 0) {
                line = line.substring(0, module);
            }
            int path = line.indexOf(":/");
            if (path < 0) {
                continue;
            }
            String[] c = line.substring(0, path).split(":");
            if (c.length < 5 || !c[2].equals("jar")) {
                continue;
            }
            deps.add(new Dependency(c[0], c[1], c[c.length - 2], c[c.length - 1], Path.of(line.substring(path + 1))));
        }
        if (deps.isEmpty()) {
            throw new IllegalStateException("no dependency in " + list);
        }
        return deps;
    }

    private static long zipSize(List<Path> jars) throws IOException {
        Path zip = Bench.workDir().resolve("hpi-estimate.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            Set<String> names = new java.util.HashSet<>();
            for (Path jar : jars) {
                String name = "WEB-INF/lib/" + jar.getFileName();
                if (names.add(name)) {
                    z.putNextEntry(new ZipEntry(name));
                    Files.copy(jar, z);
                    z.closeEntry();
                }
            }
        }
        return Files.size(zip);
    }
}
