package io.jenkins.plugins.codepipeline.core.variables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VariablesFileFormatTest {

    @ParameterizedTest
    @CsvSource({
        "auto, AUTO", "AUTO, AUTO", "properties, PROPERTIES", "Properties, PROPERTIES",
        "dotenv, DOTENV", "DotEnv, DOTENV", "json, JSON", "JSON, JSON"
    })
    void fromNameIsCaseInsensitive(String name, VariablesFileFormat expected) {
        assertEquals(expected, VariablesFileFormat.fromName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yaml", "env", "", "prop"})
    void fromNameRejectsOthersListingTheAllowedValues(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VariablesFileFormat.fromName(name));
        assertTrue(e.getMessage().contains("auto, properties, dotenv, json"), e.getMessage());
    }

    @Test
    void fromNameRejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> VariablesFileFormat.fromName(null));
    }

    @ParameterizedTest
    @CsvSource({
        "out.properties, PROPERTIES",
        "build/out.PROPERTIES, PROPERTIES",
        "outputs.env, DOTENV",
        ".env, DOTENV",
        "build/.env, DOTENV",
        "C:\\work\\vars.env, DOTENV",
        "vars.json, JSON",
        "dir.properties/vars.json, JSON"
    })
    void autoResolvesByExtension(String fileName, VariablesFileFormat expected) throws Exception {
        assertEquals(expected, VariablesFileFormat.AUTO.resolve(fileName));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vars.txt", "vars", ".env.local", "vars.yaml", "dir.env/vars", "envfile"})
    void autoRejectsUnknownExtensions(String fileName) {
        VariablesSourceException e = assertThrows(VariablesSourceException.class,
                () -> VariablesFileFormat.AUTO.resolve(fileName));
        assertTrue(e.getMessage().contains(fileName), e.getMessage());
        assertTrue(e.getMessage().contains("set the format explicitly"), e.getMessage());
        assertTrue(e.getMessage().contains("properties, dotenv, json"), e.getMessage());
    }

    @Test
    void explicitFormatsIgnoreTheName() throws Exception {
        assertEquals(VariablesFileFormat.JSON, VariablesFileFormat.JSON.resolve("vars.txt"));
        assertEquals(VariablesFileFormat.DOTENV, VariablesFileFormat.DOTENV.resolve("vars.json"));
        assertEquals(VariablesFileFormat.PROPERTIES, VariablesFileFormat.PROPERTIES.resolve(null));
    }

    @Test
    void explicitFormatOverridesTheExtensionWhenParsing() throws Exception {
        // Parsed as properties or dotenv whatever the name says; with AUTO the .json name would make it JSON.
        String content = "A==b\n";
        assertEquals("=b", VariablesFileParser.parse("x.json", content, VariablesFileFormat.PROPERTIES).get("A"));
        assertEquals("=b", VariablesFileParser.parse("x.json", content, VariablesFileFormat.DOTENV).get("A"));
        assertThrows(VariablesSourceException.class,
                () -> VariablesFileParser.parse("x.json", content, VariablesFileFormat.AUTO));
        assertEquals("1", VariablesFileParser.parse("vars.txt", "{\"A\": 1}", VariablesFileFormat.JSON).get("A"));
    }
}
