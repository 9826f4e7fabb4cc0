package io.jenkins.plugins.codepipeline.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecutionIdsTest {

    @Test
    void theFormatIsPrefixAndUnpaddedBase64Url() {
        // "folder/app#12" in UTF-8, base64url without padding.
        assertEquals("jenkins-Zm9sZGVyL2FwcCMxMg", ExecutionIds.encode("folder/app", 12));
        assertEquals(Optional.of(new ExecutionIds.BuildReference("folder/app", 12)),
                ExecutionIds.decode("jenkins-Zm9sZGVyL2FwcCMxMg"));
    }

    @Property
    void everyJobNameAndNumberRoundTripsThroughAUrlSafeId(@ForAll("jobNames") String name,
            @ForAll @IntRange(min = 1) int number) {
        String id = ExecutionIds.encode(name, number);
        assertTrue(id.matches("jenkins-[A-Za-z0-9_-]+"), id);
        assertEquals(Optional.of(new ExecutionIds.BuildReference(name, number)), ExecutionIds.decode(id));
    }

    @Provide
    Arbitrary<String> jobNames() {
        Arbitrary<String> segment = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30)
                .filter(s -> s.codePoints().noneMatch(c -> Character.isISOControl(c) || c >= 0xD800 && c <= 0xDFFF)
                        && !s.contains("/") && !s.isBlank());
        return segment.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("/", parts));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jenkins-", "12", "jenkins-!!!", "jenkins-Zm9sZGVyL2FwcCMxMg==",
            "Jenkins-Zm9sZGVyL2FwcCMxMg", "jenkins-Zm9sZGVyL2FwcA", /* no # */ "jenkins-Zm9sZGVyL2FwcCMw", /* #0 */
            "jenkins-Zm9sZGVyL2FwcCMtMQ", /* #-1 */ "jenkins-Zm9sZGVyL2FwcCMwMQ", /* #01 */
            "jenkins-Zm9sZGVyL2FwcCM5OTk5OTk5OTk5", /* beyond int */ "jenkins-I zE", "jenkins-_-8jMQ", /* bad UTF-8 */
            "jenkins-LyMx", /* "/#1" */ "jenkins-Zm9sZGVyL2FwcCMxMh", /* non-canonical last char */
            "jenkins-Zm9sZGVyL2FwcCMxMg/extra"})
    void garbageDecodesToNothing(String id) {
        assertEquals(Optional.empty(), ExecutionIds.decode(id));
    }

    @Test
    void nullAndOverlongIdsDecodeToNothing() {
        assertEquals(Optional.empty(), ExecutionIds.decode(null));
        assertEquals(Optional.empty(), ExecutionIds.decode("jenkins-" + "A".repeat(1500)));
    }

    @Test
    void encodeRefusesWhatCannotBeAnId() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutionIds.encode("app", 0)).getMessage()
                .startsWith("buildNumber 0 is below 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutionIds.encode(" ", 1)).getMessage()
                .startsWith("jobFullName ' ' is not a Jenkins job's full name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutionIds.encode("a\ud800b", 1))
                .getMessage().contains("is not a Jenkins job's full name"), "an unpaired surrogate cannot round-trip");
        String longName = "n".repeat(1200);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ExecutionIds.encode(longName, 1));
        assertTrue(tooLong.getMessage().contains("more than CodePipeline's limit of 1500"), tooLong.getMessage());
        String longest = "n".repeat(1113); // 1113 + "#1" = 1115 bytes -> 1487 base64 characters + 8
        assertTrue(ExecutionIds.encode(longest, 1).length() <= 1500);
    }
}
