package io.jenkins.plugins.codepipeline.core.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The persisted record of the jobs in flight: every acknowledged job until its result is sent, so that a restart
 * resumes or fails each one rather than losing it. A small JSON file, rewritten whole on each change: written to a
 * temporary file in the same directory, forced to disk, then moved over the old one atomically, so that a crash
 * leaves the old file or the new one, never half of one. Never holds a secret. Thread-safe.
 *
 * <p>A file that cannot be read is not deleted: it is renamed {@code <name>.corrupt-<time>}, and
 * {@link #warnings()} says so. An entry that cannot be read is skipped, with a warning, and the file is copied aside
 * the same way.
 */
public final class JobJournal {
    public static final int FORMAT_VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter CORRUPT_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Where a job is: acknowledged, then queued, then building, then its result is being sent. With the live link
     * (a chain of jobs), {@code AWAITING_FOLLOW_UP}: the build reported progress with a continuation token, which
     * closed the job, and waits for CodePipeline's follow-up job (the entry's {@code jobId} is then the closed job's
     * until the follow-up is attached).
     */
    public enum State { ACKNOWLEDGED, QUEUED, BUILDING, REPORTING, AWAITING_FOLLOW_UP }

    /**
     * One job in flight.
     *
     * @param jobId          the CodePipeline job's id
     * @param region         where it was polled, and its result goes
     * @param endpointUrl    the endpoint override; null for the region's
     * @param credentialsId  the credentials' id (not the credentials); null for the default
     * @param owner          the Jenkins job's full name (plugin) or {@code cli}
     * @param queueId        the queue item's id; 0 when none
     * @param buildNumber    the build's number; 0 when none
     * @param state          where the job is
     * @param acknowledgedAt when it was acknowledged
     * @param description    pipeline/stage/action, for lists
     * @param recordId       the id of the first job of a chain (the live link's continuation token names it), which
     *                       stays while {@code jobId} becomes each follow-up job's; null for a job without a chain
     * @param buildEnded     in a chain: the build ended while it waited for the follow-up job, whose automatic result
     *                       is then owed as soon as the follow-up is attached
     */
    public record Entry(String jobId, String region, String endpointUrl, String credentialsId, String owner,
            long queueId, int buildNumber, State state, Instant acknowledgedAt, String description, String recordId,
            boolean buildEnded) {

        public Entry {
            if (jobId == null || jobId.isBlank()) {
                throw new IllegalArgumentException("jobId is missing; a journal entry needs the CodePipeline job's id");
            }
            Objects.requireNonNull(state, "state");
            if (recordId != null && recordId.isBlank()) {
                recordId = null;
            }
        }

        /** An entry without a chain. */
        public Entry(String jobId, String region, String endpointUrl, String credentialsId, String owner,
                long queueId, int buildNumber, State state, Instant acknowledgedAt, String description) {
            this(jobId, region, endpointUrl, credentialsId, owner, queueId, buildNumber, state, acknowledgedAt,
                    description, null, false);
        }

        public Entry withQueueId(long id) {
            return new Entry(jobId, region, endpointUrl, credentialsId, owner, id, buildNumber, state, acknowledgedAt,
                    description, recordId, buildEnded);
        }

        public Entry withBuild(int number) {
            return new Entry(jobId, region, endpointUrl, credentialsId, owner, queueId, number, state, acknowledgedAt,
                    description, recordId, buildEnded);
        }

        public Entry withState(State s) {
            return new Entry(jobId, region, endpointUrl, credentialsId, owner, queueId, buildNumber, s, acknowledgedAt,
                    description, recordId, buildEnded);
        }

        public Entry withOwner(String newOwner) {
            return new Entry(jobId, region, endpointUrl, credentialsId, newOwner, queueId, buildNumber, state,
                    acknowledgedAt, description, recordId, buildEnded);
        }

        /** The entry as the record of a chain: its first job's id stays {@code id}. */
        public Entry withRecordId(String id) {
            return new Entry(jobId, region, endpointUrl, credentialsId, owner, queueId, buildNumber, state,
                    acknowledgedAt, description, id, buildEnded);
        }

        /** The chain's current job becomes {@code newJobId} (a follow-up job), acknowledged at {@code at}. */
        public Entry withJobId(String newJobId, Instant at) {
            return new Entry(newJobId, region, endpointUrl, credentialsId, owner, queueId, buildNumber, state, at,
                    description, recordId == null ? jobId : recordId, buildEnded);
        }

        public Entry withBuildEnded(boolean ended) {
            return new Entry(jobId, region, endpointUrl, credentialsId, owner, queueId, buildNumber, state,
                    acknowledgedAt, description, recordId, ended);
        }

        /** The id of the chain's first job; the job's own id when there is no chain. */
        public String recordIdOrJobId() {
            return recordId == null ? jobId : recordId;
        }
    }

    private final Path file;
    private final List<String> warnings = new ArrayList<>();
    /** By job id, in the order the jobs were first put. Replaced whole after each successful write. */
    private Map<String, Entry> entries;

    /**
     * Loads the journal; a missing file is an empty journal.
     *
     * @throws IOException when the file exists but cannot be read, or a corrupt one cannot be renamed
     */
    public JobJournal(Path file) throws IOException {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.entries = load();
    }

    public Path file() {
        return file;
    }

    /** Adds or replaces the entry of its job, and writes the file before returning. */
    public synchronized void put(Entry entry) throws IOException {
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        next.put(entry.jobId(), entry);
        write(next);
        entries = next;
    }

    public synchronized Optional<Entry> get(String jobId) {
        return Optional.ofNullable(entries.get(jobId));
    }

    /** Removes the job's entry, writing the file; false (and no write) when there is none. */
    public synchronized boolean remove(String jobId) throws IOException {
        if (!entries.containsKey(jobId)) {
            return false;
        }
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        next.remove(jobId);
        write(next);
        entries = next;
        return true;
    }

    /**
     * Replaces the entry of {@code oldJobId} (if any) by {@code entry}, at the same place, in one write: a chain's
     * follow-up job takes over from the job before it.
     */
    public synchronized void replace(String oldJobId, Entry entry) throws IOException {
        Map<String, Entry> next = new LinkedHashMap<>();
        boolean placed = false;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getKey().equals(oldJobId)) {
                next.put(entry.jobId(), entry);
                placed = true;
            } else if (!e.getKey().equals(entry.jobId())) {
                next.put(e.getKey(), e.getValue());
            }
        }
        if (!placed) {
            next.put(entry.jobId(), entry);
        }
        write(next);
        entries = next;
    }

    /** The entry whose chain has this record id (or, for a job outside a chain, whose job id it is). */
    public synchronized Optional<Entry> byRecordId(String recordId) {
        return entries.values().stream().filter(e -> e.recordIdOrJobId().equals(recordId)).findFirst();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public synchronized List<Entry> entriesOf(String owner) {
        return entries.values().stream().filter(e -> Objects.equals(owner, e.owner())).toList();
    }

    public synchronized int countOf(String owner) {
        return (int) entries.values().stream().filter(e -> Objects.equals(owner, e.owner())).count();
    }

    /** What went wrong while loading, for the administrator; empty when nothing did. */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    private void write(Map<String, Entry> next) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator json = JSON.createGenerator(bytes)) {
                json.useDefaultPrettyPrinter();
                writeJson(json, next.values());
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // What a crash must keep: the content is on disk before the name points at it. The directory is not
                // forced as well: a rename lost in a crash leaves the previous record, which only lists a job that
                // is then reported twice, and CodePipeline refuses the second report.
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeJson(JsonGenerator json, Iterable<Entry> entries) throws IOException {
        json.writeStartObject();
        json.writeNumberField("version", FORMAT_VERSION);
        json.writeArrayFieldStart("jobs");
        for (Entry e : entries) {
            json.writeStartObject();
            json.writeStringField("jobId", e.jobId());
            writeOptional(json, "region", e.region());
            writeOptional(json, "endpointUrl", e.endpointUrl());
            writeOptional(json, "credentialsId", e.credentialsId());
            writeOptional(json, "owner", e.owner());
            json.writeNumberField("queueId", e.queueId());
            json.writeNumberField("buildNumber", e.buildNumber());
            json.writeStringField("state", e.state().name());
            writeOptional(json, "acknowledgedAt", e.acknowledgedAt() == null ? null : e.acknowledgedAt().toString());
            writeOptional(json, "description", e.description());
            writeOptional(json, "recordId", e.recordId());
            if (e.buildEnded()) {
                json.writeBooleanField("buildEnded", true);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeOptional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private Map<String, Entry> load() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        }
        Map<String, Entry> loaded = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        try (JsonParser json = JSON.createParser(content)) {
            readJournal(json, loaded, skipped);
        } catch (JsonProcessingException | IllegalStateException e) {
            Path aside = setAside(true);
            warnings.add("The record of CodePipeline jobs in flight " + file + " could not be read (" + e.getMessage()
                    .lines().findFirst().orElse("") + "); it was renamed " + aside.getFileName() + ". The jobs it "
                    + "listed are not resumed: check them in CodePipeline, where they time out if nothing reports "
                    + "them.");
            return new LinkedHashMap<>();
        }
        if (!skipped.isEmpty()) {
            Path aside = setAside(false);
            warnings.add("The record of CodePipeline jobs in flight " + file + " had " + skipped.size()
                    + " unreadable entr" + (skipped.size() == 1 ? "y" : "ies") + " (" + String.join("; ", skipped)
                    + "), which were skipped; the file was copied to " + aside.getFileName() + ". Check those jobs "
                    + "in CodePipeline, where they time out if nothing reports them.");
        }
        return loaded;
    }

    private static void readJournal(JsonParser json, Map<String, Entry> loaded, List<String> skipped)
            throws IOException {
        expect(json.nextToken(), JsonToken.START_OBJECT, "the file is not a JSON object");
        boolean sawJobs = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if ("jobs".equals(field)) {
                expect(value, JsonToken.START_ARRAY, "jobs is not a list");
                sawJobs = true;
                int index = 0;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    index++;
                    Map<String, Object> fields = readObject(json);
                    try {
                        Entry entry = toEntry(fields);
                        loaded.put(entry.jobId(), entry);
                    } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
                        Object id = fields.get("jobId");
                        skipped.add("entry " + index + (id == null ? "" : " (job " + id + ")") + ": " + e.getMessage());
                    }
                }
                expect(json.currentToken(), JsonToken.END_ARRAY, "jobs holds something other than objects");
            } else {
                json.skipChildren(); // newer fields are ignored, so an older worker can read a newer file
            }
        }
        expect(json.currentToken(), JsonToken.END_OBJECT, "the file does not end where it should");
        if (json.nextToken() != null) {
            throw new IllegalStateException("there is content after the JSON object");
        }
        if (!sawJobs) {
            throw new IllegalStateException("there is no jobs list");
        }
    }

    /** A flat object of strings, numbers and booleans; nested values are skipped. */
    private static Map<String, Object> readObject(JsonParser json) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            switch (value) {
                case VALUE_STRING -> fields.put(name, json.getText());
                case VALUE_NUMBER_INT -> fields.put(name, json.getLongValue());
                case VALUE_TRUE -> fields.put(name, Boolean.TRUE);
                case VALUE_FALSE -> fields.put(name, Boolean.FALSE);
                case VALUE_NULL -> fields.remove(name);
                default -> json.skipChildren();
            }
        }
        expect(json.currentToken(), JsonToken.END_OBJECT, "an entry is not closed");
        return fields;
    }

    private static Entry toEntry(Map<String, Object> f) {
        String state = string(f, "state");
        if (state == null) {
            throw new IllegalArgumentException("state is missing");
        }
        State parsed;
        try {
            parsed = State.valueOf(state);
        } catch (IllegalArgumentException e) {
            // (the message lists the states before the live link: an older reader's message reads the same)
            throw new IllegalArgumentException("state '" + state + "' is not one of ACKNOWLEDGED, QUEUED, BUILDING, "
                    + "REPORTING");
        }
        String at = string(f, "acknowledgedAt");
        long buildNumber = number(f, "buildNumber");
        if (buildNumber < 0 || buildNumber > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buildNumber " + buildNumber + " is not a build number");
        }
        return new Entry(string(f, "jobId"), string(f, "region"), string(f, "endpointUrl"),
                string(f, "credentialsId"), string(f, "owner"), number(f, "queueId"), (int) buildNumber, parsed,
                at == null ? null : Instant.parse(at), string(f, "description"), string(f, "recordId"),
                bool(f, "buildEnded"));
    }

    /** Absent (a file written before the live link) is false. */
    private static boolean bool(Map<String, Object> f, String name) {
        Object value = f.get(name);
        if (value != null && !(value instanceof Boolean)) {
            throw new IllegalArgumentException(name + " is not true or false");
        }
        return Boolean.TRUE.equals(value);
    }

    private static String string(Map<String, Object> f, String name) {
        Object value = f.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return (String) value;
    }

    private static long number(Map<String, Object> f, String name) {
        Object value = f.get(name);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Long n)) {
            throw new IllegalArgumentException(name + " is not a whole number");
        }
        return n;
    }

    private static void expect(JsonToken actual, JsonToken wanted, String otherwise) {
        if (actual != wanted) {
            throw new IllegalStateException(otherwise);
        }
    }

    /** Renames (or copies) the file aside as {@code <name>.corrupt-<time>}, never over an earlier one. */
    private Path setAside(boolean rename) throws IOException {
        String base = file.getFileName() + ".corrupt-" + CORRUPT_SUFFIX.format(Instant.now());
        Path aside = file.resolveSibling(base);
        for (int i = 2; Files.exists(aside); i++) {
            aside = file.resolveSibling(base + "-" + i);
        }
        if (rename) {
            Files.move(file, aside);
        } else {
            Files.copy(file, aside);
        }
        return aside;
    }
}
