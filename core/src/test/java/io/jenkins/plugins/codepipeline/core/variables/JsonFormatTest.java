package io.jenkins.plugins.codepipeline.core.variables;

import static io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFormatTest {

    private static final String SECRET = "s3cr3t-VALUE";

    private static LinkedHashMap<String, String> parse(String content) throws VariablesSourceException {
        return VariablesFileParser.parse("vars.json", content, JSON);
    }

    private static String error(String content) {
        String message = assertThrows(VariablesSourceException.class, () -> parse(content)).getMessage();
        assertFalse(message.contains("s3cr3t"), message);
        assertFalse(message.contains("VALUE"), message);
        assertFalse(message.contains("Source"), message);
        assertFalse(message.contains("\n") && !message.lines().allMatch(l -> l.startsWith("vars.json:")), message);
        return message;
    }

    @Test
    void happyPathKeepsOrder() throws Exception {
        String content = "{\n"
                + "  \"zeta\": \"z\",\n"
                + "  \"alpha\": \"a \\\"quoted\\\" \\u00e9 \\n\",\n"
                + "  \"M\": \"\",\n"
                + "  \"b\": \"${X}\"\n"
                + "}\n";
        LinkedHashMap<String, String> vars = parse(content);
        assertEquals(List.of("zeta", "alpha", "M", "b"), List.copyOf(vars.keySet()));
        assertEquals("a \"quoted\" \u00e9 \n", vars.get("alpha"));
        assertEquals("", vars.get("M"));
        assertEquals("${X}", vars.get("b"));
    }

    @Test
    void numbersKeepTheirLiteralTextAndBooleansBecomeText() throws Exception {
        LinkedHashMap<String, String> vars = parse("{\"a\": 1.50, \"b\": 42, \"c\": -0, \"d\": 1e5, \"e\": 2.5E-3,"
                + " \"f\": 12345678901234567890123, \"g\": true, \"h\": false, \"i\": 0.10}");
        assertEquals(Map.of("a", "1.50", "b", "42", "c", "-0", "d", "1e5", "e", "2.5E-3",
                "f", "12345678901234567890123", "g", "true", "h", "false", "i", "0.10"), vars);
    }

    @Test
    void emptyObject() throws Exception {
        assertEquals(Map.of(), parse("  {}  \n"));
    }

    @Test
    void nullObjectAndArrayValuesAreErrorsWithTheirLines() {
        String message = error("{\n"
                + "  \"A\": null,\n"
                + "  \"B\": {\"inner\": \"" + SECRET + "\"},\n"
                + "  \"C\": 1,\n"
                + "  \"D\":\n"
                + "    [\"" + SECRET + "\", {\"x\": [1]}]\n"
                + "}");
        assertEquals(List.of(
                "vars.json:2: value of \"A\" is null; output variables are flat strings",
                "vars.json:3: value of \"B\" is an object; output variables are flat strings",
                "vars.json:6: value of \"D\" is an array; output variables are flat strings"),
                message.lines().toList());
    }

    @Test
    void duplicateKeyNamesBothLines() {
        String message = error("{\"A\": \"1\",\n\"B\": 2,\n\"A\": \"" + SECRET + "\"}");
        assertEquals("vars.json:3: \"A\" is defined twice, on lines 1 and 3", message);
    }

    @Test
    void duplicateKeyWithTheSameValueIsStillAnError() {
        assertEquals("vars.json:2: \"A\" is defined twice, on lines 1 and 2", error("{\"A\": 1,\n \"A\": 1}"));
    }

    @Test
    void malformedJsonReportsTheLine() {
        String message = error("{\n  \"A\": \"1\",\n  \"B\": " + SECRET + "\n}");
        assertTrue(message.startsWith("vars.json:3: Unrecognized token"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void unrecognizedTokenTextIsNotShown() {
        // Jackson quotes the token ('s3cr3tVALUE'); that may be a value.
        String message = error("{\"A\": s3cr3tVALUE}");
        assertTrue(message.startsWith("vars.json:1: Unrecognized token"), message);
        assertTrue(message.contains("'null', 'true' or 'false'"), message);
    }

    @Test
    void missingCommaAndUnclosedString() {
        assertTrue(error("{\"A\": \"1\"\n\"B\": \"2\"}").startsWith("vars.json:2: Unexpected character"));
        assertEquals("vars.json:2: Unexpected end-of-input: was expecting closing quote for a string value",
                error("{\"A\": \"1\",\n\"B\": \"" + SECRET));
    }

    @Test
    void unclosedObjectWithoutSourceNoise() {
        assertEquals("vars.json:3: Unexpected end-of-input: expected close marker for Object",
                error("{\"A\": \"1\",\n\"B\": \"2\"\n"));
    }

    @Test
    void wrongCloseMarker() {
        assertEquals("vars.json:1: Unexpected close marker ']': expected '}'", error("{\"A\": \"1\"]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"a\"]", "\"" + SECRET + "\"", "42", "true", "null"})
    void topLevelMustBeAnObject(String content) {
        assertTrue(error(content).startsWith("vars.json:1: expected a JSON object at the top level, found "));
    }

    @Test
    void topLevelKindIsNamed() {
        assertEquals("vars.json:2: expected a JSON object at the top level, found an array", error("\n[1]"));
    }

    @Test
    void emptyFile() {
        assertEquals("vars.json:1: the file is empty; expected a JSON object", error("  \n"));
        assertEquals("vars.json:1: the file is empty; expected a JSON object", error(""));
    }

    @Test
    void trailingContent() {
        assertEquals("vars.json:2: unexpected content after the JSON object", error("{\"A\": \"1\"}\n{}"));
        assertEquals("vars.json:3: unexpected content after the JSON object", error("{\"A\": \"1\"}\n\n" + SECRET));
        assertEquals("vars.json:1: unexpected content after the JSON object", error("{} \"" + SECRET + "\""));
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertEquals(Map.of("A", "1"), parse("\uFEFF{\"A\": \"1\"}"));
    }
}
