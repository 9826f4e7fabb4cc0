package io.jenkins.plugins.codepipeline.bench;

import io.jenkins.plugins.codepipeline.bench.WorkerRig.Handed;
import io.jenkins.plugins.codepipeline.bench.WorkerRig.PollLoop;
import io.jenkins.plugins.codepipeline.bench.WorkerRig.Queue;
import io.jenkins.plugins.codepipeline.bench.WorkerRig.Subscriber;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Section 7: core's worker loop ({@code PollCycle} over {@code JobPoller}) against the referee, with a queue that
 * stands in for Jenkins' ({@link WorkerRig}). (a) job created → handed to the queue, against the poll interval;
 * (b) 200 jobs across 20 query values: PollForJobs calls per job, duplicates, lost jobs, with one worker and with
 * two competing; (c) threads and retained heap with 1, 100 and 1000 subscriber groups ({@link WorkerProbe}, one
 * fresh JVM each).
 */
public final class Worker {
    static final String REGION = "us-east-1";
    /** Threads that poll the keys of one cycle (PollCycle.runOnce's parallelism). */
    static final int PARALLELISM = 4;
    static final String NAME = "7-worker";

    record Latency(Duration interval, int jobs, double meanGapSeconds, long[] nanos, long[] inCycleNanos,
            long[] cycleNanos, int polls, int fullBatches, int room) {
    }

    record Spread(int workers, int jobs, int values, int room, Duration interval, String builds, int polls,
            int pollsWithJobs, int maxBatch, int acknowledges, int listActionTypes, int pollErrors, int duplicates,
            int lost, int misrouted, int leftOpen, int maxInFlight, int dropped, int failedPolls, long drainNanos,
            int cycles, int minimumPolls) {
        boolean correct() {
            return duplicates == 0 && lost == 0 && misrouted == 0 && leftOpen == 0 && maxInFlight <= room;
        }
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = Bench.endpoint();
        RefereeAdmin admin = new RefereeAdmin(endpoint);
        Bench.Fragment f = new Bench.Fragment(NAME, "7. Worker: core's poller against the referee");
        f.para("Core's worker loop as the plugin runs it: one `CodePipelineClientCache`, one `ActionTypeCatalog`, one "
                + "`JobPoller`, one `PollCycle`; subscribers (`PollCycle.Subscriber`) stand in for the triggers, and "
                + "a queue stands in for Jenkins': `accept` records the job and its time and counts it in flight "
                + "until its \"build\" ends (at once, or after a random time where said). The loop calls "
                + "`PollCycle.runOnce` at a fixed rate (as `PeriodicWork` does) on its own thread; the keys of a "
                + "cycle are polled by up to " + PARALLELISM + " threads of one pool (as in the plugin's "
                + "`ControllerPoller`). Jobs are created with status "
                + "Created through the referee's admin API (`POST /_referee/jobs`), for action types registered "
                + "with `POST /_referee/action-types` (one required, queryable `ProjectName`, one secret property). "
                + "API calls are counted from the referee's record (`GET /_referee/requests?operation=…`). The "
                + "figures are printed, not asserted; a job handed over twice, lost, or handed to the wrong "
                + "subscriber fails the section.");

        // (a) latency against the poll interval
        List<Latency> latencies = new ArrayList<>();
        latencies.add(latency(admin, endpoint, Duration.ofMillis(Bench.count(1000, 250)), Bench.count(100, 3), 0.3,
                "BenchLatencyA"));
        latencies.add(latency(admin, endpoint, Duration.ofMillis(Bench.count(250, 100)), Bench.count(100, 3), 0.1,
                "BenchLatencyB"));
        List<List<String>> rows = new ArrayList<>();
        for (Latency l : latencies) {
            rows.add(List.of(Bench.ms(l.interval().toNanos()), "" + l.jobs(),
                    "every " + Bench.num(l.meanGapSeconds() * 1000, 0) + " ms on average (Poisson)",
                    Bench.ms(Bench.median(l.nanos())), Bench.ms(Bench.p99(l.nanos())),
                    Bench.ms(Bench.percentile(l.nanos(), 100)),
                    Bench.num(Bench.median(l.nanos()) / l.interval().toNanos(), 2) + " / "
                            + Bench.num(Bench.p99(l.nanos()) / l.interval().toNanos(), 2),
                    Bench.ms(Bench.median(l.inCycleNanos())) + " / " + Bench.ms(Bench.p99(l.inCycleNanos())),
                    Bench.ms(Bench.median(l.cycleNanos())) + " / " + Bench.ms(Bench.p99(l.cycleNanos())),
                    l.polls() + " (" + l.fullBatches() + " full)"));
        }
        f.line("### Job created → handed to the queue").line("");
        f.para("One subscriber (one query value, room " + latencies.get(0).room() + ": the queue starts every job "
                + "at once, so the room never limits), the loop at a fixed poll interval. After a warm-up (2 jobs, "
                + "not counted), jobs are created one by one at random times (exponential gaps, fixed seed), so "
                + "they fall at random points of the interval. Latency: from just before the admin `POST` that "
                + "creates the job (the job exists at most one loopback round trip later) to `accept` on the "
                + "subscriber. It is the wait for the next poll (uniform over the interval: median ≈ ½ interval, "
                + "p99 ≈ the interval) plus the work of the cycle; \"in the cycle\" isolates the latter: from the "
                + "start of the cycle that handed the job over (`runOnce` called) to `accept` (PollForJobs, "
                + "ListActionTypes when the catalog's entry is stale, AcknowledgeJob, the hand-over).");
        f.table(List.of("poll interval", "jobs", "created", "created → handed median", "p99", "max",
                "median / p99 in intervals", "in the cycle: median / p99", "cycle duration median / p99",
                "PollForJobs (full batches)"), rows);

        // (b) 200 jobs across 20 query values
        int total = Bench.count(200, 20);
        int values = 20;
        int room = 2;
        Duration interval = Bench.smoke() ? Duration.ofMillis(250) : Duration.ofSeconds(1);
        List<Spread> spreads = new ArrayList<>();
        spreads.add(spread(admin, endpoint, 1, total, values, room, interval, "BenchSpread1"));
        spreads.add(spread(admin, endpoint, 2, total, values, room, interval, "BenchSpread2"));
        rows = new ArrayList<>();
        for (Spread s : spreads) {
            rows.add(List.of(s.workers() == 1 ? "1 worker" : s.workers() + " workers competing", "" + s.jobs(),
                    s.values() + " × room " + s.room(), s.cycles() + (s.cycles() == 1 ? " cycle, " : " cycles, ")
                            + Bench.ms(s.drainNanos()),
                    s.polls() + " (" + s.pollsWithJobs() + " with jobs, " + (s.polls() - s.pollsWithJobs())
                            + " empty; largest batch " + s.maxBatch() + ")",
                    "**" + Bench.num((double) s.polls() / s.jobs(), 2) + "**",
                    s.minimumPolls() + " (" + Bench.num((double) s.minimumPolls() / s.jobs(), 2) + ")",
                    "" + s.acknowledges(), "" + s.listActionTypes(), "**" + s.duplicates() + "**",
                    "**" + s.lost() + "**", s.misrouted() + " / " + s.leftOpen(),
                    s.maxInFlight() + " (room " + s.room() + ")", s.dropped() + " / " + s.failedPolls() + " / "
                            + s.pollErrors()));
        }
        f.line("### " + total + " jobs across " + values + " query values").line("");
        f.para(total + " jobs of one action type, " + total / values + " for each of " + values + " query values "
                + "(`ProjectName` = s01 … s" + values + "), all created before the loop starts (a backlog, as "
                + "after a burst of pipeline runs); " + values + " subscribers, one per value, each with room " + room
                + " (the trigger's default `maxJobsInFlight`); each \"build\" lasts a random 0–1.5 s (fixed seed), "
                + "so the room is often partly taken when a cycle starts. Poll interval " + Bench.ms(interval.toNanos())
                + ". The loop stops after the cycle in which the last job was handed over, so every PollForJobs of "
                + "the run is counted, the empty ones included. **2 workers competing**: two independent loops "
                + "(each its own client cache, `JobPoller` and `PollCycle`, and its own " + values
                + " subscribers with room " + room + ", as two Jenkins controllers), half an interval apart, "
                + "taking from the same jobs: the referee dispatches a job once, and the queue is shared, so a job "
                + "handed to both would be counted. Minimum PollForJobs: a poll per value for each " + room
                + " of its jobs (ceil(" + total / values + " / " + room + ") × " + values + "), the fewest a worker "
                + "with that room can make. Duplicates: hand-overs beyond the first of a job; lost: jobs never "
                + "handed over; misrouted: handed to a subscriber of another value; left open: jobs of the type "
                + "still Created/Queued/Dispatched at the referee at the end.");
        f.table(List.of("run", "jobs", "values × room", "until all handed", "PollForJobs calls",
                "PollForJobs per job", "minimum", "AcknowledgeJob", "ListActionTypes", "duplicates", "lost",
                "misrouted / left open", "max in flight per subscriber", "dropped / failed polls / non-ok verdicts"),
                rows);

        // (c) threads and heap with 1, 100, 1000 subscriber groups
        List<Integer> groups = Bench.smoke() ? List.of(1, 20) : List.of(1, 100, 1000);
        int cycles = Bench.count(3, 1);
        List<Map<String, String>> probes = new ArrayList<>();
        for (int n : groups) {
            probes.add(probe(admin, n, cycles));
        }
        rows = new ArrayList<>();
        Map<String, String> previous = null;
        long previousRetained = 0;
        for (Map<String, String> r : probes) {
            int n = Integer.parseInt(r.get("groups"));
            long retained = Long.parseLong(r.get("afterBytes")) - Long.parseLong(r.get("baseBytes"));
            rows.add(List.of("" + n, r.get("threadsAtStart") + " → " + r.get("threadsWarm") + " → "
                            + r.get("threadsPeak") + " (" + r.get("threadsAfter") + " after)",
                    r.get("threadsStarted"), r.get("newThreads").replace(",", ", "),
                    String.format(java.util.Locale.ROOT, "%,d", retained),
                    previous == null ? "" : String.format(java.util.Locale.ROOT, "%,d", (retained - previousRetained)
                            / (n - Integer.parseInt(previous.get("groups")))),
                    Bench.ms(Double.parseDouble(r.get("cycleMedianNanos"))) + " / "
                            + Bench.ms(Double.parseDouble(r.get("cycleMaxNanos"))),
                    r.get("polls"), r.get("jobs") + " / " + r.get("failedPolls")));
            previous = r;
            previousRetained = retained;
        }
        f.line("### Threads and heap with 1, 100 and 1000 subscriber groups").line("");
        f.para("One fresh JVM per count (`-XX:+UseSerialGC -Xmx256m`, `WorkerProbe`): N subscribers with distinct "
                + "query values of one action type (N poll keys, so N PollForJobs per cycle: the worst case, "
                + "nothing shared), room 2; only the first value has jobs (2). A warm-up cycle on another key first "
                + "(classes, the SDK client, the catalog entry, the SDK's shared threads), then the N subscribers "
                + "are built (they are the triggers, not the poller), then the baseline: live heap (the heap pools' "
                + "usage right after a full GC, `MemoryPoolMXBean.getCollectionUsage`; the `MemoryMXBean` usage "
                + "that section 6 reads a moment after the GC also counts several hundred KB allocated in eden "
                + "since, more than the keys keep) and `ThreadMXBean` counts. Then " + cycles + (cycles == 1 ? " cycle" : " cycles back to back")
                + ", each "
                + "`runOnce` with a pool of " + PARALLELISM + " threads created after the baseline, then the heap "
                + "again. Threads: live at `main` → after the warm-up → peak during the cycles (`getPeakThreadCount`"
                + " after a reset at the baseline), and live after; started: `getTotalStartedThreadCount()` after "
                + "minus before the cycles. Retained heap: live heap after the cycles minus the baseline, with the "
                + "pool still alive: what the poller keeps for N keys (a `PollHealth` per key with its last "
                + "`PollOutcome`, the connections the pool's threads opened with their buffers, the SDK's "
                + "attempt-timeout tasks: cancelled when the answer comes, they stay in the timer pool's queue "
                + "until their 30 s are over, as `ScheduledThreadPoolExecutor` does unless told to remove them on "
                + "cancel). Per group added: the growth from the row above divided by the groups added, which "
                + "leaves out what does not grow with the keys (connections, threads). The cycle time is N "
                + "PollForJobs through " + PARALLELISM + " threads against the referee, which serves them one at a "
                + "time (one interpreter lock, every job it holds scanned for each poll): a bound of the referee "
                + "more than of the poller.");
        f.table(List.of("groups", "live threads: main → warm → peak (after)", "threads started in the cycles",
                "new threads alive (by name)", "retained heap (bytes)", "per group added (from the row above)",
                "cycle median / max", "PollForJobs", "jobs / failed polls"), rows);
        StringBuilder histo = new StringBuilder();
        Map<String, String> last = probes.get(probes.size() - 1);
        for (Map.Entry<String, String> e : last.entrySet()) {
            if (e.getKey().startsWith("histo.")) {
                histo.append(e.getValue()).append('\n');
            }
        }
        if (histo.length() > 0) {
            f.para("What the " + last.get("groups") + " groups hold (live heap after minus before, largest classes; "
                    + "instances and bytes):");
            f.code(histo.toString());
        }

        // verdict
        List<String> problems = new ArrayList<>();
        for (Spread s : spreads) {
            if (!s.correct()) {
                problems.add(s.workers() + " worker(s): " + s.duplicates() + " duplicates, " + s.lost() + " lost, "
                        + s.misrouted() + " misrouted, " + s.leftOpen() + " left open, max in flight "
                        + s.maxInFlight() + " > room " + s.room());
            }
        }
        for (Map<String, String> r : probes) {
            if (!"2".equals(r.get("jobs"))) {
                problems.add(r.get("groups") + " groups: " + r.get("jobs") + " of 2 jobs handed over");
            }
        }
        if (!problems.isEmpty()) {
            throw f.fail(String.join("; ", problems));
        }
        Latency l1 = latencies.get(0);
        Spread s1 = spreads.get(0);
        Map<String, String> big = probes.get(probes.size() - 1);
        long bigRetained = Long.parseLong(big.get("afterBytes")) - Long.parseLong(big.get("baseBytes"));
        Map<String, String> before = probes.get(probes.size() - 2);
        long slope = (Long.parseLong(big.get("afterBytes")) - Long.parseLong(big.get("baseBytes"))
                - Long.parseLong(before.get("afterBytes")) + Long.parseLong(before.get("baseBytes")))
                / (Long.parseLong(big.get("groups")) - Long.parseLong(before.get("groups")));
        f.para("Check: no job handed over twice, none lost or misrouted, none left open, no subscriber over its "
                + "room, in both runs → " + Bench.met(true) + ".");
        f.write("created → handed median " + Bench.ms(Bench.median(l1.nanos())) + ", p99 "
                + Bench.ms(Bench.p99(l1.nanos())) + " at a " + Bench.ms(l1.interval().toNanos()) + " interval ("
                + Bench.ms(Bench.median(l1.inCycleNanos())) + " of it in the cycle); " + s1.jobs() + " jobs / "
                + s1.values() + " values: " + Bench.num((double) s1.polls() / s1.jobs(), 2) + " PollForJobs per job, "
                + s1.duplicates() + " duplicates, " + s1.lost() + " lost (2 workers: " + spreads.get(1).duplicates()
                + ", " + spreads.get(1).lost() + "); " + big.get("groups") + " groups: peak " + big.get("threadsPeak")
                + " live threads (" + big.get("threadsStarted") + " started for the polls), retained heap "
                + String.format(java.util.Locale.ROOT, "%,d", bigRetained) + " bytes (≈ "
                + String.format(java.util.Locale.ROOT, "%,d", slope) + " per group beyond " + before.get("groups")
                + "), cycle " + Bench.ms(Double.parseDouble(big.get("cycleMedianNanos"))),
                "0 duplicates, 0 lost", "met");
    }

    // ------------------------------------------------------------------ (a)

    static Latency latency(RefereeAdmin admin, URI endpoint, Duration interval, int jobs, double meanGapSeconds,
            String provider) throws Exception {
        System.out.println("[" + NAME + "] latency: " + jobs + " jobs at a " + Bench.ms(interval.toNanos())
                + " poll interval");
        admin.registerActionType(REGION, provider);
        int room = 10;
        String value = "latency";
        try (WorkerRig rig = new WorkerRig(); Queue queue = new Queue(() -> 0)) {
            Subscriber sub = new Subscriber(WorkerRig.key(endpoint, REGION, provider, value), room, queue);
            try (PollLoop loop = new PollLoop("latency", rig.cycle, List.of(sub), queue, interval, Duration.ZERO,
                    PARALLELISM, () -> false).start()) {
                List<String> warm = List.of(admin.createQueuedJob(REGION, provider, value),
                        admin.createQueuedJob(REGION, provider, value));
                awaitHanded(queue, warm, loop, Duration.ofSeconds(30));
                // the cycle that handed them over (the first: it also built the client) ends before the count
                int warmCycles = loop.cycles.get();
                while (loop.cycles.get() <= warmCycles) {
                    loop.rethrow();
                    Thread.sleep(2);
                }
                int pollsBefore = sub.polls.get();
                sub.fullBatches.set(0);
                int cyclesBefore = loop.cycleNanos.size();
                Random random = new Random(7);
                Map<String, Long> created = new LinkedHashMap<>();
                for (int i = 0; i < jobs; i++) {
                    long gap = (long) (-Math.log(1 - random.nextDouble()) * meanGapSeconds * 1e9);
                    Thread.sleep(gap / 1_000_000, (int) (gap % 1_000_000));
                    long t = System.nanoTime();
                    created.put(admin.createQueuedJob(REGION, provider, value), t);
                }
                awaitHanded(queue, created.keySet(), loop, interval.multipliedBy(5).plusSeconds(30));
                long[] nanos = new long[jobs];
                long[] inCycle = new long[jobs];
                int i = 0;
                for (Map.Entry<String, Long> e : created.entrySet()) {
                    List<Handed> h = queue.handed.get(e.getKey());
                    if (h.size() != 1) {
                        throw new IllegalStateException("job " + e.getKey() + " handed over " + h.size() + " times");
                    }
                    nanos[i] = h.get(0).atNanos() - e.getValue();
                    inCycle[i++] = h.get(0).atNanos() - h.get(0).cycleStartNanos();
                }
                List<Long> cycleNanos;
                synchronized (loop.cycleNanos) { // the loop still runs
                    cycleNanos = new ArrayList<>(loop.cycleNanos.subList(cyclesBefore, loop.cycleNanos.size()));
                }
                int full = sub.fullBatches.get();
                return new Latency(interval, jobs, meanGapSeconds, nanos, inCycle, Bench.toArray(cycleNanos),
                        sub.polls.get() - pollsBefore, full, room);
            }
        }
    }

    private static void awaitHanded(Queue queue, java.util.Collection<String> jobs, PollLoop loop, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.handed.keySet().containsAll(jobs)) {
            loop.rethrow();
            if (System.nanoTime() > deadline) {
                List<String> missing = new ArrayList<>(jobs);
                missing.removeAll(queue.handed.keySet());
                throw new IllegalStateException(missing.size() + " of " + jobs.size() + " jobs not handed over after "
                        + timeout + ", e.g. " + missing.get(0));
            }
            Thread.sleep(2);
        }
    }

    // ------------------------------------------------------------------ (b)

    static Spread spread(RefereeAdmin admin, URI endpoint, int workers, int total, int values, int room,
            Duration interval, String provider) throws Exception {
        System.out.println("[" + NAME + "] " + total + " jobs across " + values + " values, " + workers
                + " worker(s)");
        admin.registerActionType(REGION, provider);
        long seq0 = admin.lastSeq();
        List<String> names = new ArrayList<>();
        for (int v = 1; v <= values; v++) {
            names.add(String.format("s%02d", v));
        }
        // the backlog: total/values jobs per value, created in a shuffled order
        List<String> order = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            order.add(names.get(i % values));
        }
        Collections.shuffle(order, new Random(11));
        Map<String, String> created = new LinkedHashMap<>();
        for (String value : order) {
            created.put(admin.createQueuedJob(REGION, provider, value), value);
        }
        Random builds = new Random(13);
        List<WorkerRig> rigs = new ArrayList<>();
        List<PollLoop> loops = new ArrayList<>();
        List<Subscriber> all = new ArrayList<>();
        long started;
        Map<String, List<Handed>> handed;
        int cycles = 0;
        try (Queue queue = new Queue(() -> {
            synchronized (builds) {
                return (long) (builds.nextDouble() * 1.5e9);
            }
        })) {
            started = System.nanoTime();
            for (int w = 0; w < workers; w++) {
                WorkerRig rig = new WorkerRig();
                rigs.add(rig);
                List<Subscriber> subs = new ArrayList<>();
                for (String value : names) {
                    subs.add(new Subscriber(WorkerRig.key(endpoint, REGION, provider, value), room, queue));
                }
                all.addAll(subs);
                loops.add(new PollLoop("spread-" + w, rig.cycle, subs, queue, interval,
                        interval.dividedBy(workers).multipliedBy(w), PARALLELISM,
                        () -> queue.handed.size() >= total).start());
            }
            Duration timeout = interval.multipliedBy(total / values / room * 4L + 10).plusSeconds(30);
            for (PollLoop loop : loops) {
                loop.awaitDone(timeout);
            }
            for (PollLoop loop : loops) {
                cycles += loop.cycles.get();
                loop.close();
            }
            handed = new TreeMap<>(queue.handed);
        } finally {
            for (WorkerRig rig : rigs) {
                rig.close();
            }
        }
        long lastHanded = handed.values().stream().flatMap(List::stream).mapToLong(Handed::atNanos).max()
                .orElse(started);
        int duplicates = handed.values().stream().mapToInt(l -> Math.max(0, l.size() - 1)).sum();
        int lost = 0;
        int misrouted = 0;
        for (Map.Entry<String, String> e : created.entrySet()) {
            List<Handed> h = handed.get(e.getKey());
            if (h == null) {
                lost++;
                continue;
            }
            for (Handed one : h) {
                if (!e.getValue().equals(one.to().value)) {
                    misrouted++;
                }
            }
        }
        int leftOpen = admin.jobsOf(provider, "Created", "Queued", "Dispatched").size();

        // the referee's record of the run
        int polls = 0;
        int pollsWithJobs = 0;
        int maxBatch = 0;
        int acks = 0;
        int lists = 0;
        int errors = 0;
        for (Map<?, ?> r : admin.requests(seq0, "PollForJobs", "AcknowledgeJob", "ListActionTypes")) {
            String op = (String) r.get("operation");
            if (!"ok".equals(r.get("verdict"))) {
                errors++;
            }
            if ("PollForJobs".equals(op)) {
                if (!provider.equals(RefereeAdmin.path(r, "body", "actionTypeId", "provider"))) {
                    continue;
                }
                polls++;
                Object jobs = RefereeAdmin.path(r, "response", "jobs");
                int n = jobs instanceof List<?> list ? list.size() : 0;
                if (n > 0) {
                    pollsWithJobs++;
                }
                maxBatch = Math.max(maxBatch, n);
            } else if ("AcknowledgeJob".equals(op)) {
                if (created.containsKey((String) RefereeAdmin.path(r, "body", "jobId"))) {
                    acks++;
                }
            } else {
                lists++;
            }
        }
        int maxInFlight = all.stream().mapToInt(s -> s.maxInFlight.get()).max().orElse(0);
        int dropped = all.stream().mapToInt(s -> s.dropped.get()).sum();
        int failed = all.stream().mapToInt(s -> s.failedPolls.get()).sum();
        int minimum = values * (int) Math.ceil((double) total / values / room);
        return new Spread(workers, total, values, room, interval, "0–1.5 s", polls, pollsWithJobs, maxBatch, acks,
                lists, errors, duplicates, lost, misrouted, leftOpen, maxInFlight, dropped, failed,
                lastHanded - started, cycles, minimum);
    }

    // ------------------------------------------------------------------ (c)

    static Map<String, String> probe(RefereeAdmin admin, int groups, int cycles) {
        String provider = "BenchGroups";
        admin.registerActionType(REGION, provider);
        admin.createQueuedJob(REGION, provider, "warm");
        admin.createQueuedJob(REGION, provider, "g0000");
        admin.createQueuedJob(REGION, provider, "g0000");
        System.out.println("[" + NAME + "] " + groups + " subscriber groups, " + cycles + " cycles (fresh JVM)");
        Bench.Finished run = Bench.run(Bench.javaCommand(List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"),
                WorkerProbe.class, List.of("" + groups, "" + cycles, "" + PARALLELISM, provider, REGION)), null,
                true).requireSuccess("WorkerProbe " + groups);
        if (!run.stderr().isBlank()) {
            System.out.println(run.stderr());
        }
        Map<String, String> r = new LinkedHashMap<>(run.result());
        int i = 0;
        for (String line : run.stdout()) {
            if (line.startsWith("HISTO ")) {
                String[] p = line.split(" ");
                r.put("histo." + i++, String.format(java.util.Locale.ROOT, "%-70s %8s %,12d", p[1], p[2],
                        Long.parseLong(p[3])));
            }
        }
        return r;
    }
}
