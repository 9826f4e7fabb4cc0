package io.jenkins.plugins.codepipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Section 3: one report per process, {@code java -jar cli/target/codepipeline-job.jar success ...} under several JVM
 * options and through the launcher {@code cli/target/codepipeline-job} versus
 * {@code aws codepipeline put-job-success-result ...}, round robin, each invocation on a fresh job.
 */
public final class Cli {
    enum Kind { OURS, DRY_RUN, AWS, JVM_FLOOR }

    /** How a variant of ours is started: {@code java [flags] -jar}, or the launcher with a warm or an empty cache. */
    enum Launch { JAVA, LAUNCHER, LAUNCHER_FIRST }

    record Variant(String name, String lever, Kind kind, List<String> jvmFlags, Launch launch) {
        Variant(String name, String lever, Kind kind, List<String> jvmFlags) {
            this(name, lever, kind, jvmFlags, Launch.JAVA);
        }

        boolean sends() {
            return kind == Kind.OURS || kind == Kind.AWS;
        }

        boolean java() {
            return kind != Kind.AWS;
        }
    }

    static final String LAUNCHER = "ours, launcher `cli/target/codepipeline-job` (shipped default)";
    static final String LAUNCHER_FIRST = "ours, launcher, first run (creates the archive)";
    static final String LAUNCHER_DRY_RUN = "ours, launcher, `--dry-run`";

    /** Marker classes of a CLI run's class-load log (first load, JVM uptime): where the time goes. */
    static final Map<String, String> MARKERS = new LinkedHashMap<>();

    static {
        MARKERS.put("CLI main", "io.jenkins.plugins.codepipeline.cli.");
        MARKERS.put("options parsed, checks start", "io.jenkins.plugins.codepipeline.core.JobResultValidator ");
        MARKERS.put("SDK client build starts", "software.amazon.awssdk.services.codepipeline.DefaultCodePipelineClientBuilder ");
        MARKERS.put("client built", "software.amazon.awssdk.services.codepipeline.DefaultCodePipelineClient ");
        MARKERS.put("request pipeline starts", "software.amazon.awssdk.core.internal.http.pipeline.stages.");
    }

    public static void main(String[] args) throws Exception {
        int invocations = Bench.count(20, 2);
        Path jar = Bench.root().resolve("cli/target/codepipeline-job.jar");
        Path script = Bench.root().resolve("cli/target/codepipeline-job");
        if (!Files.exists(jar) || !Files.isExecutable(script)) {
            throw new IllegalStateException(jar + " or the launcher " + script + " is missing; build them with: "
                    + "mvn -Doffline -pl core,cli package");
        }
        String endpoint = Bench.endpoint().toString();
        RefereeAdmin admin = new RefereeAdmin(Bench.endpoint());
        Path jsa = Bench.workDir().resolve("codepipeline-job.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = environment();
        List<String> sentJobs = new ArrayList<>();
        List<String> dryRunJobs = new ArrayList<>();

        // AppCDS: a dynamic archive written at the exit of one real report (training run)
        Files.deleteIfExists(jsa);
        String trainingJob = admin.createJobs(1).get(0);
        sentJobs.add(trainingJob);
        Bench.Finished training = Bench.run(ours(java, List.of("-XX:ArchiveClassesAtExit=" + jsa), jar, endpoint,
                trainingJob, Kind.OURS), env, true).requireSuccess("AppCDS training run");
        long jsaBytes = Files.size(jsa);
        // what the dump left out, from its warnings (on stdout, as the JVM logs by default)
        long preJdk6 = training.stdout().stream().filter(l -> l.contains("Pre JDK 6 class not supported by CDS"))
                .count();
        long preJdk6Picocli = training.stdout().stream()
                .filter(l -> l.contains("Pre JDK 6 class not supported by CDS") && l.contains(" picocli/")).count();
        long oldLinked = training.stdout().stream().filter(l -> l.contains("Old class has been linked")).count();

        // The launcher: later runs share one cache that a first run primes; every measured first run gets an empty
        // cache of its own.
        Path launcherCache = Bench.workDir().resolve("launcher-cache");
        deleteTree(launcherCache);
        String primingJob = admin.createJobs(1).get(0);
        sentJobs.add(primingJob);
        Bench.Finished priming = Bench.run(launcher(script, endpoint, primingJob, Kind.OURS),
                launcherEnv(env, launcherCache, null), true).requireSuccess("launcher, priming run");
        Path launcherArchive = onlyArchive(launcherCache);
        if (launcherArchive == null) {
            throw new IllegalStateException("the launcher's first run left no archive in " + launcherCache
                    + "\nstderr: " + priming.stderr());
        }
        if (priming.stdout().size() != 1 || !priming.stdout().get(0).matches("[0-9a-f-]{36}")) {
            throw new IllegalStateException("the launcher's first run printed more than the request id on stdout: "
                    + priming.stdout());
        }
        long launcherArchiveBytes = Files.size(launcherArchive);
        long launcherArchiveModified = Files.getLastModifiedTime(launcherArchive).toMillis();
        Path firstCaches = Bench.workDir().resolve("launcher-first");
        int firstRuns = 0;
        int firstArchives = 0;
        int launcherStdoutClean = 0;
        int launcherRuns = 0;

        String cds = "-XX:SharedArchiveFile=" + jsa;
        List<Variant> variants = List.of(
                new Variant("ours, plain `java -jar`", "default: the JDK's CDS archive (-Xshare:auto)", Kind.OURS,
                        List.of()),
                new Variant("ours, `-Xshare:off`", "no class-data sharing: what the default CDS archive buys",
                        Kind.OURS, List.of("-Xshare:off")),
                new Variant("ours, AppCDS", "`-XX:SharedArchiveFile` (dynamic archive of a training run)", Kind.OURS,
                        List.of(cds)),
                new Variant("ours, C1 only", "`-XX:TieredStopAtLevel=1`", Kind.OURS,
                        List.of("-XX:TieredStopAtLevel=1")),
                new Variant("ours, AppCDS + C1", "both", Kind.OURS, List.of(cds, "-XX:TieredStopAtLevel=1")),
                new Variant("ours, AppCDS + C1 + SerialGC", "also `-XX:+UseSerialGC` (G1 is the default here)",
                        Kind.OURS, List.of(cds, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")),
                new Variant(LAUNCHER, "the same three options from a bash script, with its own archive (created "
                        + "by the cache's first run under these options) in a cache directory that already has it: "
                        + "what users see from the second run on", Kind.OURS, List.of(), Launch.LAUNCHER),
                new Variant(LAUNCHER_FIRST, "the launcher with an empty cache directory: the run also dumps the "
                        + "archive (`-XX:ArchiveClassesAtExit`, renamed into place at exit); once per jar, Java and "
                        + "machine", Kind.OURS, List.of(), Launch.LAUNCHER_FIRST),
                new Variant(LAUNCHER_DRY_RUN, "the launcher's options on the part the archive cannot help much: "
                        + "JVM + picocli + core's checks, nothing sent", Kind.DRY_RUN, List.of(), Launch.LAUNCHER),
                new Variant("ours, `--dry-run`", "lazy SDK set-up: checks the result, touches no SDK client, sends "
                        + "nothing: JVM + picocli + core's checks", Kind.DRY_RUN, List.of()),
                new Variant("JVM floor", "`java -cp bench/target/classes …Noop`: start an empty main and exit",
                        Kind.JVM_FLOOR, List.of()),
                new Variant("aws CLI", "`aws codepipeline put-job-success-result`", Kind.AWS, List.of()));

        // which classes each JVM variant loads, how many come from a CDS archive, and when (one extra run each)
        Map<String, String> classes = new HashMap<>();
        Map<String, String> fromJar = new HashMap<>();
        Map<String, List<String>> timelines = new LinkedHashMap<>();
        for (Variant v : variants) {
            if (v.kind() != Kind.OURS && v.kind() != Kind.DRY_RUN) {
                continue;
            }
            String job = admin.createJobs(1).get(0);
            (v.sends() ? sentJobs : dryRunJobs).add(job);
            Path log = Bench.workDir().resolve("classload.log");
            Files.deleteIfExists(log);
            String logOption = "-Xlog:class+load=info:file=" + log + ":uptime";
            if (v.launch() == Launch.JAVA) {
                List<String> flags = new ArrayList<>(v.jvmFlags());
                flags.add(logOption);
                Bench.run(ours(java, flags, jar, endpoint, job, v.kind()), env, true).requireSuccess(v.name());
            } else {
                // through JAVA_TOOL_OPTIONS, which the launcher leaves out of its archive's key: the same archive
                Path cache = launcherCache;
                if (v.launch() == Launch.LAUNCHER_FIRST) {
                    cache = firstCaches.resolve("timeline");
                    deleteTree(cache);
                }
                Bench.run(launcher(script, endpoint, job, v.kind()), launcherEnv(env, cache, logOption), true)
                        .requireSuccess(v.name());
                if (v.launch() == Launch.LAUNCHER_FIRST) {
                    deleteTree(cache);
                }
            }
            List<String> lines = Files.readAllLines(log);
            long shared = lines.stream().filter(l -> l.contains("shared objects file")).count();
            classes.put(v.name(), String.format("%,d (%,d from CDS)", lines.size(), shared));
            long jarClasses = lines.stream().filter(l -> l.contains("source: file:") || l.contains("source: jar:"))
                    .count();
            long jarPicocli = lines.stream().filter(l -> (l.contains("source: file:") || l.contains("source: jar:"))
                    && l.contains("] picocli.")).count();
            fromJar.put(v.name(), String.format("%,d classes (%,d of them picocli's)", jarClasses, jarPicocli));
            timelines.put(v.name(), timeline(lines));
        }

        Map<String, List<Long>> times = new HashMap<>();
        System.out.println("[3-cli] " + variants.size() + " variants × " + invocations
                + " invocations, round robin, after one discarded round");
        for (int i = -1; i < invocations; i++) {
            List<String> jobs = admin.createJobs(variants.size());
            for (int k = 0; k < variants.size(); k++) {
                // rotate the order each round, so no variant always follows the same one
                int idx = Math.floorMod(k + i, variants.size());
                Variant v = variants.get(idx);
                String job = jobs.get(idx);
                List<String> command;
                switch (v.kind()) {
                    case AWS -> command = awsCli(endpoint, job);
                    case JVM_FLOOR -> command = List.of(java, "-cp", Bench.root().resolve("bench/target/classes")
                            .toString(), Noop.class.getName());
                    default -> command = v.launch() == Launch.JAVA
                            ? ours(java, v.jvmFlags(), jar, endpoint, job, v.kind())
                            : launcher(script, endpoint, job, v.kind());
                }
                Map<String, String> runEnv = env;
                Path firstCache = null;
                if (v.launch() == Launch.LAUNCHER) {
                    runEnv = launcherEnv(env, launcherCache, null);
                } else if (v.launch() == Launch.LAUNCHER_FIRST) {
                    firstCache = firstCaches.resolve("run-" + (i + 1));
                    deleteTree(firstCache);
                    runEnv = launcherEnv(env, firstCache, null);
                }
                if (v.sends()) {
                    sentJobs.add(job);
                } else if (v.kind() == Kind.DRY_RUN) {
                    dryRunJobs.add(job);
                }
                Bench.Finished run = Bench.run(command, runEnv, true).requireSuccess(v.name());
                if (i >= 0) {
                    times.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(run.wallNanos());
                }
                if (v.launch() != Launch.JAVA && v.kind() == Kind.OURS) {
                    // stdout: the request id alone (a UUID), nothing from the launcher or the JVM
                    launcherRuns++;
                    if (run.stdout().size() == 1 && run.stdout().get(0).matches("[0-9a-f-]{36}")) {
                        launcherStdoutClean++;
                    }
                }
                if (firstCache != null) {
                    firstRuns++;
                    if (onlyArchive(firstCache) != null) {
                        firstArchives++;
                    }
                    deleteTree(firstCache);
                }
            }
        }
        // the later runs used the primed archive and never wrote another one
        boolean launcherArchiveKept = launcherArchive.equals(onlyArchive(launcherCache))
                && Files.getLastModifiedTime(launcherArchive).toMillis() == launcherArchiveModified;
        RefereeAdmin.Verdict verdict = admin.check(sentJobs);
        Map<String, RefereeAdmin.Job> states = admin.jobs();
        // the dry runs send nothing: their jobs must stay InProgress with no request
        long dryUntouched = dryRunJobs.stream()
                .filter(j -> "InProgress".equals(states.get(j).status()) && states.get(j).requests() == 0).count();

        double awsMedian = median(times, "aws CLI");
        double plainMedian = median(times, variants.get(0).name());
        String best = null;
        double bestMedian = Double.MAX_VALUE;
        List<List<String>> rows = new ArrayList<>();
        for (Variant v : variants) {
            long[] t = Bench.toArray(times.get(v.name()));
            double median = Bench.median(t);
            if (v.kind() == Kind.OURS && median < bestMedian) {
                bestMedian = median;
                best = v.name();
            }
            rows.add(List.of(v.name(), v.lever(), Bench.ms(median), Bench.ms(Bench.p99(t)),
                    Bench.ratio(median, awsMedian), classes.getOrDefault(v.name(), "")));
        }
        double launcherMedian = median(times, LAUNCHER);
        double launcherFirstMedian = median(times, LAUNCHER_FIRST);
        double launcherDry = median(times, LAUNCHER_DRY_RUN);
        double sameOptions = median(times, "ours, AppCDS + C1 + SerialGC");
        boolean valid = verdict.allSucceeded() && dryUntouched == dryRunJobs.size();
        boolean launcherOk = launcherStdoutClean == launcherRuns && firstArchives == firstRuns && launcherArchiveKept;
        boolean plainMet = plainMedian <= 0.8 * awsMedian && valid;
        boolean bestMet = bestMedian <= 0.8 * awsMedian && valid;
        boolean launcherMet = launcherMedian <= 0.8 * awsMedian && valid && launcherOk;

        Bench.Fragment f = new Bench.Fragment("3-cli", "3. CLI: one report per process");
        f.para("Each invocation is a new process on a fresh InProgress job, sending a success report with the same 3 "
                + "output variables: `java [flags] -jar cli/target/codepipeline-job.jar success --job-id J "
                + "--endpoint-url URL --region us-east-1 --output-variable K=V ×3` (or the same arguments to the "
                + "launcher `cli/target/codepipeline-job`) versus `aws --endpoint-url URL "
                + "--region us-east-1 codepipeline put-job-success-result --job-id J --output-variables K=V,K=V,K=V` ("
                + awsVersion(env) + "). Credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (the CLI's default "
                + "chain); every other AWS_ variable removed and AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE pointed "
                + "at a missing file, for both. Time: the parent's `ProcessBuilder.start()` to exit (fork/exec, "
                + "start-up, the request, shutdown). " + invocations + " invocations per variant, round robin with "
                + "the order rotated each round, after one discarded round (page cache, Python byte-code cache). "
                + "JVM: " + Bench.javaVersionLine() + ", default heap and GC (G1) unless the row says otherwise. "
                + "**The shipped default is the launcher** (`" + LAUNCHER.substring(LAUNCHER.indexOf('`') + 1,
                        LAUNCHER.lastIndexOf('`')) + "`, next to the jar); `java -jar` stays possible.");
        f.table(List.of("variant", "lever", "median", "p99", "vs aws CLI (median)", "classes loaded"), rows);
        f.para("AppCDS archive of the `java` rows: `-XX:ArchiveClassesAtExit` on one real report with default "
                + "options (training run " + Bench.ms(training.wallNanos()) + "), " + Bench.bytes(jsaBytes) + ", on "
                + "top of the JDK's base archive; it is tied to the JDK build and to the jar (path, size and "
                + "modification time). Referee check: " + verdict + "; " + dryUntouched + "/" + dryRunJobs.size()
                + " jobs of `--dry-run` untouched (InProgress, no request), as they must be.");
        f.para("The launcher (`cli/src/main/sh/codepipeline-job`, copied beside the jar by the cli build) execs "
                + "`java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:SharedArchiveFile=<cache>/"
                + "codepipeline-job-<key>.jsa -jar codepipeline-job.jar \"$@\"`, with JVM log warnings sent to "
                + "stderr (`-Xlog:all=off:stdout -Xlog:all=warning:stderr`). The archive lives in "
                + "`${XDG_CACHE_HOME:-$HOME/.cache}/codepipeline-job/`, its key a checksum of the jar's and the "
                + "`java`'s path, inode, size and modification time and of `CODEPIPELINE_JOB_JAVA_OPTS`. When it is "
                + "missing, the run (if it sends a report) adds `-XX:ArchiveClassesAtExit=<archive>.<pid>` and "
                + "renames the file into place after a run that reached the service (exit 0, 1 or 3), so concurrent "
                + "first runs never map a partial archive. Here: priming run " + Bench.ms(priming.wallNanos())
                + ", archive " + Bench.bytes(launcherArchiveBytes) + "; the later runs mapped it and never rewrote "
                + "it (" + (launcherArchiveKept ? "checked" : "**NOT the case**") + "); " + firstArchives + "/"
                + firstRuns + " first runs (each with an empty cache) left a complete archive; " + launcherStdoutClean
                + "/" + launcherRuns + " launcher runs printed the request id and nothing else on stdout (by default "
                + "the JVM logs the archive dump's warnings, one per class it leaves out, on stdout). The "
                + "launcher's own cost (bash, one `stat`, one `cksum`), together with the difference between its "
                + "archive (dumped under its own options) and the `java` rows' one: launcher − AppCDS + C1 + SerialGC "
                + "= " + Bench.ms(launcherMedian - sameOptions) + " (medians; by hand, bash up to the `exec` takes "
                + "about 4 ms).");
        List<List<String>> tl = new ArrayList<>();
        timelines.forEach((name, cols) -> {
            List<String> row = new ArrayList<>();
            row.add(name);
            row.addAll(cols);
            tl.add(row);
        });
        List<String> tlHeader = new ArrayList<>();
        tlHeader.add("variant (one run with `-Xlog:class+load`)");
        MARKERS.keySet().forEach(m -> tlHeader.add(m));
        tlHeader.add("last class loaded");
        f.para("Where the time goes: JVM uptime at the first load of marker classes, from one extra run per variant "
                + "with class-load logging (which slows it a little; for the launcher through `JAVA_TOOL_OPTIONS`, "
                + "which its archive key leaves out). CLI main → checks start: picocli builds its "
                + "command model by reflection over the annotated options (annotation proxies, its built-in type "
                + "converters, which load `java.sql`) and parses the arguments; checks → client build: core's checks "
                + "and the credentials chain; client build: the SDK's client, the Apache client and its TLS set-up "
                + "(the JDK's trust store, security providers, the public-suffix list), done even for an http "
                + "endpoint; request pipeline → end: marshalling, signing, the round trip to the referee, exit.");
        f.table(tlHeader, tl);
        double floor = median(times, "JVM floor");
        double dry = median(times, "ours, `--dry-run`");
        f.para("Levers, read off the medians: the JDK's default CDS archive saves "
                + Bench.ms(median(times, "ours, `-Xshare:off`") - plainMedian) + " against `-Xshare:off`; AppCDS "
                + "saves " + Bench.ms(plainMedian - median(times, "ours, AppCDS")) + " on top; C1 only "
                + Bench.ms(plainMedian - median(times, "ours, C1 only")) + "; all of them with the serial "
                + "collector " + Bench.ms(plainMedian - sameOptions) + "; the launcher " + Bench.ms(plainMedian
                        - launcherMedian) + " from its second run on, while its first run costs "
                + Bench.ms(launcherFirstMedian - plainMedian) + " more than a plain one (the archive dump). The JVM "
                + "itself (empty main) takes " + Bench.ms(floor) + " and the AWS CLI " + Bench.ms(awsMedian) + ". The "
                + "lazy SDK set-up shows in `--dry-run`: JVM, picocli and core's checks take " + Bench.ms(dry)
                + " (" + Bench.ms(launcherDry) + " under the launcher), so loading and initialising the SDK and "
                + "sending the request cost the remaining " + Bench.ms(plainMedian - dry) + " of a plain run ("
                + Bench.ms(launcherMedian - launcherDry) + " under the launcher). The lean dependency set is in the "
                + "jar (section 6): the SDK's codepipeline client with the Apache client only, no Netty, no STS/SSO.");
        f.para("What AppCDS cannot reach: picocli's classes are Java 5 class files (version 49), which JDK 17's CDS "
                + "does not archive: the training dump left out " + preJdk6 + " such classes (\"Pre JDK 6 class not "
                + "supported by CDS\"), " + preJdk6Picocli + " of them picocli's and the rest slf4j's and "
                + "commons-logging's, and " + oldLinked + " more (\"Old class has been linked\"): our CLI classes "
                + "that implement picocli's interfaces, its annotation proxies and lambdas. Under the launcher "
                + fromJar.getOrDefault(LAUNCHER, "?") + " still come from the jar at every run: read and parsed, "
                + "and picocli's checked by the old type-inferring verifier that Java 5 class files need; that is why the launcher's `--dry-run` ("
                + Bench.ms(launcherDry) + ") is hardly faster than the plain one (" + Bench.ms(dry) + ").");
        f.para("Target: ours ≤ 0.8× the AWS CLI (median " + Bench.ms(awsMedian) + ", so ≤ "
                + Bench.ms(0.8 * awsMedian) + "). Plain `java -jar`: " + Bench.ratio(plainMedian, awsMedian) + " → "
                + Bench.met(plainMet) + ". **Shipped default, the launcher**, from its second run on: "
                + Bench.ratio(launcherMedian, awsMedian) + " → " + Bench.met(launcherMet) + "; its first run (once "
                + "per jar, Java and cache directory): " + Bench.ratio(launcherFirstMedian, awsMedian) + "."
                + (LAUNCHER.equals(best) ? " No other option set did better." : " Best option set (" + best + "): "
                        + Bench.ratio(bestMedian, awsMedian) + " → " + Bench.met(bestMet) + ".")
                + (launcherMet ? "" : " Why: the AWS CLI here is botocore on a warm Python (" + Bench.ms(awsMedian)
                        + " in all), while our process pays the JVM (" + Bench.ms(floor) + "), picocli's reflective "
                        + "start-up and our checks, which the archive cannot shorten much (launcher `--dry-run` − "
                        + "JVM floor: " + Bench.ms(launcherDry - floor) + "), and the SDK's client set-up and first "
                        + "request (launcher − launcher `--dry-run`: " + Bench.ms(launcherMedian - launcherDry)
                        + "; the SDK client build loads the metadata classes of every AWS service and sets TLS up, "
                        + "see the timeline). The JVM options are spent; the levers left are in the CLI's code: "
                        + "picocli's programmatic API or a plain parser instead of annotation reflection over Java 5 "
                        + "classes that CDS cannot archive, and a lighter HTTP client (see section 2)."));
        f.write("plain " + Bench.ms(plainMedian) + " (" + Bench.ratio(plainMedian, awsMedian) + "); launcher "
                + "(shipped default) " + Bench.ms(launcherMedian) + " (" + Bench.ratio(launcherMedian, awsMedian)
                + "), its first run " + Bench.ms(launcherFirstMedian) + " ("
                + Bench.ratio(launcherFirstMedian, awsMedian) + "); best: " + best + " " + Bench.ms(bestMedian) + " ("
                + Bench.ratio(bestMedian, awsMedian) + "); vs aws CLI " + Bench.ms(awsMedian), "≤ 0.8× aws CLI",
                (plainMet ? "met" : "missed") + " plain, " + (launcherMet ? "met" : "missed")
                        + " with the launcher (shipped default)"
                        + (LAUNCHER.equals(best) ? "" : ", " + (bestMet ? "met" : "missed") + " with " + best));
    }

    private static double median(Map<String, List<Long>> times, String name) {
        return Bench.median(Bench.toArray(times.get(name)));
    }

    /** JVM uptime of the first load of each marker, and of the last class loaded. */
    private static List<String> timeline(List<String> lines) {
        List<String> cols = new ArrayList<>();
        for (String marker : MARKERS.values()) {
            String at = "—";
            for (String line : lines) {
                if (line.contains("] " + marker)) {
                    at = uptime(line);
                    break;
                }
            }
            cols.add(at);
        }
        cols.add(lines.isEmpty() ? "—" : uptime(lines.get(lines.size() - 1)));
        return cols;
    }

    private static String uptime(String line) {
        // "[0.152s][info][class,load] name source: ..."
        int end = line.indexOf("s]");
        return Bench.ms(Double.parseDouble(line.substring(1, end)) * 1e9);
    }

    private static Map<String, String> environment() throws IOException {
        Map<String, String> env = labEnvironment();
        env.put("AWS_PAGER", "");
        return env;
    }

    /** The lab key pair, and no AWS config or credentials file, nor instance metadata (also section 8's). */
    static Map<String, String> labEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", Fixture.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", Fixture.SECRET_ACCESS_KEY);
        Path none = Bench.workDir().resolve("no-aws-config");
        env.put("AWS_CONFIG_FILE", none.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", none.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    private static List<String> ours(String java, List<String> flags, Path jar, String endpoint, String job,
            Kind kind) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(flags);
        c.addAll(List.of("-jar", jar.toString(), "success", "--job-id", job, "--endpoint-url", endpoint,
                "--region", Fixture.REGION));
        Fixture.VARIABLES.forEach((k, v) -> c.addAll(List.of("--output-variable", k + "=" + v)));
        if (kind == Kind.DRY_RUN) {
            c.add("--dry-run");
        }
        return c;
    }

    /** The launcher beside the jar, with the same arguments as {@link #ours}. */
    private static List<String> launcher(Path script, String endpoint, String job, Kind kind) {
        List<String> c = ours("unused", List.of(), Path.of("unused"), endpoint, job, kind);
        List<String> l = new ArrayList<>();
        l.add(script.toString());
        l.addAll(c.subList(3, c.size())); // drop "unused -jar unused"
        return l;
    }

    /** The launcher's environment: this JVM's Java, a given cache directory, no extra options. */
    private static Map<String, String> launcherEnv(Map<String, String> env, Path cache, String javaToolOptions) {
        Map<String, String> e = new HashMap<>(env);
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("XDG_CACHE_HOME", cache.toString());
        e.put("CODEPIPELINE_JOB_JAVA_OPTS", "");
        if (javaToolOptions != null) {
            e.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        return e;
    }

    /** The one archive in a launcher cache directory (null when there is none or more than one). */
    private static Path onlyArchive(Path cache) throws IOException {
        Path dir = cache.resolve("codepipeline-job");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.collect(Collectors.toList());
            if (all.size() != 1 || !all.get(0).getFileName().toString().endsWith(".jsa")
                    || Files.size(all.get(0)) == 0) {
                return null;
            }
            return all.get(0);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private static List<String> awsCli(String endpoint, String job) {
        StringBuilder vars = new StringBuilder();
        Fixture.VARIABLES.forEach((k, v) -> vars.append(vars.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return List.of("aws", "--endpoint-url", endpoint, "--region", Fixture.REGION, "codepipeline",
                "put-job-success-result", "--job-id", job, "--output-variables", vars.toString());
    }

    private static String awsVersion(Map<String, String> env) {
        Bench.Finished v = Bench.run(List.of("aws", "--version"), env, true);
        String text = (String.join(" ", v.stdout()) + " " + v.stderr()).trim();
        return "`" + text + "`";
    }
}
