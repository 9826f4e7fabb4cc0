package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.bench.WorkerRig.Queue;
import io.jenkins.plugins.codepipeline.bench.WorkerRig.Subscriber;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Section 7, in a fresh JVM with the serial collector: threads and retained heap of core's poller with N subscriber
 * groups (distinct query values, so N poll keys). Args: groups cycles parallelism provider region. The referee must
 * hold one Created job for the value "warm" and two for "g0000". Prints RESULT and HISTO lines.
 */
public final class WorkerProbe {
    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int threadsAtStart = mx.getThreadCount();
        int groups = Integer.parseInt(args[0]);
        int cycles = Integer.parseInt(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        String provider = args[3];
        String region = args[4];
        URI endpoint = Bench.endpoint();

        try (WorkerRig rig = new WorkerRig(); Queue queue = new Queue(() -> 0)) {
            // warm-up on another key: classes, the client, the catalog's entry, the SDK's shared threads
            Subscriber warm = new Subscriber(WorkerRig.key(endpoint, region, provider, "warm"), 2, queue);
            ExecutorService warmPool = Executors.newSingleThreadExecutor();
            for (int i = 0; i < 2; i++) {
                rig.cycle.runOnce(List.of(warm), warmPool, 1);
            }
            warmPool.shutdown();
            warmPool.awaitTermination(10, TimeUnit.SECONDS);
            if (queue.count.get() != 1) {
                throw new IllegalStateException("warm-up: " + queue.count.get() + " jobs handed over, expected 1; "
                        + warm.lastFailure);
            }
            int threadsWarm = mx.getThreadCount();

            // the triggers
            List<Subscriber> subs = new ArrayList<>();
            for (int i = 0; i < groups; i++) {
                subs.add(new Subscriber(WorkerRig.key(endpoint, region, provider, String.format("g%04d", i)), 2,
                        queue));
            }

            HeapProbe.histogram(); // allocates the DiagnosticCommand machinery before the baseline
            // taken before the baseline, so that this map is in both measurements; the second one counts the
            // first (then dropped), so that it offsets itself in the difference of the histograms
            Map<String, long[]> histoFirst = HeapProbe.histogram();
            Map<String, long[]> histoBase = HeapProbe.histogram();
            histoFirst.clear();
            histoFirst = null;
            long base = liveHeap();
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            long startedBefore = mx.getTotalStartedThreadCount();
            mx.resetPeakThreadCount();

            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
                Thread t = new Thread(r, "bench-poll-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long[] cycleNanos = new long[cycles];
            for (int c = 0; c < cycles; c++) {
                long t = System.nanoTime();
                rig.cycle.runOnce(subs, pool, parallelism);
                cycleNanos[c] = System.nanoTime() - t;
            }
            int peak = mx.getPeakThreadCount();
            long startedAfter = mx.getTotalStartedThreadCount();
            int threadsAfter = mx.getThreadCount();
            Map<String, Integer> newThreads = new TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t)) {
                    newThreads.merge(t.getName().replaceAll("[-_ ]?\\d+$", "-N"), 1, Integer::sum);
                }
            }
            long after = liveHeap();
            List<String> histo = difference(histoBase, HeapProbe.histogram()); // a few lines, not the whole map
            int polls = subs.stream().mapToInt(s -> s.polls.get()).sum();
            int failed = subs.stream().mapToInt(s -> s.failedPolls.get()).sum();
            String failure = subs.stream().map(s -> s.lastFailure).filter(f -> f != null).findFirst().orElse(null);
            System.out.println("RESULT groups=" + groups + " cycles=" + cycles + " parallelism=" + parallelism
                    + " baseBytes=" + base + " afterBytes=" + after + " threadsAtStart=" + threadsAtStart
                    + " threadsWarm=" + threadsWarm + " threadsPeak=" + peak + " threadsAfter=" + threadsAfter
                    + " threadsStarted=" + (startedAfter - startedBefore)
                    + " newThreads=" + (newThreads.isEmpty() ? "none" : newThreads.entrySet().stream()
                            .map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(","))
                            .replace(' ', '_'))
                    + " cycleMedianNanos=" + (long) Bench.median(cycleNanos)
                    + " cycleMaxNanos=" + (long) Bench.percentile(cycleNanos, 100)
                    + " polls=" + polls + " jobs=" + (queue.count.get() - 1) + " failedPolls=" + failed
                    + " healthEntries=" + rig.cycle.health().size());
            if (failure != null) {
                System.err.println("a poll failed: " + failure);
            }
            histo.forEach(System.out::println);
            pool.shutdownNow();
            // the subscribers stay reachable to the end
            if (subs.size() != groups) {
                throw new IllegalStateException();
            }
        }
    }

    /**
     * The live heap: the heap pools' usage right after a full collection ({@code MemoryPoolMXBean.getCollectionUsage},
     * which with the serial collector is the tenured generation's compacted objects). {@code MemoryMXBean} usage read
     * a moment later also counts what was allocated in eden since (several hundred KB here, from the management calls
     * themselves), which is more than 1000 poll keys keep.
     */
    static long liveHeap() throws InterruptedException {
        long live = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    sum += pool.getCollectionUsage().getUsed();
                }
            }
            live = Math.min(live, sum);
        }
        return live;
    }

    /** HISTO lines: the classes whose live bytes grew most, with the growth in instances and bytes. */
    static List<String> difference(Map<String, long[]> before, Map<String, long[]> after) {
        List<Map.Entry<String, long[]>> diff = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            diff.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        diff.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, long[]> e : diff.subList(0, Math.min(10, diff.size()))) {
            lines.add("HISTO " + e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1]);
        }
        return lines;
    }

}
