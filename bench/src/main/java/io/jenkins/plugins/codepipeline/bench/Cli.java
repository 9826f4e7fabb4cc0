package io.jenkins.plugins.codepipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section 3: one report per process, {@code java -jar cli/target/codepipeline-job.jar success ...} under several JVM
 * options versus {@code aws codepipeline put-job-success-result ...}, round robin, each invocation on a fresh job.
 */
public final class Cli {
    enum Kind { OURS, DRY_RUN, AWS, JVM_FLOOR }

    record Variant(String name, String lever, Kind kind, List<String> jvmFlags) {
        boolean sends() {
            return kind == Kind.OURS || kind == Kind.AWS;
        }

        boolean java() {
            return kind != Kind.AWS;
        }
    }

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
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with: mvn -Doffline -pl core,cli package");
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
                new Variant("ours, `--dry-run`", "lazy SDK set-up: checks the result, touches no SDK client, sends "
                        + "nothing: JVM + picocli + core's checks", Kind.DRY_RUN, List.of()),
                new Variant("JVM floor", "`java -cp bench/target/classes …Noop`: start an empty main and exit",
                        Kind.JVM_FLOOR, List.of()),
                new Variant("aws CLI", "`aws codepipeline put-job-success-result`", Kind.AWS, List.of()));

        // which classes each JVM variant loads, how many come from a CDS archive, and when (one extra run each)
        Map<String, String> classes = new HashMap<>();
        Map<String, List<String>> timelines = new LinkedHashMap<>();
        for (Variant v : variants) {
            if (v.kind() != Kind.OURS && v.kind() != Kind.DRY_RUN) {
                continue;
            }
            String job = admin.createJobs(1).get(0);
            (v.sends() ? sentJobs : dryRunJobs).add(job);
            Path log = Bench.workDir().resolve("classload.log");
            Files.deleteIfExists(log);
            List<String> flags = new ArrayList<>(v.jvmFlags());
            flags.add("-Xlog:class+load=info:file=" + log + ":uptime");
            Bench.run(ours(java, flags, jar, endpoint, job, v.kind()), env, true).requireSuccess(v.name());
            List<String> lines = Files.readAllLines(log);
            long shared = lines.stream().filter(l -> l.contains("shared objects file")).count();
            classes.put(v.name(), String.format("%,d (%,d from CDS)", lines.size(), shared));
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
                    default -> command = ours(java, v.jvmFlags(), jar, endpoint, job, v.kind());
                }
                if (v.sends()) {
                    sentJobs.add(job);
                } else if (v.kind() == Kind.DRY_RUN) {
                    dryRunJobs.add(job);
                }
                Bench.Finished run = Bench.run(command, env, true).requireSuccess(v.name());
                if (i >= 0) {
                    times.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(run.wallNanos());
                }
            }
        }
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
        boolean valid = verdict.allSucceeded() && dryUntouched == dryRunJobs.size();
        boolean plainMet = plainMedian <= 0.8 * awsMedian && valid;
        boolean bestMet = bestMedian <= 0.8 * awsMedian && valid;

        Bench.Fragment f = new Bench.Fragment("3-cli", "3. CLI: one report per process");
        f.para("Each invocation is a new process on a fresh InProgress job, sending a success report with the same 3 "
                + "output variables: `java [flags] -jar cli/target/codepipeline-job.jar success --job-id J "
                + "--endpoint-url URL --region us-east-1 --output-variable K=V ×3` versus `aws --endpoint-url URL "
                + "--region us-east-1 codepipeline put-job-success-result --job-id J --output-variables K=V,K=V,K=V` ("
                + awsVersion(env) + "). Credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (the CLI's default "
                + "chain); every other AWS_ variable removed and AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE pointed "
                + "at a missing file, for both. Time: the parent's `ProcessBuilder.start()` to exit (fork/exec, "
                + "start-up, the request, shutdown). " + invocations + " invocations per variant, round robin with "
                + "the order rotated each round, after one discarded round (page cache, Python byte-code cache). "
                + "JVM: " + Bench.javaVersionLine() + ", default heap and GC (G1) unless the row says otherwise.");
        f.table(List.of("variant", "lever", "median", "p99", "vs aws CLI (median)", "classes loaded"), rows);
        f.para("AppCDS archive: `-XX:ArchiveClassesAtExit` on one real report (training run " + Bench.ms(
                training.wallNanos()) + "), " + Bench.bytes(jsaBytes) + ", on top of the JDK's base archive. A user "
                + "creates it once per machine and JDK; it is tied to the JDK build and to the jar (path and "
                + "modification time). Referee check: " + verdict + "; " + dryUntouched + "/" + dryRunJobs.size()
                + " jobs of `--dry-run` untouched (InProgress, no request), as they must be.");
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
                + "with class-load logging (which slows it a little). CLI main → checks start: picocli builds its "
                + "command model by reflection over the annotated options (annotation proxies, its built-in type "
                + "converters, which load `java.sql`) and parses the arguments; checks → client build: core's checks "
                + "and the credentials chain; client build: the SDK's client, the Apache client and its TLS set-up (the JDK's trust "
                + "store, security providers, the public-suffix list), done even for an http endpoint; request "
                + "pipeline → end: marshalling, signing, the round trip to the referee, exit.");
        f.table(tlHeader, tl);
        double floor = median(times, "JVM floor");
        double dry = median(times, variants.get(6).name());
        f.para("Levers, read off the medians: the JDK's default CDS archive saves "
                + Bench.ms(median(times, variants.get(1).name()) - plainMedian) + " against `-Xshare:off`; AppCDS "
                + "saves " + Bench.ms(plainMedian - median(times, variants.get(2).name())) + " on top; C1 only "
                + Bench.ms(plainMedian - median(times, variants.get(3).name())) + "; all of them with the serial "
                + "collector " + Bench.ms(plainMedian - median(times, variants.get(5).name())) + ". The JVM itself "
                + "(empty main) takes " + Bench.ms(floor) + " and the AWS CLI " + Bench.ms(awsMedian) + ". The lazy "
                + "SDK set-up shows in `--dry-run`: JVM, picocli and core's checks take " + Bench.ms(dry)
                + ", so loading and initialising the SDK and sending the request cost the remaining "
                + Bench.ms(plainMedian - dry) + " of a plain run. The lean dependency set is in the jar (section 6): "
                + "the SDK's codepipeline client with the Apache client only, no Netty, no STS/SSO.");
        f.para("Target: ours ≤ 0.8× the AWS CLI (median " + Bench.ms(awsMedian) + ", so ≤ "
                + Bench.ms(0.8 * awsMedian) + "). Plain `java -jar`: " + Bench.ratio(plainMedian, awsMedian) + " → "
                + Bench.met(plainMet) + ". Best option set (" + best + "): " + Bench.ratio(bestMedian, awsMedian)
                + " → " + Bench.met(bestMet) + "."
                + (bestMet ? "" : " Why: the AWS CLI here is botocore on a warm Python (" + Bench.ms(awsMedian)
                        + " in all), while our process pays the JVM (" + Bench.ms(floor) + "), picocli's reflective "
                        + "start-up and our checks (`--dry-run` − JVM floor: " + Bench.ms(dry - floor) + ") and the "
                        + "SDK's client set-up and first request (plain run − `--dry-run`: "
                        + Bench.ms(plainMedian - dry) + "; the SDK client build alone loads the metadata classes of "
                        + "every AWS service and sets TLS up, see the timeline). JVM options cut the last two but not "
                        + "to 0.8×; the levers left are in the CLI's code (a lighter HTTP client, see section 2; "
                        + "picocli's programmatic API or a plain parser instead of annotation reflection) and, for "
                        + "AppCDS, a launcher that creates and uses the archive."));
        f.write("plain " + Bench.ms(plainMedian) + " (" + Bench.ratio(plainMedian, awsMedian) + "), best: " + best + " "
                + Bench.ms(bestMedian) + " (" + Bench.ratio(bestMedian, awsMedian) + ") vs aws CLI "
                + Bench.ms(awsMedian), "≤ 0.8× aws CLI",
                (plainMet ? "met" : "missed") + " plain, " + (bestMet ? "met" : "missed") + " with " + best);
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
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", Fixture.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", Fixture.SECRET_ACCESS_KEY);
        Path none = Bench.workDir().resolve("no-aws-config");
        env.put("AWS_CONFIG_FILE", none.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", none.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
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
