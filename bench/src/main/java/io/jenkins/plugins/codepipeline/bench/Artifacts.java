package io.jenkins.plugins.codepipeline.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Section 9: artifact transfers through core's classes against S3Proxy (a real S3 API server, run as
 * {@code java -jar s3proxy.jar} over a filesystem store), side by side with the AWS CLI and Info-ZIP on the same
 * server: download and extract ({@code aws s3 cp} + {@code unzip}) and zip and upload ({@code zip -r} +
 * {@code aws s3 cp}) of a tree of 10,000 files (1 GiB; smoke: 500 files, 20 MB), and the peak heap of a JVM with
 * {@code -Xmx256m} moving 0.5 GiB and 2 GiB. Every transfer of ours runs in a fresh JVM ({@link ArtifactsProbe}),
 * as the CLI's would. Scratch files live in {@code bench/target/run/9-scratch} and are deleted at the end.
 */
public final class Artifacts {
    static final String NAME = "9-artifacts";
    static final String IDENTITY = "AKIDBENCHARTIFACTS";
    static final String SECRET = "benchArtifactsSecretKey";
    static final String BUCKET = "bench-artifacts";
    static final String HEAP_XMX = "-Xmx256m";
    static final long GIB = 1L << 30;

    /** A generated tree: its files' relative paths and sizes. */
    record Tree(Path dir, List<String> paths, List<Long> sizes, long bytes) {
        int files() {
            return paths.size();
        }
    }

    /** One timed step of a variant: wall time, and the CPU time of the client process(es) and of S3Proxy. */
    record Step(String what, long wallNanos, double clientCpu, double serverCpu) {
    }

    /** A variant's steps in one repetition. */
    record Run(String variant, List<Step> steps, Map<String, String> result) {
        long wallNanos() {
            return steps.stream().mapToLong(Step::wallNanos).sum();
        }

        double clientCpu() {
            return steps.stream().mapToDouble(Step::clientCpu).sum();
        }

        double serverCpu() {
            return steps.stream().mapToDouble(Step::serverCpu).sum();
        }
    }

    private static S3ProxyProcess proxy;
    private static Path scratch;
    private static Map<String, String> awsEnv;
    private static String diskBefore;

    public static void main(String[] args) throws Exception {
        boolean smoke = Bench.smoke();
        Bench.Fragment f = new Bench.Fragment(NAME, "9. Artifacts: transfers through core against S3Proxy, "
                + "next to the AWS CLI with zip and unzip");
        int treeFiles = Bench.count(10_000, 500);
        long treeBytes = smoke ? 20_000_000L : GIB;
        int reps = Bench.count(3, 1);
        int heapFiles = Bench.count(2_000, 200);
        long[] heapSizes = smoke ? new long[] {30_000_000L} : new long[] {GIB / 2, 2 * GIB};
        boolean aws = awsAvailable();
        if (!aws && !smoke) {
            throw f.fail("the aws CLI is not on PATH (only a smoke run may go without it)");
        }
        Path s3proxyJar = Bench.root().resolve("bench/target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(s3proxyJar)) {
            throw f.fail(s3proxyJar + " is missing; bench/run's build copies it there (mvn -f bench/reactor.xml package)");
        }
        scratch = Bench.workDir().resolve("9-scratch");
        deleteTree(scratch);
        Files.createDirectories(scratch);
        diskBefore = dfLine(scratch);
        long usable = Files.getFileStore(scratch).getUsableSpace();
        // 2 GiB heap tree + its zip in the store (twice while the multipart upload is completed) + the spooled zip +
        // the extracted tree, with room to spare
        long needed = smoke ? 500_000_000L : 12 * GIB;
        if (usable < needed) {
            throw f.fail(String.format(Locale.ROOT, "%.1f GB free on %s, the section needs %.1f GB", usable / 1e9,
                    scratch, needed / 1e9));
        }
        Path awsConfig = scratch.resolve("aws-config");
        Files.writeString(awsConfig, "[default]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n");
        awsEnv = new LinkedHashMap<>();
        awsEnv.put("AWS_ACCESS_KEY_ID", IDENTITY);
        awsEnv.put("AWS_SECRET_ACCESS_KEY", SECRET);
        awsEnv.put("AWS_SESSION_TOKEN", "benchSessionToken");
        awsEnv.put("AWS_DEFAULT_REGION", "eu-west-1");
        awsEnv.put("AWS_CONFIG_FILE", awsConfig.toString());
        awsEnv.put("AWS_SHARED_CREDENTIALS_FILE", scratch.resolve("no-credentials").toString());
        // as core does for endpoint overrides: S3Proxy 2.x does not check the newer flexible checksums
        awsEnv.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        awsEnv.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        awsEnv.put("AWS_PAGER", "");

        String headline;
        String verdict;
        try {
            proxy = S3ProxyProcess.start(s3proxyJar, scratch.resolve("store"),
                    Bench.workDir().resolve("9-s3proxy.log"));
            progress("S3Proxy on " + proxy.endpoint + " (pid " + proxy.process.pid() + "), filesystem-nio2 store");

            // ---------------------------------------------------------- 1 and 2: the 10,000-file tree
            long t0 = System.nanoTime();
            Tree tree = makeTree(scratch.resolve("tree"), treeFiles, treeBytes, 9);
            progress(String.format(Locale.ROOT, "tree of %,d files, %,d bytes made in %.1f s", tree.files(),
                    tree.bytes(), (System.nanoTime() - t0) / 1e9));
            List<Run> oursUp = new ArrayList<>();
            List<Run> awsUp = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                boolean oursFirst = r % 2 == 0;
                for (int v = 0; v < 2; v++) {
                    if ((v == 0) == oursFirst) {
                        oursUp.add(oursUpload(tree, "up-ours", List.of()));
                    } else if (aws) {
                        awsUp.add(awsUpload(tree, "up-aws"));
                    }
                }
                progress("upload repetition " + (r + 1) + "/" + reps + ": ours "
                        + secs(oursUp.get(oursUp.size() - 1).wallNanos())
                        + (aws ? ", zip -r + aws s3 cp " + secs(awsUp.get(awsUp.size() - 1).wallNanos()) : ""));
            }
            long zipBytes = Long.parseLong(oursUp.get(0).result().get("bytes"));
            List<Run> oursDown = new ArrayList<>();
            List<Run> awsDown = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                boolean oursFirst = r % 2 == 0;
                for (int v = 0; v < 2; v++) {
                    if ((v == 0) == oursFirst) {
                        oursDown.add(oursDownload(tree, "up-ours", List.of()));
                    } else if (aws) {
                        awsDown.add(awsDownload(tree, "up-ours"));
                    }
                }
                progress("download repetition " + (r + 1) + "/" + reps + ": ours "
                        + secs(oursDown.get(oursDown.size() - 1).wallNanos())
                        + (aws ? ", aws s3 cp + unzip " + secs(awsDown.get(awsDown.size() - 1).wallNanos()) : ""));
            }
            long awsZipBytes = aws ? Long.parseLong(awsUp.get(0).result().get("bytes")) : -1;
            deleteTree(tree.dir());
            deleteObject("up-ours");
            deleteObject("up-aws");

            // ---------------------------------------------------------- 3: heap of a 0.5 GiB and a 2 GiB transfer
            List<Run> heapRuns = new ArrayList<>();
            List<Tree> heapTrees = new ArrayList<>();
            for (long size : heapSizes) {
                Tree h = makeTree(scratch.resolve("heap-tree"), heapFiles, size, 2 + size);
                heapTrees.add(new Tree(null, List.of(), List.of(), h.bytes()));
                String key = "heap-" + size;
                Path upLog = scratch.resolve("gc-up.log");
                Path downLog = scratch.resolve("gc-down.log");
                Run up = oursUpload(h, key, List.of(HEAP_XMX, "-Xlog:gc:file=" + upLog));
                up.result().putAll(gcLog(upLog, "log"));
                heapRuns.add(up);
                deleteTree(h.dir());
                // the download is checked against the tree's sizes (the files themselves are gone by now)
                Run down = oursDownload(h, key, List.of(HEAP_XMX, "-Xlog:gc:file=" + downLog));
                down.result().putAll(gcLog(downLog, "log"));
                heapRuns.add(down);
                deleteObject(key);
                progress(String.format(Locale.ROOT, "heap at %s: upload peak %s MB used / %s MB after GC, download "
                        + "peak %s MB used / %s MB after GC", size(size), mb(up.result().get("peakUsed")),
                        mb(up.result().get("peakAfterGc")), mb(down.result().get("peakUsed")),
                        mb(down.result().get("peakAfterGc"))));
            }

            // ---------------------------------------------------------- the report
            String[] hv = report(f, smoke, aws, tree, zipBytes, awsZipBytes, reps, oursUp, awsUp, oursDown, awsDown,
                    heapFiles, heapSizes, heapTrees, heapRuns);
            headline = hv[0];
            verdict = hv[1];
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            deleteTree(scratch);
        }
        f.write(headline, "download and upload no slower than aws s3 cp + unzip and zip -r + aws s3 cp; peak heap "
                + "not growing with the artifact's size", verdict);
    }

    // ------------------------------------------------------------------ the variants

    private static Run oursUpload(Tree tree, String key, List<String> jvmArgs) {
        Step s = timed("ours", Bench.javaCommand(jvmArgs, ArtifactsProbe.class, List.of("upload",
                proxy.endpoint, BUCKET, key, tree.dir().toString(), IDENTITY, SECRET)), null);
        Map<String, String> r = new LinkedHashMap<>(lastResult);
        if (Integer.parseInt(r.get("files")) != tree.files()) {
            throw new IllegalStateException("ours uploaded " + r.get("files") + " files of " + tree.files());
        }
        if (objectSize(key) != Long.parseLong(r.get("bytes"))) {
            throw new IllegalStateException("the object " + key + " has " + objectSize(key) + " bytes, ours sent "
                    + r.get("bytes"));
        }
        return new Run("ours", List.of(s), r);
    }

    private static Run oursDownload(Tree tree, String key, List<String> jvmArgs) throws IOException {
        Path into = scratch.resolve("down-ours");
        deleteTree(into);
        Step s = timed("ours", Bench.javaCommand(jvmArgs, ArtifactsProbe.class, List.of("download",
                proxy.endpoint, BUCKET, key, into.toString(), IDENTITY, SECRET)), null);
        Map<String, String> r = new LinkedHashMap<>(lastResult);
        verify(tree, into, "ours");
        deleteTree(into);
        return new Run("ours", List.of(s), r);
    }

    private static Run awsUpload(Tree tree, String key) throws IOException {
        Path zip = scratch.resolve("up-aws.zip");
        Files.deleteIfExists(zip);
        Step zipStep = timed("zip -r", List.of("sh", "-c", "cd \"$1\" && exec zip -r -q \"$2\" .", "sh",
                tree.dir().toString(), zip.toString()), null);
        long bytes = Files.size(zip);
        Step cp = timed("aws s3 cp", List.of("aws", "--endpoint-url", proxy.endpoint, "s3", "cp", "--only-show-errors",
                zip.toString(), "s3://" + BUCKET + "/" + key), awsEnv);
        if (objectSize(key) != bytes) {
            throw new IllegalStateException("aws s3 cp left " + objectSize(key) + " bytes of " + bytes);
        }
        Files.delete(zip);
        Map<String, String> r = new LinkedHashMap<>();
        r.put("bytes", Long.toString(bytes));
        return new Run("aws", List.of(zipStep, cp), r);
    }

    private static Run awsDownload(Tree tree, String key) throws IOException {
        Path zip = scratch.resolve("down-aws.zip");
        Path into = scratch.resolve("down-aws");
        Files.deleteIfExists(zip);
        deleteTree(into);
        Step cp = timed("aws s3 cp", List.of("aws", "--endpoint-url", proxy.endpoint, "s3", "cp", "--only-show-errors",
                "s3://" + BUCKET + "/" + key, zip.toString()), awsEnv);
        Step unzip = timed("unzip", List.of("unzip", "-q", zip.toString(), "-d", into.toString()), null);
        Files.delete(zip);
        verify(tree, into, "aws s3 cp + unzip");
        deleteTree(into);
        return new Run("aws", List.of(cp, unzip), new LinkedHashMap<>());
    }

    /** The RESULT line of the last probe run by {@link #timed}, empty for other commands. */
    private static Map<String, String> lastResult = Map.of();

    /**
     * Runs a command to its end through bash, whose {@code times} gives the CPU time of the command (user + system,
     * children included); S3Proxy's CPU time is read from /proc before and after.
     */
    private static Step timed(String what, List<String> command, Map<String, String> env) {
        List<String> wrapped = new ArrayList<>(List.of("bash", "-c", "\"$@\"; rc=$?; times >&2; exit $rc", "bash"));
        wrapped.addAll(command);
        double server0 = proxy.cpuSeconds();
        Bench.Finished done = Bench.run(wrapped, env, true);
        double server = proxy.cpuSeconds() - server0;
        done.requireSuccess(what);
        String[] lines = done.stderr().strip().split("\n");
        double cpu = 0;
        for (String t : lines[lines.length - 1].trim().split("\\s+")) {
            Matcher m = Pattern.compile("(\\d+)m([0-9.]+)s").matcher(t);
            if (m.matches()) {
                cpu += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            }
        }
        lastResult = done.stdout().stream().anyMatch(l -> l.startsWith("RESULT ")) ? done.result() : Map.of();
        return new Step(what, done.wallNanos(), cpu, server);
    }

    // ------------------------------------------------------------------ the report

    private static String[] report(Bench.Fragment f, boolean smoke, boolean aws, Tree tree, long zipBytes,
            long awsZipBytes, int reps, List<Run> oursUp, List<Run> awsUp, List<Run> oursDown, List<Run> awsDown,
            int heapFiles, long[] heapSizes, List<Tree> heapTrees, List<Run> heapRuns) throws IOException {
        f.para("A tree of " + String.format(Locale.ROOT, "%,d", tree.files()) + " files, "
                + Bench.bytes(tree.bytes()) + " in " + tree.paths().stream().map(p -> p.substring(0, p.lastIndexOf('/')))
                        .distinct().count() + " directories of two levels: sizes log-uniform "
                + "over 1 KiB–1 MiB scaled to the total, 3 files in 5 text (words of a 5,000-word random vocabulary, "
                + "about 2.5:1 under deflate), 2 in 5 random bytes. Zipped by ours: " + Bench.bytes(zipBytes)
                + (aws ? "; by `zip -r`: " + Bench.bytes(awsZipBytes) : "") + ". S3Proxy 2.6.0 runs as "
                + "`java -jar s3proxy.jar --properties …` (its own JVM, default heap) on 127.0.0.1 over jclouds' "
                + "`filesystem-nio2` store in the work directory, `s3proxy.authorization=aws-v2-or-v4`, "
                + "`s3proxy.ignore-unknown-headers=true`; it checks every request's SigV4 signature and, over plain "
                + "HTTP, the payload's SHA-256. Both clients sign payloads (HTTP, so no UNSIGNED-PAYLOAD) and compute "
                + "checksums only where S3 requires them (ours: core's endpoint-override settings; the AWS CLI: "
                + "`AWS_REQUEST_CHECKSUM_CALCULATION=when_required`, `AWS_RESPONSE_CHECKSUM_VALIDATION=when_required`).");
        f.para("Ours: one fresh JVM per transfer (`java -cp bench-classpath ArtifactsProbe upload|download …`, JVM "
                + "defaults), which builds the client with `ArtifactS3Clients.build` (Apache client) and calls "
                + "`ArtifactUploader.upload` (deflate level 6 while streaming, 8 MiB parts, one part in flight while "
                + "the next is filled) or `ArtifactDownloader.download` (one GetObject spooled to a file beside the "
                + "target, then extracted with commons-compress' `ZipFile`), with fixed artifact credentials: what "
                + "`codepipeline-job artifacts get|put` does after GetJobDetails. The AWS CLI (defaults: 8 MiB parts, "
                + "10 concurrent requests, ranged GETs for a download) and Info-ZIP (level 6) run on the same "
                + "server. Wall time includes each process' start (JVM, Python). CPU = user + system of the "
                + "client process(es) (bash `times`), and of S3Proxy (/proc) in the same interval. Repetitions "
                + "interleave the variants, alternating which goes first; the download is of the zip ours uploaded; "
                + "every extracted tree is checked (file count, total size, 16 files compared byte for byte). "
                + "MB/s = the tree's " + Bench.bytes(tree.bytes()) + " / wall time.");
        if (!aws) {
            f.para("**The aws CLI is not on PATH: the comparison is skipped (smoke run).**");
        }
        String wallDown = "";
        String wallUp = "";
        boolean downMet = true;
        boolean upMet = true;
        List<List<String>> rows = new ArrayList<>();
        for (String dir : List.of("download + extract", "zip + upload")) {
            boolean down = dir.startsWith("download");
            List<Run> ours = down ? oursDown : oursUp;
            List<Run> theirs = down ? awsDown : awsUp;
            double oursMedian = Bench.median(walls(ours));
            rows.add(row(dir, "ours (core, fresh JVM)", ours, tree.bytes()));
            if (aws) {
                double theirsMedian = Bench.median(walls(theirs));
                rows.add(row(dir, down ? "`aws s3 cp` + `unzip`" : "`zip -r` + `aws s3 cp`", theirs, tree.bytes()));
                String text = String.format(Locale.ROOT, "ours %s vs %s %s (%s)", secs(oursMedian),
                        down ? "aws s3 cp + unzip" : "zip -r + aws s3 cp", secs(theirsMedian),
                        Bench.ratio(oursMedian, theirsMedian));
                if (down) {
                    wallDown = text;
                    downMet = oursMedian <= theirsMedian;
                } else {
                    wallUp = text;
                    upMet = oursMedian <= theirsMedian;
                }
            } else {
                String text = "ours " + secs(oursMedian) + " (no aws CLI)";
                if (down) {
                    wallDown = text;
                } else {
                    wallUp = text;
                }
            }
        }
        f.line("### Download + extract, zip + upload: " + String.format(Locale.ROOT, "%,d", tree.files()) + " files, "
                + size(tree.bytes()) + ", " + reps + " repetition(s)").line("");
        f.table(List.of("transfer", "variant", "wall median (min–max)", "MB/s (median)", "steps (median)",
                "client CPU s (median)", "S3Proxy CPU s (median)"), rows);

        // heap
        f.line("### Peak heap of one transfer with " + HEAP_XMX).line("");
        f.para("The same probe in a fresh JVM with `" + HEAP_XMX + " -Xlog:gc:file=…` (G1, the JVM's default), "
                + "moving a tree of " + String.format(Locale.ROOT, "%,d", heapFiles) + " files (same generator, same "
                + "file count for both sizes, so that only the bytes grow): zip + upload, then download + extract "
                + "of that object. Peak used = the largest `MemoryMXBean` heap reading, sampled every millisecond "
                + "(garbage included, so it follows the young generation's sizing more than the data); before / "
                + "after GC = the largest sum of the heap pools before and after any collection (GC notifications; "
                + "after GC is the live heap's high-water mark); the GC log's largest `before->after` in MB as a "
                + "cross-check.");
        List<List<String>> heapRows = new ArrayList<>();
        List<Double> afterGcBySize = new ArrayList<>();
        int i = 0;
        for (int s = 0; s < heapSizes.length; s++) {
            double maxAfter = 0;
            for (String dir : List.of("zip + upload", "download + extract")) {
                Run run = heapRuns.get(i++);
                Map<String, String> r = run.result();
                maxAfter = Math.max(maxAfter, Long.parseLong(r.get("peakAfterGc")) / 1e6);
                heapRows.add(List.of(size(heapTrees.get(s).bytes()), dir, Bench.bytes(Long.parseLong(r.get("bytes"))),
                        secs(run.wallNanos()) + " (" + secs(Long.parseLong(r.get("nanos"))) + ")",
                        mb(r.get("peakUsed")), mb(r.get("peakBeforeGc")), mb(r.get("peakAfterGc")),
                        r.get("logBefore") + " → " + r.get("logAfter"), r.get("gcs")));
            }
            afterGcBySize.add(maxAfter);
        }
        f.table(List.of("artifact", "transfer", "object", "wall (in-JVM transfer)", "peak used MB",
                "peak before GC MB", "peak after GC MB", "GC log peak MB", "GCs"), heapRows);
        double small = afterGcBySize.get(0);
        double large = afterGcBySize.get(afterGcBySize.size() - 1);
        boolean heapMet = large <= small + 10;
        if (heapSizes.length == 1) {
            f.para(String.format(Locale.ROOT, "Live heap high-water mark (largest after GC): %.1f MB at %s. A smoke "
                    + "run moves one size only, so it cannot show growth.", small, size(heapTrees.get(0).bytes())));
        } else {
            f.para(String.format(Locale.ROOT, "Live heap high-water mark (largest after GC, upload or download): "
                    + "%.1f MB at %s, %.1f MB at %s: %s. Criterion: at %s at most 10 MB above %s → %s. Neither "
                    + "includes the JVM's native memory (thread stacks, direct buffers, the zip's inflater state).",
                    small, size(heapTrees.get(0).bytes()), large, size(heapTrees.get(heapTrees.size() - 1).bytes()),
                    large <= small + 10 ? "flat" : "grows", size(heapTrees.get(heapTrees.size() - 1).bytes()),
                    size(heapTrees.get(0).bytes()), Bench.met(heapMet)));
        }

        f.para("How the variants differ, whatever the figures: the AWS CLI downloads with up to 10 ranged GETs in "
                + "parallel and uploads up to 10 parts at once, where ours makes one GetObject stream and keeps one "
                + "part in flight while it deflates the next; ours overlaps zipping with the upload and writes no "
                + "zip of its own (the download spools the object, as `aws s3 cp` writes its file, because a zip's "
                + "modes and links sit in its central directory at the end); Info-ZIP stores an entry that does not "
                + "shrink where commons-compress deflates it anyway; a JVM process adds its start and JIT warm-up "
                + "(about 1 s of wall, several CPU seconds, in the smoke run's tiny transfers most of the time); with "
                + "2 cores, S3Proxy's own CPU competes with the client's.");

        // the machine and the commands
        f.line("### Machine and commands").line("");
        List<List<String>> machine = new ArrayList<>();
        machine.add(List.of("disk of the work directory", diskBefore));
        machine.add(List.of("S3Proxy", "2.6.0 (`org.gaul:s3proxy:2.6.0:jar-with-dependencies`), filesystem-nio2 store, "
                + "own JVM"));
        machine.add(List.of("AWS CLI", aws ? firstLine(List.of("aws", "--version")) : "not on PATH"));
        machine.add(List.of("zip / unzip", firstLine(List.of("sh", "-c", "zip -v | sed -n 2p")) + " / "
                + firstLine(List.of("sh", "-c", "unzip -v | head -1"))));
        f.table(List.of("", ""), machine);
        f.code("# S3Proxy (properties written by the section)\n"
                + "java -jar bench/target/s3proxy/s3proxy.jar --properties s3proxy.properties\n"
                + "  s3proxy.endpoint=http://127.0.0.1:PORT  s3proxy.authorization=aws-v2-or-v4\n"
                + "  s3proxy.identity=" + IDENTITY + "  s3proxy.credential=…  s3proxy.ignore-unknown-headers=true\n"
                + "  jclouds.provider=filesystem-nio2  jclouds.filesystem.basedir=bench/target/run/9-scratch/store\n"
                + "# ours (bench class path: bench/target/classes:bench/target/lib/*)\n"
                + "java [" + HEAP_XMX + " -Xlog:gc:file=gc.log] -cp CP io.jenkins.plugins.codepipeline.bench.ArtifactsProbe "
                + "upload   http://127.0.0.1:PORT " + BUCKET + " up-ours  TREE  " + IDENTITY + " SECRET\n"
                + "java [" + HEAP_XMX + " -Xlog:gc:file=gc.log] -cp CP io.jenkins.plugins.codepipeline.bench.ArtifactsProbe "
                + "download http://127.0.0.1:PORT " + BUCKET + " up-ours  DIR   " + IDENTITY + " SECRET\n"
                + "# the AWS CLI and Info-ZIP (env: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,\n"
                + "#   AWS_DEFAULT_REGION=eu-west-1, AWS_CONFIG_FILE with s3.addressing_style=path,\n"
                + "#   AWS_REQUEST_CHECKSUM_CALCULATION=when_required, AWS_RESPONSE_CHECKSUM_VALIDATION=when_required)\n"
                + "(cd TREE && zip -r -q up-aws.zip .)\n"
                + "aws --endpoint-url http://127.0.0.1:PORT s3 cp --only-show-errors up-aws.zip s3://" + BUCKET
                + "/up-aws\n"
                + "aws --endpoint-url http://127.0.0.1:PORT s3 cp --only-show-errors s3://" + BUCKET
                + "/up-ours down-aws.zip\n"
                + "unzip -q down-aws.zip -d down-aws");
        f.para("Run alone: `bench/run --sections 9` (needs about " + (smoke ? "0.5" : "12") + " GB free in "
                + "bench/target/run; the scratch directory, the trees, the zips and S3Proxy's store are deleted at "
                + "the end, S3Proxy is stopped by its PID).");

        String headline = String.format(Locale.ROOT, "%,d files / %s: download + extract %s; zip + upload %s; "
                + "peak live heap (%s) %.1f MB at %s%s", tree.files(), size(tree.bytes()), wallDown,
                wallUp, HEAP_XMX, small, size(heapTrees.get(0).bytes()), heapSizes.length == 1 ? ""
                        : String.format(Locale.ROOT, ", %.1f MB at %s", large,
                                size(heapTrees.get(heapTrees.size() - 1).bytes())));
        String verdict = (aws ? (downMet ? "met" : "missed") + " download, " + (upMet ? "met" : "missed")
                + " upload, " : "no aws CLI, ") + (heapSizes.length == 1 ? "one heap size (smoke)"
                        : (heapMet ? "met" : "missed") + " heap");
        return new String[] {headline, verdict};
    }

    private static List<String> row(String transfer, String variant, List<Run> runs, long treeBytes) {
        long[] walls = walls(runs);
        double median = Bench.median(walls);
        long[] sorted = Bench.sorted(walls);
        StringBuilder steps = new StringBuilder();
        for (int s = 0; s < runs.get(0).steps().size(); s++) {
            int index = s;
            long[] stepWalls = runs.stream().mapToLong(r -> r.steps().get(index).wallNanos()).toArray();
            if (steps.length() > 0) {
                steps.append(" + ");
            }
            steps.append(runs.get(0).steps().get(s).what()).append(' ').append(secs(Bench.median(stepWalls)));
        }
        if (runs.get(0).result().containsKey("nanos")) {
            long[] inJvm = runs.stream().mapToLong(r -> Long.parseLong(r.result().get("nanos"))).toArray();
            steps.append(" (in-JVM transfer ").append(secs(Bench.median(inJvm))).append(')');
        }
        long[] client = runs.stream().mapToLong(r -> Math.round(r.clientCpu() * 1000)).toArray();
        long[] server = runs.stream().mapToLong(r -> Math.round(r.serverCpu() * 1000)).toArray();
        return List.of(transfer, variant, secs(median) + " (" + secs(sorted[0]) + "–" + secs(sorted[sorted.length - 1])
                + ")", Bench.num(treeBytes / 1e6 / (median / 1e9), 1), steps.toString(),
                Bench.num(Bench.median(client) / 1000, 1), Bench.num(Bench.median(server) / 1000, 1));
    }

    private static long[] walls(List<Run> runs) {
        return runs.stream().mapToLong(Run::wallNanos).toArray();
    }

    // ------------------------------------------------------------------ the tree

    /**
     * {@code files} files of {@code total} bytes in all under {@code dir}: part-NN/sub-N/file-NNNNN.txt|.bin, sizes
     * log-uniform over 1 KiB–1 MiB scaled to the total; 3 in 5 are text, 2 in 5 random bytes (slices of blocks made
     * once, at random offsets: deflate's 32 KiB window sees no repeats in the random ones).
     */
    static Tree makeTree(Path dir, int files, long total, long seed) throws IOException {
        deleteTree(dir);
        SplittableRandom random = new SplittableRandom(seed);
        double[] raw = new double[files];
        double sum = 0;
        for (int i = 0; i < files; i++) {
            raw[i] = Math.exp(Math.log(1024) + random.nextDouble() * (Math.log(1 << 20) - Math.log(1024)));
            sum += raw[i];
        }
        long[] sizes = new long[files];
        long assigned = 0;
        for (int i = 0; i < files; i++) {
            sizes[i] = Math.max(1, (long) (raw[i] * total / sum));
            assigned += sizes[i];
        }
        sizes[files - 1] += total - assigned;
        int block = 16 << 20;
        byte[] text = textBlock(block, random);
        byte[] noise = new byte[block];
        random.nextBytes(noise);
        List<String> paths = new ArrayList<>(files);
        List<Long> sizeList = new ArrayList<>(files);
        for (int i = 0; i < files; i++) {
            boolean isText = i % 5 < 3;
            String name = String.format(Locale.ROOT, "part-%02d/sub-%d/file-%05d.%s", i / 100 % 100, i / 10 % 10, i,
                    isText ? "txt" : "bin");
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            byte[] source = isText ? text : noise;
            try (OutputStream out = Files.newOutputStream(file)) {
                long left = sizes[i];
                int offset = random.nextInt(block);
                while (left > 0) {
                    int n = (int) Math.min(left, block - offset);
                    out.write(source, offset, n);
                    left -= n;
                    offset = 0;
                }
            }
            paths.add(name);
            sizeList.add(sizes[i]);
        }
        return new Tree(dir, paths, sizeList, total);
    }

    private static byte[] textBlock(int size, SplittableRandom random) {
        String[] words = new String[5_000];
        for (int w = 0; w < words.length; w++) {
            char[] c = new char[3 + random.nextInt(8)];
            for (int k = 0; k < c.length; k++) {
                c[k] = (char) ('a' + random.nextInt(26));
            }
            words[w] = new String(c);
        }
        StringBuilder s = new StringBuilder(size + 64);
        int line = 0;
        while (s.length() < size) {
            s.append(words[random.nextInt(words.length)]);
            s.append(++line % 12 == 0 ? '\n' : ' ');
        }
        return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** The extracted tree has every file with its size; 16 of them compared byte for byte while the tree exists. */
    private static void verify(Tree tree, Path into, String who) throws IOException {
        long[] found = new long[2];
        try (Stream<Path> walk = Files.walk(into)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                found[0]++;
                try {
                    found[1] += Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        if (found[0] != tree.files() || found[1] != tree.bytes()) {
            throw new IllegalStateException(who + " extracted " + found[0] + " files, " + found[1] + " bytes; the "
                    + "tree has " + tree.files() + ", " + tree.bytes());
        }
        for (int k = 0; k < 16; k++) {
            int i = (int) ((long) k * tree.files() / 16);
            Path extracted = into.resolve(tree.paths().get(i));
            if (Files.size(extracted) != tree.sizes().get(i)) {
                throw new IllegalStateException(who + ": " + tree.paths().get(i) + " has the wrong size");
            }
            if (Files.exists(tree.dir().resolve(tree.paths().get(i)))
                    && Files.mismatch(extracted, tree.dir().resolve(tree.paths().get(i))) != -1) {
                throw new IllegalStateException(who + ": " + tree.paths().get(i) + " differs from the original");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The largest before and after values of the GC log's "NM->NM(NM)" lines. */
    private static Map<String, String> gcLog(Path log, String prefix) throws IOException {
        long before = 0;
        long after = 0;
        Pattern p = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");
        for (String line : Files.readAllLines(log)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                before = Math.max(before, Long.parseLong(m.group(1)));
                after = Math.max(after, Long.parseLong(m.group(2)));
            }
        }
        Files.delete(log);
        return Map.of(prefix + "Before", Long.toString(before), prefix + "After", Long.toString(after));
    }

    private static long objectSize(String key) {
        try {
            return Files.size(proxy.store.resolve(BUCKET).resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteObject(String key) throws IOException {
        Files.deleteIfExists(proxy.store.resolve(BUCKET).resolve(key));
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static boolean awsAvailable() {
        try {
            return Bench.run(List.of("aws", "--version"), null, false).exitCode() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static String firstLine(List<String> command) {
        try {
            Bench.Finished done = Bench.run(command, null, false);
            String out = done.stdout().isEmpty() ? done.stderr().strip() : done.stdout().get(0);
            return out.lines().findFirst().orElse("?").strip();
        } catch (UncheckedIOException e) {
            return "?";
        }
    }

    private static String dfLine(Path dir) {
        Bench.Finished done = Bench.run(List.of("df", "-h", "--output=source,fstype,size,avail", dir.toString()),
                null, false);
        return done.stdout().size() < 2 ? "?" : done.stdout().get(1).trim().replaceAll("\\s+", " ")
                + " (source, type, size, available before the section)";
    }

    private static void progress(String text) {
        System.out.println("[" + NAME + "] " + text);
    }

    static String secs(double nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String mb(String bytes) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(bytes) / 1e6);
    }

    static String size(long bytes) {
        if (bytes % (GIB / 2) == 0) {
            return bytes / (double) GIB + " GiB";
        }
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    // ------------------------------------------------------------------ S3Proxy

    /** S3Proxy as its own process over a filesystem store; stopped by its PID. */
    static final class S3ProxyProcess implements AutoCloseable {
        final Process process;
        final String endpoint;
        final Path store;

        private S3ProxyProcess(Process process, String endpoint, Path store) {
            this.process = process;
            this.endpoint = endpoint;
            this.store = store;
        }

        static S3ProxyProcess start(Path jar, Path store, Path log) throws IOException, InterruptedException {
            Files.createDirectories(store.resolve(BUCKET));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path properties = store.getParent().resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + SECRET,
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + store,
                    "jclouds.identity=identity",
                    "jclouds.credential=credential", ""));
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", jar.toString(), "--properties", properties.toString());
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            S3ProxyProcess proxy = new S3ProxyProcess(process, "http://127.0.0.1:" + port, store);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ": "
                            + Files.readString(log));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return proxy;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        proxy.close();
                        throw new IllegalStateException("S3Proxy did not listen within 60 s: " + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
            }
        }

        /** User + system CPU seconds of the S3Proxy process so far. */
        double cpuSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after the command: state is field 3, utime 14 and stime 15 (1-based in proc(5))
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
