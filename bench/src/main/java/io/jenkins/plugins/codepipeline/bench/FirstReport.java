package io.jenkins.plugins.codepipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 2: the first report in a fresh JVM, client creation included, ours ({@link FirstReportOurs}) versus the
 * bare SDK ({@link FirstReportBare}), N fresh JVMs each, alternating, each on a fresh job.
 */
public final class FirstReport {
    record Runs(List<Long> mainToDelivered, List<Long> jvmStartToMain, List<Long> jvmStartToDelivered,
            List<Long> processWall) {
        Runs() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        void add(Bench.Finished run) {
            Map<String, String> r = run.result();
            mainToDelivered.add(Long.parseLong(r.get("mainToDeliveredNanos")));
            jvmStartToMain.add(Long.parseLong(r.get("jvmStartToMainMs")) * 1_000_000);
            jvmStartToDelivered.add(Long.parseLong(r.get("jvmStartToDeliveredMs")) * 1_000_000);
            processWall.add(run.wallNanos());
        }
    }

    public static void main(String[] args) {
        int jvms = Bench.count(10, 2);
        RefereeAdmin admin = new RefereeAdmin(Bench.endpoint());
        List<String> jobs = admin.createJobs(3 * (jvms + 1));
        String endpoint = Bench.endpoint().toString();
        List<Class<?>> mains = List.of(FirstReportOurs.class, FirstReportBare.class,
                FirstReportOursUrlConnection.class);
        List<Runs> runs = List.of(new Runs(), new Runs(), new Runs());
        Runs ours = runs.get(0);
        Runs bare = runs.get(1);
        Runs url = runs.get(2);
        System.out.println("[2-first] " + jvms + " fresh JVMs per path (ours, bare, ours with url-connection-client), "
                + "round robin, after one discarded round");
        for (int i = -1; i < jvms; i++) {
            // the order rotates each round; the first round only warms the page cache and is not counted
            for (int k = 0; k < mains.size(); k++) {
                int v = Math.floorMod(k + i, mains.size());
                Bench.Finished run = launch(mains.get(v), endpoint, jobs.get(3 * (i + 1) + v));
                if (i >= 0) {
                    runs.get(v).add(run);
                }
            }
        }
        RefereeAdmin.Verdict verdict = admin.check(jobs);

        // where our extra time goes: our own steps, each timed alone in a fresh JVM
        Map<String, List<Long>> steps = new java.util.LinkedHashMap<>();
        for (int i = 0; i < jvms; i++) {
            Bench.Finished run = Bench.run(Bench.javaCommand(List.of(), FirstReportSteps.class, List.of(endpoint)),
                    null, true).requireSuccess("FirstReportSteps");
            run.result().forEach((k, v) -> {
                if (!k.equals("check")) {
                    steps.computeIfAbsent(k, x -> new ArrayList<>()).add(Long.parseLong(v));
                }
            });
        }

        double oursMain = Bench.median(Bench.toArray(ours.mainToDelivered()));
        double bareMain = Bench.median(Bench.toArray(bare.mainToDelivered()));
        double oursTotal = Bench.median(Bench.toArray(ours.jvmStartToDelivered()));
        double bareTotal = Bench.median(Bench.toArray(bare.jvmStartToDelivered()));
        boolean met = oursMain <= 1.1 * bareMain && verdict.allSucceeded();

        Bench.Fragment f = new Bench.Fragment("2-first", "2. First report in a fresh JVM (client creation included)");
        f.para("Each run is a new `java` process (default flags, the bench class path) that sends one success report "
                + "with 3 output variables on a fresh job and exits. **Ours** (`FirstReportOurs`): a new "
                + "`CodePipelineClientCache` with core's `ApacheHttpClientFactory` and a `JobResultReporter`. "
                + "**Bare** (`FirstReportBare`): `CodePipelineClient.builder()` with the same Apache client, retry and "
                + "timeout settings and `putJobSuccessResult`. The main classes are self-contained, so none loads "
                + "another's classes. " + jvms + " JVMs per path, round robin with the order rotated each round, after "
                + "one discarded round.");
        f.para("Timings: **main → delivered** is `System.nanoTime()` from the first statement of `main` to the "
                + "answer (class loading of core and the SDK, client creation, signing, the request). **JVM start → "
                + "main** and **JVM start → delivered** use `RuntimeMXBean.getStartTime()` (ms resolution, recorded "
                + "while the VM is created; `java.management` is loaded only after the measured part) against "
                + "`System.currentTimeMillis()`. **Process wall** is the parent's `ProcessBuilder.start()` to exit, "
                + "fork/exec and JVM shutdown included.");
        List<List<String>> rows = new ArrayList<>();
        row(rows, "main → delivered", ours.mainToDelivered(), bare.mainToDelivered());
        row(rows, "JVM start → main", ours.jvmStartToMain(), bare.jvmStartToMain());
        row(rows, "JVM start → delivered", ours.jvmStartToDelivered(), bare.jvmStartToDelivered());
        row(rows, "process wall (fork → exit)", ours.processWall(), bare.processWall());
        f.table(List.of("phase", "ours median", "ours p99", "bare median", "bare p99", "ours/bare (median)"), rows);
        f.para("Referee check: " + verdict + ". p99 over " + jvms + " runs is the slowest run. JVM start → main "
                + "differs between the paths because the verifier loads classes a main class refers to before `main` "
                + "runs, and the bare one refers to more SDK classes; JVM start → delivered includes that.");
        Map<String, String> stepNames = Map.of(
                "settings", "`ConnectionSettings` built (region pattern, endpoint checks)",
                "validate", "result built and `JobResultValidator.requireValid` (first use of its patterns)",
                "regionWarning", "`regionWarning()`: `Region.regions()`, initialises the SDK's `Region` (the SDK "
                        + "client needs it too, so mostly not extra)",
                "recordHashEquals", "first `hashCode()` + `equals()` of `ConnectionSettings` (the cache key), "
                        + "hand-written in `ConnectionSettings` and `HttpSettings`: a record's generated ones would "
                        + "bootstrap `java.lang.runtime.ObjectMethods` method handles, about 20 ms here");
        List<List<String>> stepRows = new ArrayList<>();
        steps.forEach((k, v) -> {
            long[] t = Bench.toArray(v);
            stepRows.add(List.of(stepNames.getOrDefault(k, k), Bench.ms(Bench.median(t)), Bench.ms(Bench.p99(t))));
        });
        f.para("Where our extra time goes: `FirstReportSteps` runs our own steps (no SDK call) in " + jvms
                + " further fresh JVMs, each step timed alone in the order the reporter and the cache take them. "
                + "These are the costs a fresh JVM pays on our path and not on the bare one (apart from `Region`).");
        f.table(List.of("step (fresh JVM, in this order)", "median", "p99"), stepRows);
        double own = 0;
        for (Map.Entry<String, List<Long>> e : steps.entrySet()) {
            if (!e.getKey().equals("regionWarning")) {
                own += Bench.median(Bench.toArray(e.getValue()));
            }
        }
        String largest = null;
        double largestMedian = -1;
        for (Map.Entry<String, List<Long>> e : steps.entrySet()) {
            double m = Bench.median(Bench.toArray(e.getValue()));
            if (!e.getKey().equals("regionWarning") && m > largestMedian) {
                largestMedian = m;
                largest = e.getKey();
            }
        }
        double record = Bench.median(Bench.toArray(steps.get("recordHashEquals")));
        f.para("Without `Region`, our own steps take about " + Bench.ms(own) + " of a fresh JVM's first report ("
                + Bench.num(100 * own / bareMain, 1) + " % of the bare figure); the largest: "
                + stepNames.getOrDefault(largest, largest) + " (" + Bench.ms(largestMedian) + "). The cache key's first `hashCode()` + `equals()` takes "
                + Bench.ms(record) + " since they are hand-written; as the records' generated methods they took "
                + "about 20 ms (an earlier run of this section). Our path does the bare path's SDK work plus these "
                + "steps, so a ratio below 1.0× is noise: run-to-run variation of the medians on this shared machine "
                + "is several per cent (between full runs the bare median has moved by as much as 15 %), larger "
                + "than our own steps.");
        long[] urlMain = Bench.toArray(url.mainToDelivered());
        long[] oursMainAll = Bench.toArray(ours.mainToDelivered());
        f.para("A start-up lever measured here for the CLI: a leaner HTTP client. **Ours with url-connection-client** "
                + "(`FirstReportOursUrlConnection`, run in the same rounds): the same reporter and cache with the SDK's "
                + "`UrlConnectionHttpClient` (JDK `HttpURLConnection`) through core's `HttpClientFactory`, instead of "
                + "the Apache client (httpclient, httpcore, commons-logging, commons-codec). The referee speaks plain "
                + "HTTP, and `HttpURLConnection` sets TLS up only for https while the Apache client does it when "
                + "built, so this variant initialises the JDK's default TLS context (trust store included) inside "
                + "the measured part, as an https endpoint would need.");
        f.table(List.of("main → delivered", "median", "p99", "vs ours with Apache (median)"), List.of(
                List.of("ours, Apache client", Bench.ms(Bench.median(oursMainAll)), Bench.ms(Bench.p99(oursMainAll)),
                        "1.00×"),
                List.of("ours, url-connection-client", Bench.ms(Bench.median(urlMain)), Bench.ms(Bench.p99(urlMain)),
                        Bench.ratio(Bench.median(urlMain), Bench.median(oursMainAll)))));
        f.para("Target: ours ≤ 1.1× the bare SDK. Judged on **main → delivered**, the part in which the two differ "
                + "(JVM start-up is the same for both and would only dilute the ratio): "
                + Bench.ratio(oursMain, bareMain) + " → " + Bench.met(met) + ". From JVM start: "
                + Bench.ratio(oursTotal, bareTotal) + ".");
        f.write("main→delivered ours " + Bench.ms(oursMain) + " vs bare " + Bench.ms(bareMain) + " ("
                + Bench.ratio(oursMain, bareMain) + "); JVM start→delivered " + Bench.ms(oursTotal) + " vs "
                + Bench.ms(bareTotal) + "; with url-connection-client " + Bench.ms(Bench.median(urlMain)),
                "≤ 1.1× bare", met ? "met" : "missed");
    }

    private static void row(List<List<String>> rows, String phase, List<Long> ours, List<Long> bare) {
        long[] o = Bench.toArray(ours);
        long[] b = Bench.toArray(bare);
        rows.add(List.of(phase, Bench.ms(Bench.median(o)), Bench.ms(Bench.p99(o)), Bench.ms(Bench.median(b)),
                Bench.ms(Bench.p99(b)), Bench.ratio(Bench.median(o), Bench.median(b))));
    }

    private static Bench.Finished launch(Class<?> main, String endpoint, String jobId) {
        return Bench.run(Bench.javaCommand(List.of(), main, List.of(endpoint, jobId)), null, true)
                .requireSuccess(main.getSimpleName());
    }
}
