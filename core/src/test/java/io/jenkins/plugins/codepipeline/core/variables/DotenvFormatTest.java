package io.jenkins.plugins.codepipeline.core.variables;

import static io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat.DOTENV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotenvFormatTest {

    private static final String SECRET = "s3cr3t-VALUE";

    private static LinkedHashMap<String, String> parse(String content) throws VariablesSourceException {
        return VariablesFileParser.parse("build/outputs.env", content, DOTENV);
    }

    /** The message of the expected error; it never contains the secret. */
    private static String error(String content) {
        String message = assertThrows(VariablesSourceException.class, () -> parse(content)).getMessage();
        assertFalse(message.contains(SECRET), message);
        assertFalse(message.contains("s3cr3t"), message);
        return message;
    }

    @Test
    void happyPathKeepsOrder() throws Exception {
        String content = "# comment\n"
                + "\n"
                + "ZETA=1\n"
                + "export ALPHA=2\n"
                + "  MIDDLE  =  three  \n"
                + "b.c-d@e_f=4\n"
                + "EMPTY=\n"
                + "\t# indented comment\n"
                + "0=zero\n";
        LinkedHashMap<String, String> vars = parse(content);
        assertEquals(List.of("ZETA", "ALPHA", "MIDDLE", "b.c-d@e_f", "EMPTY", "0"), List.copyOf(vars.keySet()));
        assertEquals(Map.of("ZETA", "1", "ALPHA", "2", "MIDDLE", "three", "b.c-d@e_f", "4", "EMPTY", "", "0", "zero"),
                vars);
    }

    @Test
    void exportPrefix() throws Exception {
        LinkedHashMap<String, String> vars = parse("export A=1\nexport\tB = 2\nexport=3\nexported=4\n");
        assertEquals(Map.of("A", "1", "B", "2", "export", "3", "exported", "4"), vars);
    }

    @Test
    void unquotedValues() throws Exception {
        LinkedHashMap<String, String> vars = parse("A=b#c\nB=b #c\nC=b\t# c\nD= #only a comment\nE=a=b=c\n"
                + "F=x  y\nG=it's\nH=say \"hi\"\nI=${HOME}/x $USER\n");
        assertEquals("b#c", vars.get("A"));
        assertEquals("b", vars.get("B"));
        assertEquals("b", vars.get("C"));
        assertEquals("", vars.get("D"));
        assertEquals("a=b=c", vars.get("E"));
        assertEquals("x  y", vars.get("F"));
        assertEquals("it's", vars.get("G"));
        assertEquals("say \"hi\"", vars.get("H"));
        assertEquals("${HOME}/x $USER", vars.get("I"), "no interpolation");
    }

    @Test
    void singleQuotedValuesAreLiteral() throws Exception {
        LinkedHashMap<String, String> vars = parse("A='  a \\n b \\\\ ${X} \"q\" # kept  '\nB=''\nC='x' # comment\n");
        assertEquals("  a \\n b \\\\ ${X} \"q\" # kept  ", vars.get("A"));
        assertEquals("", vars.get("B"));
        assertEquals("x", vars.get("C"));
    }

    @Test
    void doubleQuotedValuesUnescape() throws Exception {
        LinkedHashMap<String, String> vars = parse("A=\"a\\nb\\tc\\rd\\\"e\\\\f\\$g\"\n"
                + "B=\"  spaced # not a comment  \"\n"
                + "C=\"${X} $Y\"\n"
                + "D=\"C:\\Users\\me\"\n"
                + "E=\"\" # empty\n"
                + "F = \"x\"\t\n");
        assertEquals("a\nb\tc\rd\"e\\f$g", vars.get("A"));
        assertEquals("  spaced # not a comment  ", vars.get("B"));
        assertEquals("${X} $Y", vars.get("C"));
        assertEquals("C:\\Users\\me", vars.get("D"), "other backslashes are kept");
        assertEquals("", vars.get("E"));
        assertEquals("x", vars.get("F"));
    }

    @Test
    void doubleQuotedValuesSpanLines() throws Exception {
        String content = "A=1\n"
                + "CERT=\"-----BEGIN-----\n"
                + "line two\n"
                + "\n"
                + "# not a comment\n"
                + "B=not a key\n"
                + "-----END-----\" # comment\n"
                + "C=3\n";
        LinkedHashMap<String, String> vars = parse(content);
        assertEquals(List.of("A", "CERT", "C"), List.copyOf(vars.keySet()));
        assertEquals("-----BEGIN-----\nline two\n\n# not a comment\nB=not a key\n-----END-----", vars.get("CERT"));
        assertEquals("3", vars.get("C"));
    }

    @Test
    void crlfLineEndings() throws Exception {
        LinkedHashMap<String, String> vars = parse("A=1\r\nB=\"x\r\ny\"\r\nC='z'\r\n");
        assertEquals(Map.of("A", "1", "B", "x\ny", "C", "z"), vars);
    }

    @Test
    void lineNumbersAfterAMultiLineValue() {
        String message = error("A=\"one\ntwo\nthree\"\nB=1\nnot a definition\n");
        assertEquals("build/outputs.env:5: expected KEY=VALUE but the line has no \"=\"", message);
    }

    @Test
    void lineWithoutEquals() {
        String message = error("A=1\n" + SECRET + "\n");
        assertEquals("build/outputs.env:2: expected KEY=VALUE but the line has no \"=\"", message);
    }

    @Test
    void emptyKey() {
        assertEquals("build/outputs.env:1: empty key before \"=\"", error("  = " + SECRET + "\n"));
        assertEquals("build/outputs.env:1: empty key before \"=\"", error("export =x\n"));
    }

    @Test
    void invalidKey() {
        String message = error("A=1\nMY KEY=" + SECRET + "\nK$=x\n");
        assertEquals("build/outputs.env:2: invalid key; keys may only contain letters, digits and @ - _ .\n"
                + "build/outputs.env:3: invalid key; keys may only contain letters, digits and @ - _ .", message);
    }

    @Test
    void unterminatedDoubleQuoteReportsTheOpeningLine() {
        String message = error("A=1\nB=\"" + SECRET + "\nmore\nC=3\n");
        assertEquals("build/outputs.env:2: unterminated double-quoted value of \"B\""
                + " (the quote opened on this line is never closed)", message);
    }

    @Test
    void escapedQuoteDoesNotClose() {
        String message = error("B=\"" + SECRET + "\\\"\n");
        assertEquals("build/outputs.env:1: unterminated double-quoted value of \"B\""
                + " (the quote opened on this line is never closed)", message);
    }

    @Test
    void unterminatedSingleQuote() {
        String message = error("A='" + SECRET + "\nB='x'\n");
        assertEquals("build/outputs.env:1: unterminated single-quoted value of \"A\""
                + " (single-quoted values cannot span lines)", message);
    }

    @Test
    void garbageAfterClosingQuote() {
        assertEquals("build/outputs.env:1: unexpected text after the closing quote of the value of \"A\";"
                + " only whitespace or a \" #\" comment may follow", error("A=\"" + SECRET + "\"x\n"));
        assertEquals("build/outputs.env:2: unexpected text after the closing quote of the value of \"B\";"
                + " only whitespace or a \" #\" comment may follow", error("A=1\nB='" + SECRET + "' more\n"));
        assertEquals("build/outputs.env:2: unexpected text after the closing quote of the value of \"C\";"
                + " only whitespace or a \" #\" comment may follow", error("C=\"" + SECRET + "\n\"#x\n"));
    }

    @Test
    void duplicateKeyNamesBothLines() {
        String message = error("A=1\nB=2\nexport A=" + SECRET + "\n");
        assertEquals("build/outputs.env:3: \"A\" is defined twice, on lines 1 and 3", message);
    }

    @Test
    void duplicateKeyWithTheSameValueIsStillAnError() {
        error("A=1\nA=1\n");
    }

    @Test
    void allErrorsAreReported() {
        String message = error("nothing\nA=1\n=2\nA='x\n");
        assertEquals(List.of(
                "build/outputs.env:1: expected KEY=VALUE but the line has no \"=\"",
                "build/outputs.env:3: empty key before \"=\"",
                "build/outputs.env:4: unterminated single-quoted value of \"A\" (single-quoted values cannot span lines)"),
                message.lines().toList());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertEquals(Map.of("A", "1"), parse("\uFEFFA=1\n"));
        assertEquals(Map.of("A", "1"), VariablesFileParser.parse(".env", "\uFEFFexport A=1", VariablesFileFormat.AUTO));
    }

    @Test
    void noTrailingNewlineAndEmptyFile() throws Exception {
        assertEquals(Map.of("A", "1"), parse("A=1"));
        assertEquals(Map.of("A", "x"), parse("A=\"x\""));
        assertEquals(Map.of(), parse(""));
        assertEquals(Map.of(), parse("\n\n# c\n"));
    }
}
