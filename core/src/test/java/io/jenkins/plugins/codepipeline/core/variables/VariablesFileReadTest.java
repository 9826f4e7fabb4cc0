package io.jenkins.plugins.codepipeline.core.variables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariablesFileReadTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(VariablesFileReadTest.class.getResource("/variables/" + name).toURI());
    }

    @Test
    void readsEachFormatByExtension() throws Exception {
        Map<String, String> env = VariablesFileParser.read(fixture("outputs.env"), VariablesFileFormat.AUTO);
        assertEquals(List.of("IMAGE_TAG", "COMMIT"), List.copyOf(env.keySet()));
        assertEquals(Map.of("IMAGE_TAG", "1.2.3", "COMMIT", "abc\ndef"), env);

        Map<String, String> properties = VariablesFileParser.read(fixture("outputs.properties"),
                VariablesFileFormat.AUTO);
        assertEquals(List.of("IMAGE_TAG", "REGION"), List.copyOf(properties.keySet()));
        assertEquals("eu-west-1", properties.get("REGION"));

        Map<String, String> json = VariablesFileParser.read(fixture("outputs.json"), VariablesFileFormat.AUTO);
        assertEquals(List.of("IMAGE_TAG", "BUILD_NUMBER"), List.copyOf(json.keySet()));
        assertEquals("42", json.get("BUILD_NUMBER"));
    }

    @Test
    void readsUtf8AndStripsTheBom() throws Exception {
        Path file = dir.resolve("vars.properties");
        Files.write(file, "\uFEFFA=caf\u00e9\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("A", "caf\u00e9"), VariablesFileParser.read(file, VariablesFileFormat.AUTO));
    }

    @Test
    void explicitFormatOverridesTheExtension() throws Exception {
        Path file = dir.resolve("vars.txt");
        Files.writeString(file, "export A=1\n");
        assertEquals(Map.of("A", "1"), VariablesFileParser.read(file, VariablesFileFormat.DOTENV));
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> VariablesFileParser.read(file, VariablesFileFormat.AUTO));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void errorsNameThePath() {
        Path file = dir.resolve("sub").resolve("vars.env");
        VariablesSourceException e = assertThrows(VariablesSourceException.class, () -> {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "A=1\nbroken\n");
            VariablesFileParser.read(file, VariablesFileFormat.AUTO);
        });
        assertEquals(file + ":2: expected KEY=VALUE but the line has no \"=\"", e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("missing.env");
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> VariablesFileParser.read(file, VariablesFileFormat.AUTO));
        assertEquals("variables file " + file + " does not exist", e.getMessage());
    }

    @Test
    void directory() throws Exception {
        Path file = Files.createDirectory(dir.resolve("vars.json"));
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> VariablesFileParser.read(file, VariablesFileFormat.AUTO));
        assertEquals("cannot read variables file " + file + ": it is a directory", e.getMessage());
    }

    @Test
    void notUtf8() throws Exception {
        Path file = dir.resolve("vars.env");
        Files.write(file, new byte[] {'A', '=', (byte) 0xE9, '\n'});
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> VariablesFileParser.read(file, VariablesFileFormat.AUTO));
        assertEquals("variables file " + file + " is not valid UTF-8", e.getMessage());
    }
}
