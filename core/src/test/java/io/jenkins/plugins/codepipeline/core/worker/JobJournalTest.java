package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.codepipeline.core.worker.JobJournal.Entry;
import io.jenkins.plugins.codepipeline.core.worker.JobJournal.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJournalTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    @TempDir
    Path dir;

    private static Entry entry(String jobId, String owner) {
        return new Entry(jobId, "eu-west-1", null, "cp-worker", owner, 0, 0, State.ACKNOWLEDGED, AT,
                "demo/Build/Jenkins");
    }

    @Test
    void entriesSurviveAReload() throws Exception {
        Path file = dir.resolve("state/jobs-in-flight.json");
        JobJournal journal = new JobJournal(file);
        assertEquals(List.of(), journal.entries());
        Entry a = entry("job-a", "folder/app");
        journal.put(a);
        journal.put(entry("job-b", "cli").withState(State.QUEUED).withQueueId(42));
        journal.put(a.withBuild(7).withState(State.BUILDING));
        journal.put(new Entry("job-c", "us-east-1", "http://127.0.0.1:9", null, "folder/app", 0, 0,
                State.REPORTING, null, null));

        JobJournal reloaded = new JobJournal(file);
        assertEquals(journal.entries(), reloaded.entries());
        assertEquals(List.of("job-a", "job-b", "job-c"), reloaded.entries().stream().map(Entry::jobId).toList());
        assertEquals(Optional.of(a.withBuild(7).withState(State.BUILDING)), reloaded.get("job-a"));
        assertEquals(2, reloaded.countOf("folder/app"));
        assertEquals(List.of("job-b"), reloaded.entriesOf("cli").stream().map(Entry::jobId).toList());
        assertEquals(List.of(), reloaded.warnings());

        assertTrue(reloaded.remove("job-a"));
        assertFalse(reloaded.remove("job-a"));
        assertEquals(List.of("job-b", "job-c"),
                new JobJournal(file).entries().stream().map(Entry::jobId).toList());
    }

    @Test
    void theFileIsReadableJsonWithoutTemporaryFilesLeft() throws Exception {
        Path file = dir.resolve("jobs.json");
        JobJournal journal = new JobJournal(file);
        journal.put(entry("job-a", "folder/app").withOwner("folder/renamed"));
        String json = Files.readString(file);
        assertTrue(json.contains("\"version\" : 1"), json);
        assertTrue(json.contains("\"owner\" : \"folder/renamed\""), json);
        assertTrue(json.contains("\"acknowledgedAt\" : \"2026-01-02T03:04:05.678Z\""), json);
        assertFalse(json.contains("endpointUrl"), "null members are left out: " + json);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndTheMemoryAsTheyWere() throws Exception {
        Path file = dir.resolve("jobs.json");
        JobJournal journal = new JobJournal(file);
        journal.put(entry("job-a", "app"));
        String before = Files.readString(file);
        // A directory where the temporary file's move must go makes the write fail.
        Files.delete(file);
        Files.createDirectory(file);
        Files.writeString(file.resolve("blocker"), "x");
        assertThrows(java.io.IOException.class, () -> journal.put(entry("job-b", "app")));
        assertEquals(List.of("job-a"), journal.entries().stream().map(Entry::jobId).toList());
        Files.delete(file.resolve("blocker"));
        Files.delete(file);
        Files.writeString(file, before);
        assertEquals(List.of("job-a"), new JobJournal(file).entries().stream().map(Entry::jobId).toList());
    }

    @Test
    void concurrentPutsAreAllKept() throws Exception {
        Path file = dir.resolve("jobs.json");
        JobJournal journal = new JobJournal(file);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "job-" + i;
                puts.add(pool.submit(() -> {
                    journal.put(entry(id, "app"));
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(40, new JobJournal(file).countOf("app"));
    }

    @Test
    void aCorruptFileIsRenamedAndReported() throws Exception {
        Path file = dir.resolve("jobs.json");
        Files.writeString(file, "{\"version\":1,\"jobs\":[{\"jobId\":\"job-a\",\"state\":\"QUEUED\"");
        JobJournal journal = new JobJournal(file);
        assertEquals(List.of(), journal.entries());
        assertFalse(Files.exists(file));
        List<Path> aside;
        try (Stream<Path> files = Files.list(dir)) {
            aside = files.toList();
        }
        assertEquals(1, aside.size());
        assertTrue(aside.get(0).getFileName().toString().matches("jobs\\.json\\.corrupt-\\d{8}T\\d{6}Z"),
                aside.get(0).toString());
        assertEquals(1, journal.warnings().size());
        String warning = journal.warnings().get(0);
        assertTrue(warning.startsWith("The record of CodePipeline jobs in flight " + file + " could not be read ("),
                warning);
        assertTrue(warning.contains("it was renamed " + aside.get(0).getFileName()), warning);

        journal.put(entry("job-b", "app"));
        assertEquals(1, new JobJournal(file).entries().size(), "a fresh file is written after a corrupt one");
    }

    @Test
    void notJsonAtAllAndEmptyFilesAreCorruptToo() throws Exception {
        for (String content : List.of("", "[1,2]", "garbage", "{\"version\":1}", "{\"jobs\":[]} trailing")) {
            Path file = dir.resolve("f" + content.hashCode() + ".json");
            Files.writeString(file, content);
            JobJournal journal = new JobJournal(file);
            assertEquals(1, journal.warnings().size(), content);
            assertFalse(Files.exists(file), content);
        }
    }

    @Test
    void anUnreadableEntryIsSkippedAndTheFileKeptAside() throws Exception {
        Path file = dir.resolve("jobs.json");
        Files.writeString(file, "{\"version\":2,\"future\":{\"x\":[1]},\"jobs\":["
                + "{\"jobId\":\"job-a\",\"state\":\"QUEUED\",\"queueId\":5,\"newField\":[1,{\"y\":2}]},"
                + "{\"jobId\":\"job-b\",\"state\":\"FLYING\"},"
                + "{\"state\":\"QUEUED\"}]}", StandardCharsets.UTF_8);
        JobJournal journal = new JobJournal(file);
        assertEquals(List.of("job-a"), journal.entries().stream().map(Entry::jobId).toList());
        assertEquals(5, journal.get("job-a").orElseThrow().queueId());
        assertTrue(Files.exists(file));
        String warning = journal.warnings().get(0);
        assertTrue(warning.contains("had 2 unreadable entries (entry 2 (job job-b): state 'FLYING' is not one of "
                + "ACKNOWLEDGED, QUEUED, BUILDING, REPORTING; entry 3: jobId is missing"), warning);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "the original is copied aside");
        }
    }

    @Test
    void aChainKeepsItsRecordIdAndEndedFlagAcrossAReload() throws Exception {
        Path file = dir.resolve("chain.json");
        JobJournal journal = new JobJournal(file);
        Entry first = entry("job-1", "app").withBuild(3).withState(State.AWAITING_FOLLOW_UP).withRecordId("job-1");
        journal.put(entry("other", "app"));
        journal.put(first);
        journal.put(entry("last", "app"));
        Entry followUp = first.withJobId("job-2", AT.plusSeconds(5)).withState(State.BUILDING).withBuildEnded(true);
        journal.replace("job-1", followUp);

        JobJournal reloaded = new JobJournal(file);
        assertEquals(List.of("other", "job-2", "last"), reloaded.entries().stream().map(Entry::jobId).toList());
        Entry read = reloaded.get("job-2").orElseThrow();
        assertEquals("job-1", read.recordId());
        assertEquals("job-1", read.recordIdOrJobId());
        assertTrue(read.buildEnded());
        assertEquals(State.BUILDING, read.state());
        assertEquals(AT.plusSeconds(5), read.acknowledgedAt());
        assertEquals(followUp, read);
        assertFalse(reloaded.get("job-1").isPresent());
        assertEquals(List.of(), reloaded.warnings());
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"recordId\" : \"job-1\""), json);
        assertTrue(json.contains("\"buildEnded\" : true"), json);
        assertTrue(json.contains("AWAITING_FOLLOW_UP") || json.contains("BUILDING"), json);
    }

    @Test
    void anEntryWithoutAChainIsWrittenAsBefore() throws Exception {
        Path file = dir.resolve("plain.json");
        JobJournal journal = new JobJournal(file);
        Entry plain = entry("job-a", "app");
        assertEquals(null, plain.recordId());
        assertFalse(plain.buildEnded());
        assertEquals("job-a", plain.recordIdOrJobId());
        journal.put(plain);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(json.contains("recordId"), json);
        assertFalse(json.contains("buildEnded"), json);
        assertEquals(plain, new JobJournal(file).get("job-a").orElseThrow());
    }

    @Test
    void aFileWrittenBeforeTheLiveLinkIsRead() throws Exception {
        Path file = dir.resolve("old.json");
        Files.writeString(file, "{\"version\":1,\"jobs\":[{\"jobId\":\"j\",\"region\":\"eu-west-1\",\"owner\":\"app\","
                + "\"queueId\":0,\"buildNumber\":2,\"state\":\"BUILDING\",\"acknowledgedAt\":\"2026-01-02T03:04:05Z\"}]}",
                StandardCharsets.UTF_8);
        JobJournal journal = new JobJournal(file);
        Entry read = journal.get("j").orElseThrow();
        assertEquals(null, read.recordId());
        assertFalse(read.buildEnded());
        assertEquals(List.of(), journal.warnings());
    }

    @Test
    void aMalformedEndedFlagSkipsOnlyThatEntry() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"version\":1,\"jobs\":[{\"jobId\":\"a\",\"state\":\"AWAITING_FOLLOW_UP\","
                + "\"recordId\":\"a\"},{\"jobId\":\"b\",\"state\":\"BUILDING\",\"buildEnded\":\"yes\"}]}",
                StandardCharsets.UTF_8);
        JobJournal journal = new JobJournal(file);
        assertEquals(List.of("a"), journal.entries().stream().map(Entry::jobId).toList());
        assertEquals(State.AWAITING_FOLLOW_UP, journal.get("a").orElseThrow().state());
        assertEquals(1, journal.warnings().size());
    }

    @Test
    void replaceWithoutTheOldEntryAppends() throws Exception {
        JobJournal journal = new JobJournal(dir.resolve("r.json"));
        journal.put(entry("x", "app"));
        journal.replace("gone", entry("y", "app"));
        assertEquals(List.of("x", "y"), journal.entries().stream().map(Entry::jobId).toList());
    }
}
