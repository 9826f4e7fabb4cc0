package io.jenkins.plugins.codepipeline.core.variables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VariablesRoundTripPropertyTest {

    @Provide
    Arbitrary<Map<String, String>> variables() {
        Arbitrary<String> keys = Arbitraries.strings().withChars("ABCXYZabcxyz0189@-_").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> values = Arbitraries.strings().all().ofMaxLength(30);
        return Arbitraries.maps(keys, values).ofMaxSize(15);
    }

    @Property
    void propertiesStoreParsesBackEqual(@ForAll("variables") Map<String, String> variables) throws Exception {
        Properties properties = new Properties();
        properties.putAll(variables);
        StringWriter writer = new StringWriter();
        properties.store(writer, "comment with \\u0041 and \\uZZZZ");
        assertEquals(variables,
                VariablesFileParser.parse("x.properties", writer.toString(), VariablesFileFormat.AUTO));
    }

    @Property
    void jsonWithEscapingParsesBackEqualInOrder(@ForAll("variables") Map<String, String> variables) throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> entry : variables.entrySet()) {
            json.append(json.length() > 1 ? ",\n  " : "\n  ").append(quote(entry.getKey())).append(": ")
                    .append(quote(entry.getValue()));
        }
        json.append("\n}");
        LinkedHashMap<String, String> parsed =
                VariablesFileParser.parse("x.json", json.toString(), VariablesFileFormat.AUTO);
        assertEquals(variables, parsed);
        assertEquals(List.copyOf(variables.keySet()), List.copyOf(parsed.keySet()));
    }

    @Property
    void dotenvDoubleQuotedParsesBackEqualInOrder(@ForAll("variables") Map<String, String> variables)
            throws Exception {
        StringBuilder dotenv = new StringBuilder();
        for (Map.Entry<String, String> entry : variables.entrySet()) {
            String escaped = entry.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$")
                    .replace("\r", "\\r").replace("\n", "\\n");
            dotenv.append("export ").append(entry.getKey()).append("=\"").append(escaped).append("\" # c\n");
        }
        LinkedHashMap<String, String> parsed =
                VariablesFileParser.parse(".env", dotenv.toString(), VariablesFileFormat.AUTO);
        assertEquals(variables, parsed);
        assertEquals(List.copyOf(variables.keySet()), List.copyOf(parsed.keySet()));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
