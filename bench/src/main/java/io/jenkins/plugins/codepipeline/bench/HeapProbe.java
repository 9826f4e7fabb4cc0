package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Section 6, in a fresh JVM with the serial collector: the heap one cached client keeps. After a warm-up client has
 * loaded every class and static cache, N more clients (distinct regions, so distinct cache keys) are built; live heap
 * after a full GC is compared before, after building them and after one report through each. A class histogram of
 * the live heap (the HotSpot DiagnosticCommand MBean, as {@code jcmd GC.class_histogram}) says what they hold.
 * Args: jobsFile (lines "region jobId"; the first is the warm-up). Prints RESULT and HISTO lines.
 */
public final class HeapProbe {
    public static void main(String[] args) throws Exception {
        URI endpoint = Bench.endpoint();
        List<String[]> jobs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            jobs.add(line.split(" "));
        }
        var threads = ManagementFactory.getThreadMXBean();

        // warm-up: classes, static caches, the SDK's shared threads
        CodePipelineClientCache warm = new CodePipelineClientCache(new ApacheHttpClientFactory());
        deliver(new JobResultReporter(warm), endpoint, jobs.get(0));
        List<String[]> probes = jobs.subList(1, jobs.size());
        int n = probes.size();

        histogram(); // allocates the DiagnosticCommand machinery before the baseline
        long base = liveHeap();
        Map<String, long[]> histoBase = histogram();
        long threadsBase = threads.getTotalStartedThreadCount();

        CodePipelineClientCache cache = new CodePipelineClientCache(new ApacheHttpClientFactory(), 64);
        for (String[] job : probes) {
            cache.acquire(Fixture.settings(endpoint, job[0])).close();
        }
        long built = liveHeap();
        long threadsBuilt = threads.getTotalStartedThreadCount();

        JobResultReporter reporter = new JobResultReporter(cache);
        for (String[] job : probes) {
            deliver(reporter, endpoint, job);
        }
        long used = liveHeap();
        long threadsUsed = threads.getTotalStartedThreadCount();
        Map<String, long[]> histoUsed = histogram();
        if (cache.clientsCreated() != n || cache.size() != n) {
            throw new IllegalStateException("expected " + n + " clients, got " + cache.clientsCreated());
        }

        System.out.println("RESULT clients=" + n + " baseBytes=" + base + " builtBytes=" + built + " usedBytes=" + used
                + " threadsBuilt=" + (threadsBuilt - threadsBase) + " threadsUsed=" + (threadsUsed - threadsBase)
                + " liveThreads=" + threads.getThreadCount());
        List<Map.Entry<String, long[]>> diff = new ArrayList<>();
        for (Map.Entry<String, long[]> e : histoUsed.entrySet()) {
            long[] b = histoBase.getOrDefault(e.getKey(), new long[2]);
            diff.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        diff.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        for (Map.Entry<String, long[]> e : diff.subList(0, Math.min(12, diff.size()))) {
            System.out.println("HISTO " + e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]);
        }
        // keep both caches reachable to the end
        cache.close();
        warm.close();
    }

    private static void deliver(JobResultReporter reporter, URI endpoint, String[] job) throws Exception {
        ReportOutcome outcome = reporter.report(Fixture.ours(job[1]), Fixture.settings(endpoint, job[0]),
                Fixture.credentials(), null);
        if (outcome.status() != ReportOutcome.Status.DELIVERED) {
            throw new IllegalStateException(outcome.message());
        }
    }

    /** Heap in use after full collections (the serial collector's System.gc() is a full, stop-the-world one). */
    private static long liveHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** class name → {instances, bytes} of the live heap. */
    static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> histogram = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                histogram.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return histogram;
    }
}
