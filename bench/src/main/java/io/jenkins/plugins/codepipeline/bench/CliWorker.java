package io.jenkins.plugins.codepipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Section 8: the command-line worker ({@code codepipeline-job worker ... -- true}) against the referee: jobs per
 * second over a backlog of N jobs with a no-op command, as a long-running loop (stopped with SIGTERM once every job
 * is reported) and as one {@code --once} process per job.
 */
public final class CliWorker {
    static final String NAME = "8-cli-worker";
    static final String REGION = "us-east-1";
    static final String VALUE = "cli";

    /** One worker run: its jobs, and what the referee and the process said. */
    record Run(String name, String provider, int maxJobs, int jobs, long startToFirstNanos, long firstToLastNanos,
            long startToLastNanos, long stopNanos, int exitCode, int succeeded, int duplicates, int failures,
            int polls, int pollsWithJobs, int acks, List<Long> processNanos) {
        double steadyRate() {
            return jobs > 1 && firstToLastNanos > 0 ? (jobs - 1) / (firstToLastNanos / 1e9) : Double.NaN;
        }

        double overallRate() {
            return jobs / (startToLastNanos / 1e9);
        }

        boolean correct() {
            return succeeded == jobs && duplicates == 0 && failures == 0;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Bench.root().resolve("cli/target/codepipeline-job.jar");
        Path launcher = Bench.root().resolve("cli/target/codepipeline-job");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with: mvn -Doffline -pl core,cli package");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        RefereeAdmin admin = new RefereeAdmin(Bench.endpoint());
        Map<String, String> env = Cli.labEnvironment();
        int backlog = Bench.count(200, 3);
        int onceRuns = Bench.count(10, 1);

        List<Run> runs = new ArrayList<>();
        for (int maxJobs : List.of(1, 4)) {
            String provider = "BenchCliLoop" + maxJobs;
            runs.add(loop(admin, java, jar, env, provider, maxJobs, backlog));
        }
        // one process per job, the variants interleaved round by round so that a load on the machine hits them alike
        List<OnceVariant> variants = new ArrayList<>();
        Boolean launcherArchive = null;
        variants.add(new OnceVariant("`--once`, `java -jar`, one process per job", List.of(java, "-jar",
                jar.toString()), env, "BenchCliOnce", Kind.WORKER));
        if (Files.isExecutable(launcher) && !Bench.smoke()) { // the same code path as the row above
            Map<String, String> launcherEnv = new HashMap<>(env);
            launcherEnv.put("JAVA_HOME", System.getProperty("java.home"));
            launcherEnv.put("CODEPIPELINE_JOB_JAVA_OPTS", "");
            Path cache = Bench.workDir().resolve("worker-launcher-cache");
            launcherEnv.put("XDG_CACHE_HOME", cache.toString());
            // the launcher's first run that sends something creates its AppCDS archive: one discarded run primes
            // the cache
            once(admin, List.of(new OnceVariant("priming", List.of(launcher.toString()), launcherEnv,
                    "BenchCliPriming", Kind.WORKER)), 1);
            boolean archived;
            try (var files = Files.walk(cache)) {
                archived = files.anyMatch(p -> p.toString().endsWith(".jsa"));
            } catch (IOException e) {
                archived = false;
            }
            launcherArchive = archived;
            OnceVariant viaLauncher = new OnceVariant("`--once`, launcher `cli/target/codepipeline-job` ("
                    + (archived ? "AppCDS archive primed" : "C1 + SerialGC; **no AppCDS archive**: the priming run "
                    + "created none") + "), one process per job", List.of(launcher.toString()), launcherEnv,
                    "BenchCliLauncher", Kind.WORKER);
            variants.add(viaLauncher);
        }
        variants.add(new OnceVariant("reference: `java -jar … success --job-id …` (one report per process, "
                + "section 3's plain row)", List.of(java, "-jar", jar.toString()), env, null, Kind.REPORT));
        variants.add(new OnceVariant("reference: JVM floor, `java -cp bench/target/classes …Noop` (section 3's)",
                List.of(java, "-cp", Bench.root().resolve("bench/target/classes").toString(), Noop.class.getName()),
                env, null, Kind.FLOOR));
        runs.addAll(once(admin, variants, onceRuns));

        Bench.Fragment f = new Bench.Fragment(NAME, "8. Worker: the command-line worker");
        f.para("`java -jar cli/target/codepipeline-job.jar worker --category Build --provider P --version 1 --query "
                + "ProjectName=" + VALUE + " --region " + REGION + " --endpoint-url <referee> --poll-interval 1 "
                + "--max-jobs M -- true`, the lab key pair in `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, and a "
                + "backlog of " + backlog + " jobs (status Created, one action type per run) created before the "
                + "process starts. Each job: PollForJobs (a batch of the free room), AcknowledgeJob, `true` run "
                + "as a child process with the job's environment, PutJobSuccessResult. The harness watches the "
                + "referee's record (`GET /_referee/requests?operation=PutJobSuccessResult&since=…`) and sends "
                + "SIGTERM once every job is reported; the worker then exits (143). Times of the first and last "
                + "report are the referee's own timestamps (same machine clock). **Steady**: (jobs − 1) / (first "
                + "report → last report); **overall**: jobs / (process start → last report), JVM start and the "
                + "first poll included. The `--once` rows start one process per job (1 job waiting, `--max-jobs 1 "
                + "--once`) and time it from start to exit (their rate is 1 / median process time), next to the "
                + "same JVM sending one report (`success`, no poll, no command) as a reference; these variants run "
                + "interleaved, round by round, so that a load on the machine affects them alike.");
        List<List<String>> rows = new ArrayList<>();
        for (Run r : runs) {
            boolean loop = r.processNanos().isEmpty();
            boolean polls = r.polls() > 0;
            boolean jobs = r.jobs() > 0;
            rows.add(List.of(r.name(), loop ? "" + r.jobs() : r.processNanos().size() + " processes",
                    loop ? Bench.num(r.steadyRate(), 1) + " /s" : "",
                    loop ? Bench.num(r.overallRate(), 1) + " /s"
                            : Bench.num(1e9 / Bench.median(Bench.toArray(r.processNanos())), 2) + " /s",
                    loop ? Bench.ms(r.startToFirstNanos()) : "",
                    loop ? Bench.ms(r.firstToLastNanos() / Math.max(1.0, r.jobs() - 1)) : "",
                    loop ? "" : Bench.ms(Bench.median(Bench.toArray(r.processNanos()))) + " / "
                            + Bench.ms(Bench.percentile(Bench.toArray(r.processNanos()), 100)),
                    polls ? r.polls() + " (" + r.pollsWithJobs() + " with jobs) = "
                            + Bench.num((double) r.polls() / r.jobs(), 2) + " per job" : "",
                    polls ? "" + r.acks() : "", jobs ? r.succeeded() + "/" + r.jobs() : "",
                    jobs ? r.duplicates() + " / " + r.failures() : "",
                    loop ? Bench.ms(r.stopNanos()) + ", exit " + r.exitCode() : "exit " + r.exitCode()));
        }
        f.table(List.of("run", "jobs", "steady", "overall (`--once`: 1 / median)", "start → first report", "per job (steady)",
                "process median / max", "PollForJobs", "AcknowledgeJob", "Succeeded", "duplicate results / failed",
                "SIGTERM → exit"), rows);
        f.para("With `--max-jobs 1` the jobs run one after the other: a poll (batch 1), an acknowledge, a fork of "
                + "`true`, a report, then the next poll at once (the room was full, so the worker does not wait the "
                + "interval). With `--max-jobs 4` four run at once and each poll asks for the free room. Against "
                + "the referee (one Python process, a GIL, SigV4 recomputed per request) the API calls dominate: "
                + "a job costs three of them. One process per job costs about a JVM start and a report "
                + "process more than the loop's per-job cost: the `success` row is the same JVM sending one report "
                + "(no poll, no acknowledge, no command), the floor is an empty `main`; the difference between the "
                + "`--once` row and the `success` row is the poll, the acknowledge and the command.");
        if (Boolean.FALSE.equals(launcherArchive)) {
            f.para("The launcher created no AppCDS archive for the worker's command line (its priming run left none "
                    + "in its cache directory): it skips the archive for runs that send nothing, which it recognises "
                    + "by arguments such as `--version`, and the worker's action type option is also named "
                    + "`--version`. So its row has the launcher's other options only.");
        }
        List<String> problems = new ArrayList<>();
        for (Run r : runs) {
            if (!r.correct()) {
                problems.add(r.name() + ": " + r.succeeded() + "/" + r.jobs() + " Succeeded, " + r.duplicates()
                        + " duplicate results, " + r.failures() + " failure results");
            }
        }
        if (!problems.isEmpty()) {
            throw f.fail(String.join("; ", problems));
        }
        f.para("Check: every job Succeeded with exactly one result, none failed → " + Bench.met(true) + ".");
        Run one = runs.get(0);
        Run four = runs.get(1);
        Run onceRun = runs.get(2);
        Run reference = runs.get(runs.size() - 2);
        Run floor = runs.get(runs.size() - 1);
        f.write("loop: " + Bench.num(one.steadyRate(), 1) + " jobs/s with --max-jobs 1, "
                + Bench.num(four.steadyRate(), 1) + " with --max-jobs 4 (" + one.jobs() + " jobs, `true`); --once: "
                + Bench.ms(Bench.median(Bench.toArray(onceRun.processNanos()))) + " per process (one `success` "
                + "report process: " + Bench.ms(Bench.median(Bench.toArray(reference.processNanos())))
                + ", JVM floor " + Bench.ms(Bench.median(Bench.toArray(floor.processNanos()))) + "); 0 duplicates",
                "every job Succeeded once", "met");
    }

    // ------------------------------------------------------------------ the long-running worker

    static Run loop(RefereeAdmin admin, String java, Path jar, Map<String, String> env, String provider,
            int maxJobs, int jobs) throws Exception {
        String name = "loop, `--max-jobs " + maxJobs + "`";
        System.out.println("[" + NAME + "] " + name + ": " + jobs + " jobs");
        admin.registerActionType(REGION, provider);
        long seq0 = admin.lastSeq();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(admin.createQueuedJob(REGION, provider, VALUE));
        }
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(workerArgs(provider, maxJobs, false));
        Path log = Bench.workDir().resolve("8-" + provider + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        clean(builder.environment());
        builder.environment().putAll(env);
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        Map<String, Instant> reported = new HashMap<>();
        long since = seq0;
        long deadline = started + TimeUnit.SECONDS.toNanos(60 + jobs);
        while (reported.size() < ids.size()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with " + process.exitValue() + " after "
                        + reported.size() + " of " + jobs + " jobs:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("only " + reported.size() + " of " + jobs + " jobs reported in time:\n"
                        + tail(log));
            }
            Thread.sleep(20);
            for (Map<?, ?> r : admin.requests(since, "PutJobSuccessResult", "PutJobFailureResult")) {
                since = Math.max(since, ((Number) r.get("seq")).longValue());
                String id = (String) RefereeAdmin.path(r, "body", "jobId");
                if (ids.contains(id)) {
                    reported.putIfAbsent(id, OffsetDateTime.parse((String) r.get("time")).toInstant());
                }
            }
        }
        long stopAsked = System.nanoTime();
        process.destroy(); // SIGTERM
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the worker did not stop within 30 s of SIGTERM:\n" + tail(log));
        }
        long stopped = System.nanoTime();
        Instant first = reported.values().stream().min(Instant::compareTo).orElseThrow();
        Instant last = reported.values().stream().max(Instant::compareTo).orElseThrow();
        return finish(admin, name, provider, maxJobs, ids, seq0,
                nanosBetween(startedAt, first), nanosBetween(first, last), nanosBetween(startedAt, last),
                stopped - stopAsked, process.exitValue(), List.of());
    }

    // ------------------------------------------------------------------ one process per job

    enum Kind { WORKER, REPORT, FLOOR }

    /**
     * A way to start one process per job: the worker with {@code --once}, the {@code success} command on an
     * InProgress job, or an empty main (no job).
     */
    record OnceVariant(String name, List<String> launch, Map<String, String> env, String provider, Kind kind) {
    }

    static List<Run> once(RefereeAdmin admin, List<OnceVariant> variants, int runs) throws Exception {
        System.out.println("[" + NAME + "] " + variants.stream().map(OnceVariant::name).toList() + ": " + runs
                + " process(es) each, interleaved");
        long seq0 = admin.lastSeq();
        List<Set<String>> ids = new ArrayList<>();
        List<List<Long>> nanos = new ArrayList<>();
        for (OnceVariant v : variants) {
            if (v.provider() != null) {
                admin.registerActionType(REGION, v.provider());
            }
            ids.add(new LinkedHashSet<>());
            nanos.add(new ArrayList<>());
        }
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < variants.size(); k++) {
                OnceVariant v = variants.get((k + i) % variants.size()); // who goes first rotates
                int slot = variants.indexOf(v);
                List<String> command = new ArrayList<>(v.launch());
                if (v.kind() == Kind.REPORT) {
                    String job = admin.createJobs(1, REGION).get(0);
                    ids.get(slot).add(job);
                    command.addAll(List.of("success", "--job-id", job, "--region", REGION, "--endpoint-url",
                            Bench.endpoint().toString()));
                } else if (v.kind() == Kind.WORKER) {
                    ids.get(slot).add(admin.createQueuedJob(REGION, v.provider(), VALUE));
                    command.addAll(workerArgs(v.provider(), 1, true));
                }
                Bench.Finished run = Bench.run(command, v.env(), true);
                if (run.exitCode() != 0) {
                    throw new IllegalStateException(v.name() + " exited with " + run.exitCode() + ":\n"
                            + run.stderr());
                }
                nanos.get(slot).add(run.wallNanos());
            }
        }
        List<Run> out = new ArrayList<>();
        for (int k = 0; k < variants.size(); k++) {
            OnceVariant v = variants.get(k);
            out.add(finish(admin, v.name(), v.provider() == null ? "-" : v.provider(), 1, ids.get(k), seq0, 0, 0, 0,
                    0, 0, nanos.get(k)));
        }
        return out;
    }

    private static Run finish(RefereeAdmin admin, String name, String provider, int maxJobs, Set<String> ids,
            long seq0, long startToFirst, long firstToLast, long startToLast, long stop, int exit,
            List<Long> processNanos) {
        int polls = 0;
        int withJobs = 0;
        int acks = 0;
        int results = 0;
        int failures = 0;
        Set<String> succeeded = new java.util.HashSet<>();
        for (Map<?, ?> r : admin.requests(seq0, "PollForJobs", "AcknowledgeJob", "PutJobSuccessResult",
                "PutJobFailureResult")) {
            String op = (String) r.get("operation");
            String id = (String) RefereeAdmin.path(r, "body", "jobId");
            if (op.startsWith("PutJob")) {
                if (ids.contains(id)) {
                    results++;
                    if (op.equals("PutJobFailureResult")) {
                        failures++;
                    } else if ("ok".equals(r.get("verdict"))) {
                        succeeded.add(id);
                    }
                }
            } else if ("PollForJobs".equals(op)) {
                if (provider.equals(RefereeAdmin.path(r, "body", "actionTypeId", "provider"))) {
                    polls++;
                    Object jobs = RefereeAdmin.path(r, "response", "jobs");
                    if (jobs instanceof List<?> l && !l.isEmpty()) {
                        withJobs++;
                    }
                }
            } else if (ids.contains(id)) {
                acks++;
            }
        }
        int ok = succeeded.size();
        return new Run(name, provider, maxJobs, ids.size(), startToFirst, firstToLast, startToLast, stop, exit, ok,
                Math.max(0, results - ids.size()), failures, polls, withJobs, acks, processNanos);
    }

    static List<String> workerArgs(String provider, int maxJobs, boolean once) {
        List<String> args = new ArrayList<>(List.of("worker", "--category", "Build", "--provider", provider,
                "--version", "1", "--query", RefereeAdmin.QUERY_NAME + "=" + VALUE, "--region", REGION,
                "--endpoint-url", Bench.endpoint().toString(), "--poll-interval", "1", "--max-jobs", "" + maxJobs));
        if (once) {
            args.add("--once");
        }
        args.addAll(List.of("--", "true"));
        return args;
    }

    private static long nanosBetween(Instant a, Instant b) {
        return java.time.Duration.between(a, b).toNanos();
    }

    private static void clean(Map<String, String> environment) {
        environment.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("JAVA_TOOL")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.startsWith("CODEPIPELINE_"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
