package io.jenkins.plugins.codepipeline.core.variables;

import static io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat.PROPERTIES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertiesFormatTest {

    private static LinkedHashMap<String, String> parse(String content) throws VariablesSourceException {
        return VariablesFileParser.parse("vars.properties", content, PROPERTIES);
    }

    private static String error(String content) {
        return assertThrows(VariablesSourceException.class, () -> parse(content)).getMessage();
    }

    @Test
    void keepsFileOrder() throws Exception {
        // More keys than a hash order would keep in order by chance.
        StringBuilder content = new StringBuilder();
        List<String> keys = List.of("zeta", "alpha", "MIDDLE", "b", "a", "Z_9", "x.y", "0", "yy", "c-d", "k@e");
        for (String key : keys) {
            content.append(key).append('=').append(key.length()).append('\n');
        }
        assertEquals(keys, List.copyOf(parse(content.toString()).keySet()));
    }

    @Test
    void separatorsCommentsAndBlankLines() throws Exception {
        String content = "# a comment\n"
                + "! another comment\n"
                + "\n"
                + "   \n"
                + "A=1\n"
                + "B:2\n"
                + "C 3\n"
                + "  D  =  four  \n"
                + "E\t:\tfive\n"
                + "F=\n"
                + "G\n"
                + "H=a=b:c\n"
                + "I=#not a comment\n";
        assertEquals(Map.of("A", "1", "B", "2", "C", "3", "D", "four  ", "E", "five", "F", "", "G", "",
                "H", "a=b:c", "I", "#not a comment"), parse(content));
    }

    @Test
    void escapesAndUnicode() throws Exception {
        String content = "tab=a\\tb\n"
                + "nl=a\\nb\n"
                + "uni=caf\\u00e9\n"
                + "key\\ with\\ spaces=v\n"
                + "key\\:colon=v2\n"
                + "key\\=eq=v3\n"
                + "backslash=C:\\\\dir\n"
                + "other=\\q\n"
                + "direct=caf\u00e9 \u2603\n";
        LinkedHashMap<String, String> vars = parse(content);
        assertEquals("a\tb", vars.get("tab"));
        assertEquals("a\nb", vars.get("nl"));
        assertEquals("caf\u00e9", vars.get("uni"));
        assertEquals("v", vars.get("key with spaces"));
        assertEquals("v2", vars.get("key:colon"));
        assertEquals("v3", vars.get("key=eq"));
        assertEquals("C:\\dir", vars.get("backslash"));
        assertEquals("q", vars.get("other"));
        assertEquals("caf\u00e9 \u2603", vars.get("direct"));
    }

    @Test
    void continuationLines() throws Exception {
        String content = "list=one, \\\n"
                + "      two, \\\n"
                + "\tthree\n"
                + "after=x\n"
                + "notContinued=ends with escaped backslash \\\\\n"
                + "next=y\r\n"
                + "crlf=a\\\r\n"
                + "  b\r\n";
        LinkedHashMap<String, String> vars = parse(content);
        assertEquals("one, two, three", vars.get("list"));
        assertEquals("x", vars.get("after"));
        assertEquals("ends with escaped backslash \\", vars.get("notContinued"));
        assertEquals("y", vars.get("next"));
        assertEquals("ab", vars.get("crlf"));
        assertEquals(List.of("list", "after", "notContinued", "next", "crlf"), List.copyOf(vars.keySet()));
    }

    @Test
    void keyDefinedTwiceLastValueWinsAtFirstPosition() throws Exception {
        LinkedHashMap<String, String> vars = parse("A=1\nB=2\nA=3\n");
        assertEquals(List.of("A", "B"), List.copyOf(vars.keySet()));
        assertEquals("3", vars.get("A"));
    }

    @Test
    void malformedUnicodeEscapeReportsItsLine() {
        assertEquals("vars.properties:3: malformed \\uXXXX escape", error("A=1\nB=2\nC=s3cr3t-VALUE\\u12G4\nD=4\n"));
    }

    @Test
    void malformedUnicodeEscapeAtEndOfFile() {
        assertEquals("vars.properties:2: malformed \\uXXXX escape", error("A=1\nB=\\u12"));
    }

    @Test
    void malformedUnicodeEscapeLineCountsContinuationsAndComments() {
        String content = "# \\uZZZZ in a comment is ignored\n"
                + "A=one \\\n"
                + "  two \\\n"
                + "  \\u00e9 fine \\\\u not an escape \\\n"
                + "  s3cr3t-VALUE\\uXYZW\n"
                + "B=\\u0041\n";
        String message = error(content);
        assertEquals("vars.properties:5: malformed \\uXXXX escape", message);
        assertFalse(message.contains("s3cr3t"));
    }

    @Test
    void malformedUnicodeEscapeInKeyAndCrLineEndings() {
        assertEquals("vars.properties:3: malformed \\uXXXX escape", error("A=1\r\rK\\u00=v\r"));
    }

    @Test
    void locatorFindsNothingInValidContent() {
        assertEquals(0, VariablesFileParser.lineOfMalformedUnicodeEscape("A=\\u0041\n# \\uQQQQ\n! \\u\nB=\\\\u"));
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertEquals(List.of("A", "B"), List.copyOf(parse("\uFEFFA=1\nB=2\n").keySet()));
    }

    @Test
    void emptyFileGivesNoVariables() throws Exception {
        assertEquals(Map.of(), parse(""));
        assertEquals(Map.of(), parse("# only a comment\n"));
    }
}
