package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.JobResultReporter;
import io.jenkins.plugins.codepipeline.core.ReportOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Section 5, one path in a fresh JVM: T threads each send R reports through ONE shared cache and reporter (ours) or
 * ONE shared bare client (bare). Args: ours|bare threads reportsPerThread jobIdsFile. Prints a RESULT line.
 */
public final class ConcurrencyRun {
    public static void main(String[] args) throws Exception {
        boolean ours = args[0].equals("ours");
        int threads = Integer.parseInt(args[1]);
        int perThread = Integer.parseInt(args[2]);
        List<String> jobs = Files.readAllLines(Path.of(args[3]));
        URI endpoint = Bench.endpoint();
        ConnectionSettings settings = Fixture.settings(endpoint);
        StaticCredentialsProvider credentials = Fixture.credentials();
        // load the request classes before the thread baseline, so that nothing of ours runs lazily in the window
        Fixture.ours(jobs.get(0));
        Fixture.bare(jobs.get(0));

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        long startedBefore = mx.getTotalStartedThreadCount();

        CodePipelineClientCache cache = ours ? new CodePipelineClientCache(new ApacheHttpClientFactory()) : null;
        JobResultReporter reporter = ours ? new JobResultReporter(cache) : null;
        CodePipelineClient bare = ours ? null : Fixture.bareClient(endpoint);

        long[] latencies = new long[threads * perThread];
        long[] ends = new long[threads * perThread];
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int worker = t;
            workers[t] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int r = 0; r < perThread; r++) {
                    int k = worker * perThread + r;
                    String job = jobs.get(k);
                    long start = System.nanoTime();
                    try {
                        if (ours) {
                            ReportOutcome outcome = reporter.report(Fixture.ours(job), settings, credentials, null);
                            if (outcome.status() != ReportOutcome.Status.DELIVERED) {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet(null, outcome.message());
                            } else if (outcome.attempts().size() > 1) {
                                retried.incrementAndGet();
                            }
                        } else {
                            bare.putJobSuccessResult(Fixture.bare(job));
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                    long end = System.nanoTime();
                    latencies[k] = end - start;
                    ends[k] = end;
                }
            }, "bench-worker-" + t);
            workers[t].start();
        }
        ready.await();
        long started = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - started;

        long startedAfter = mx.getTotalStartedThreadCount();
        Set<Thread> after = Thread.getAllStackTraces().keySet();
        // live threads the path left behind, by name without the trailing number
        Map<String, Integer> leftBehind = new TreeMap<>();
        for (Thread t : after) {
            if (!before.contains(t) && !t.getName().startsWith("bench-worker-")) {
                leftBehind.merge(t.getName().replaceAll("[-_ ]?\\d+$", "-N"), 1, Integer::sum);
            }
        }
        long clients = ours ? cache.clientsCreated() : 1;
        if (ours) {
            cache.close();
        } else {
            bare.close();
        }
        // after each thread's first report: connections are open, no connect storm at the referee's accept queue
        long[] steady = new long[threads * (perThread - 1)];
        for (int t = 0, i = 0; t < threads; t++) {
            for (int r = 1; r < perThread; r++) {
                steady[i++] = latencies[t * perThread + r];
            }
        }
        // steady rate: the reports completed between the 10th and the 90th percentile of completion times
        long[] sortedEnds = Bench.sorted(ends);
        int lo = sortedEnds.length / 10;
        int hi = sortedEnds.length * 9 / 10;
        double steadyRate = hi > lo && sortedEnds[hi] > sortedEnds[lo]
                ? (hi - lo) / ((sortedEnds[hi] - sortedEnds[lo]) / 1e9) : 0;
        String threadsLeft = leftBehind.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(","));
        System.out.println("RESULT reports=" + latencies.length + " elapsedNanos=" + elapsed
                + " steadyRate=" + Math.round(steadyRate)
                + " meanNanos=" + (long) Bench.mean(latencies) + " p50Nanos=" + (long) Bench.percentile(latencies, 50) + " p99Nanos=" + (long) Bench.p99(latencies)
                + " maxNanos=" + (long) Bench.percentile(latencies, 100)
                + " steadyP50Nanos=" + (steady.length == 0 ? 0 : (long) Bench.percentile(steady, 50))
                + " steadyP99Nanos=" + (steady.length == 0 ? 0 : (long) Bench.p99(steady))
                + " failures=" + failures.get() + " retried=" + retried.get() + " clientsCreated=" + clients
                + " threadsStarted=" + (startedAfter - startedBefore - threads)
                + " threadsLeftAlive=" + (threadsLeft.isEmpty() ? "none" : threadsLeft.replace(' ', '_')));
        if (firstFailure.get() != null) {
            System.err.println("first failure: " + firstFailure.get());
        }
    }
}
