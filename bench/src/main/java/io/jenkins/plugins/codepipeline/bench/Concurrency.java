package io.jenkins.plugins.codepipeline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 5: 64 threads × 50 reports through one shared cache and reporter, in a fresh JVM; the same with one shared
 * bare client in another fresh JVM, for comparison.
 */
public final class Concurrency {
    public static void main(String[] args) throws Exception {
        int threads = 64;
        int perThread = Bench.count(50, 2);
        RefereeAdmin admin = new RefereeAdmin(Bench.endpoint());
        // ABBA: each path twice, so that neither always meets the referee first or last
        List<String> order = List.of("ours", "bare", "bare", "ours");
        List<Map<String, String>> results = new ArrayList<>();
        for (String path : order) {
            results.add(run(admin, path, threads, perThread));
        }

        Bench.Fragment f = new Bench.Fragment("5-concurrency", "5. Concurrency: 64 threads through one shared cache");
        f.para(threads + " platform threads, started together behind a latch, each send " + perThread
                + " success reports (3 output variables, each on its own fresh job) through ONE "
                + "`CodePipelineClientCache` and ONE `JobResultReporter` (all with the same `ConnectionSettings`), "
                + "in a fresh JVM. For comparison, the same load through ONE bare `CodePipelineClient`, also in a "
                + "fresh JVM. Four runs in the order ours, bare, bare, ours. Latency is per report, from call to "
                + "return; throughput is reports / time from the latch to the last thread's end; steady throughput "
                + "counts the reports completed between the 10th and the 90th percentile of completion times, over "
                + "that interval (it leaves out the connection set-up at the start and the stragglers at the end). "
                + "Threads created: `ThreadMXBean.getTotalStartedThreadCount()` after minus before, less the "
                + threads + " worker threads; the baseline is taken before the cache (or bare client) is built.");
        List<List<String>> rows = new ArrayList<>();
        boolean allOk = true;
        double[] oursTp = new double[2];
        double[] bareTp = new double[2];
        int o = 0;
        int b = 0;
        for (int i = 0; i < order.size(); i++) {
            Map<String, String> r = results.get(i);
            boolean ours = order.get(i).equals("ours");
            rows.add(row((i + 1) + ". " + (ours ? "ours (shared cache + reporter)" : "bare (shared SDK client)"), r));
            allOk &= r.get("verdict").startsWith(r.get("reports") + "/") && "0".equals(r.get("failures"))
                    && "1".equals(r.get("clientsCreated"));
            if (ours) {
                oursTp[o++] = Double.parseDouble(r.get("steadyRate"));
            } else {
                bareTp[b++] = Double.parseDouble(r.get("steadyRate"));
            }
        }
        f.table(List.of("run", "reports", "throughput", "steady throughput", "mean", "p50", "p99", "max",
                "p50 / p99 after each thread's first", "failed", "retried", "SDK clients built", "threads created",
                "threads still alive after (by name)", "listen-queue overflows / drops", "referee"), rows);
        f.para("The referee serves all connections from one Python process (a thread per connection under the GIL, "
                + "SigV4 recomputed and a log line written per request), so it, not the client, bounds the "
                + "throughput, for both paths alike: steady throughput ours " + Bench.num(oursTp[0], 0) + " and "
                + Bench.num(oursTp[1], 0) + "/s, bare " + Bench.num(bareTp[0], 0) + " and " + Bench.num(bareTp[1], 0)
                + "/s; the differences between runs of the same path are as large as those between the paths. With "
                + "64 threads always busy the mean latency follows from the throughput (Little's law); how it "
                + "splits into p50 and tail depends on which threads the referee and the connection pool happen to "
                + "serve first. The Apache client's pool holds 50 connections by default "
                + "(`ApacheHttpClient.Builder.maxConnections`; neither core's factory nor the bare client changes "
                + "it), so with 64 threads up to 14 wait for a pooled connection, for both paths alike.");
        f.para("The slow tail is connection set-up: the 64 threads open their connections at the same moment, and "
                + "the referee's listening socket has Python's default backlog of 5 (`socketserver.TCPServer."
                + "request_queue_size`), so most SYNs overflow its accept queue and are retransmitted by the kernel "
                + "after 1 s (and 3 s); the listen-queue counters of the machine (`/proc/net/netstat` TcpExt "
                + "ListenOverflows/ListenDrops, during each run) show it. Once a thread's connection is open the "
                + "latency is that of the referee under load (the p50/p99 after each thread's first report). Real "
                + "CodePipeline endpoints do not have a backlog of 5.");
        f.para("Threads: the bare SDK client runs its own `sdk-ScheduledExecutor` pool for attempt timeouts (up to 5 "
                + "threads, started as timeout tasks are scheduled); the cache gives all its clients one shared timer "
                + "pool instead (`codepipeline-client-timer-N`, at most 2 threads), and all Apache clients share one "
                + "`idle-connection-reaper`. So our threads grow neither with the number of reports or reporting "
                + "threads nor with the number of cached clients (section 6).");
        f.para("Check: every job Succeeded at the referee, one SDK client for the one (region, endpoint, settings) "
                + "key, no failure → " + Bench.met(allOk) + ".");
        Map<String, String> first = results.get(0);
        f.write("ours steady " + Bench.num(oursTp[0], 0) + "/" + Bench.num(oursTp[1], 0) + " reports/s vs bare "
                + Bench.num(bareTp[0], 0) + "/" + Bench.num(bareTp[1], 0) + " (referee-bound); ours p50 "
                + Bench.ms(Double.parseDouble(first.get("p50Nanos"))) + ", p99 "
                + Bench.ms(Double.parseDouble(first.get("p99Nanos"))) + " (connect storm; "
                + Bench.ms(Double.parseDouble(first.get("steadyP99Nanos"))) + " once connected); "
                + first.get("clientsCreated") + " client, " + first.get("threadsStarted") + " SDK threads; "
                + first.get("verdict"), "all Succeeded, 1 client", allOk ? "met" : "missed");
    }

    /** TcpExt ListenOverflows and ListenDrops of this machine (all sockets), or null where unknown. */
    private static long[] listenQueue() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    List<String> names = List.of(lines.get(i).split("\\s+"));
                    String[] values = lines.get(i + 1).split("\\s+");
                    return new long[] {Long.parseLong(values[names.indexOf("ListenOverflows")]),
                            Long.parseLong(values[names.indexOf("ListenDrops")])};
                }
            }
        } catch (Exception e) {
            // not Linux, or no such counters
        }
        return null;
    }

    static double throughput(Map<String, String> r) {
        return Double.parseDouble(r.get("reports")) / (Double.parseDouble(r.get("elapsedNanos")) / 1e9);
    }

    private static List<String> row(String path, Map<String, String> r) {
        return List.of(path, r.get("reports"), Bench.num(throughput(r), 0) + " /s",
                r.get("steadyRate") + " /s", Bench.ms(Double.parseDouble(r.get("meanNanos"))),
                Bench.ms(Double.parseDouble(r.get("p50Nanos"))), Bench.ms(Double.parseDouble(r.get("p99Nanos"))),
                Bench.ms(Double.parseDouble(r.get("maxNanos"))),
                Bench.ms(Double.parseDouble(r.get("steadyP50Nanos"))) + " / "
                        + Bench.ms(Double.parseDouble(r.get("steadyP99Nanos"))),
                r.get("failures"), r.get("retried"),
                r.get("clientsCreated"), r.get("threadsStarted"), r.get("threadsLeftAlive").replace(",", ", "),
                r.get("listenOverflows"), r.get("verdict"));
    }

    private static Map<String, String> run(RefereeAdmin admin, String path, int threads, int perThread)
            throws Exception {
        List<String> jobs = admin.createJobs(threads * perThread);
        Path file = Bench.workDir().resolve("5-jobs-" + path + ".txt");
        Files.write(file, jobs);
        System.out.println("[5-concurrency] " + path + ": " + threads + " threads × " + perThread + " reports");
        long[] listenBefore = listenQueue();
        Bench.Finished run = Bench.run(Bench.javaCommand(List.of(), ConcurrencyRun.class,
                List.of(path, "" + threads, "" + perThread, file.toString())), null, true).requireSuccess(path);
        if (!run.stderr().isBlank()) {
            System.out.println(run.stderr());
        }
        long[] listenAfter = listenQueue();
        Map<String, String> result = new java.util.LinkedHashMap<>(run.result());
        result.put("listenOverflows", listenBefore == null || listenAfter == null ? "?"
                : (listenAfter[0] - listenBefore[0]) + "/" + (listenAfter[1] - listenBefore[1]));
        RefereeAdmin.Verdict verdict = admin.check(jobs);
        result.put("verdict", verdict.succeeded() + "/" + verdict.jobs() + " Succeeded (" + verdict.oneRequest()
                + " in one request)");
        return result;
    }
}
