package io.jenkins.plugins.codepipeline.core.variables;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads output variables from a file. The result keeps the order of the keys in the file. A UTF-8 byte order mark
 * at the start is ignored in every format. Error messages have the form {@code fileName:LINE: what is wrong}, one
 * line per problem, and never contain a value.
 *
 * <h2>properties</h2>
 * {@link Properties#load(java.io.Reader)} semantics: {@code =}, {@code :} or whitespace between key and value,
 * {@code #} and {@code !} comments, backslash escapes and continuation lines. A key defined twice keeps the last
 * value (at the position of its first definition). A malformed {@code \}{@code uXXXX} escape is reported with its
 * line.
 *
 * <h2>dotenv</h2>
 * One {@code KEY=VALUE} per line, optionally preceded by {@code export }. Blank lines and lines starting with
 * {@code #} are ignored; whitespace around the key and the {@code =} is dropped. Keys are made of letters, digits
 * and {@code @ - _ .}. The value is either
 * <ul>
 * <li>unquoted: the rest of the line, trimmed, up to an inline comment, which starts at whitespace followed by
 * {@code #} ({@code A=b#c} is {@code b#c}, {@code A=b #c} is {@code b});</li>
 * <li>single-quoted: taken literally, no escapes, on one line;</li>
 * <li>double-quoted: may span several lines up to the closing quote; {@code \n}, {@code \t}, {@code \r},
 * {@code \"}, {@code \\} and {@code \$} are escapes, any other backslash is kept as is.</li>
 * </ul>
 * After a closing quote only whitespace and an inline comment may follow. There is <b>no variable
 * interpolation</b>: {@code ${X}} and {@code $X} are kept literally in every kind of value. A key defined twice is
 * an error (it is almost always a mistake in a dotenv file).
 *
 * <h2>json</h2>
 * One flat JSON object. String values are taken as they are, numbers as their literal text ({@code 1.50} stays
 * {@code "1.50"}), booleans as {@code "true"}/{@code "false"}. {@code null}, objects, arrays and duplicate keys are
 * errors, as is anything after the object.
 */
public final class VariablesFileParser {

    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final Pattern DOTENV_KEY = Pattern.compile("[A-Za-z0-9@\\-_.]+");

    private VariablesFileParser() {
    }

    /**
     * Parses the content of a variables file.
     *
     * @param fileName the name shown in messages; with {@link VariablesFileFormat#AUTO} its extension picks the format
     * @param content the whole file content
     * @param format the format, or {@link VariablesFileFormat#AUTO}
     * @return the variables in file order
     * @throws VariablesSourceException if the format cannot be told or the content is invalid
     */
    public static LinkedHashMap<String, String> parse(String fileName, String content, VariablesFileFormat format)
            throws VariablesSourceException {
        VariablesFileFormat resolved = (format == null ? VariablesFileFormat.AUTO : format).resolve(fileName);
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        switch (resolved) {
            case PROPERTIES:
                return parseProperties(fileName, text);
            case DOTENV:
                return parseDotenv(fileName, text);
            case JSON:
                return parseJson(fileName, text);
            default:
                throw new AssertionError(resolved);
        }
    }

    /**
     * Reads a variables file as UTF-8 and parses it; with {@link VariablesFileFormat#AUTO} the file name's extension
     * picks the format. Messages name the file as {@code file.toString()}.
     *
     * @throws VariablesSourceException if the file is missing, unreadable, not UTF-8 or invalid
     */
    public static LinkedHashMap<String, String> read(Path file, VariablesFileFormat format)
            throws VariablesSourceException {
        String fileName = file.toString();
        VariablesFileFormat resolved = (format == null ? VariablesFileFormat.AUTO : format).resolve(fileName);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new VariablesSourceException("variables file " + fileName + " does not exist");
        } catch (CharacterCodingException e) {
            throw new VariablesSourceException("variables file " + fileName + " is not valid UTF-8");
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : e.getClass().getSimpleName();
            throw new VariablesSourceException("cannot read variables file " + fileName + ": " + reason);
        }
        return parse(fileName, content, resolved);
    }

    // ---------------------------------------------------------------------------------------------- properties

    /** Records the order in which {@link Properties#load} puts the entries. */
    private static final class OrderedProperties extends Properties {
        private static final long serialVersionUID = 1L;
        private final transient LinkedHashMap<String, String> entries = new LinkedHashMap<>();

        @Override
        public synchronized Object put(Object key, Object value) {
            entries.put((String) key, (String) value);
            return super.put(key, value);
        }
    }

    private static LinkedHashMap<String, String> parseProperties(String fileName, String content)
            throws VariablesSourceException {
        OrderedProperties properties = new OrderedProperties();
        try {
            properties.load(new StringReader(content));
        } catch (IllegalArgumentException e) {
            // Properties only says "Malformed \\uxxxx encoding.", without a line.
            int line = lineOfMalformedUnicodeEscape(content);
            throw new VariablesSourceException(fileName + (line > 0 ? ":" + line : "") + ": malformed \\uXXXX escape");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return properties.entries;
    }

    /**
     * The 1-based line of the first malformed {@code \}{@code uXXXX} escape, following the logical lines of
     * {@code java.util.Properties.LineReader} (comments, continuation lines); 0 if none is found.
     */
    static int lineOfMalformedUnicodeEscape(String content) {
        int n = content.length();
        int pos = 0;
        int line = 1;
        StringBuilder logical = new StringBuilder();
        List<Integer> charLines = new ArrayList<>();
        while (pos < n) {
            // start of a logical line: skip whitespace and blank lines
            char c = content.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
                continue;
            }
            if (c == '\n' || c == '\r') {
                pos = skipLineBreak(content, pos);
                line++;
                continue;
            }
            if (c == '#' || c == '!') {
                while (pos < n && content.charAt(pos) != '\n' && content.charAt(pos) != '\r') {
                    pos++;
                }
                continue;
            }
            logical.setLength(0);
            charLines.clear();
            while (true) {
                boolean precedingBackslash = false;
                while (pos < n && content.charAt(pos) != '\n' && content.charAt(pos) != '\r') {
                    char d = content.charAt(pos++);
                    logical.append(d);
                    charLines.add(line);
                    precedingBackslash = d == '\\' && !precedingBackslash;
                }
                if (!precedingBackslash) {
                    break;
                }
                // continuation: drop the backslash, go to the next line and skip its leading whitespace
                logical.setLength(logical.length() - 1);
                charLines.remove(charLines.size() - 1);
                if (pos >= n) {
                    break;
                }
                pos = skipLineBreak(content, pos);
                line++;
                while (pos < n && (content.charAt(pos) == ' ' || content.charAt(pos) == '\t'
                        || content.charAt(pos) == '\f')) {
                    pos++;
                }
            }
            for (int i = 0; i < logical.length(); i++) {
                if (logical.charAt(i) != '\\' || i + 1 >= logical.length()) {
                    continue;
                }
                if (logical.charAt(i + 1) == 'u') {
                    if (i + 6 > logical.length()) {
                        return charLines.get(i);
                    }
                    for (int k = i + 2; k < i + 6; k++) {
                        if (Character.digit(logical.charAt(k), 16) < 0 || logical.charAt(k) > 'f') {
                            return charLines.get(i);
                        }
                    }
                }
                i++; // skip the escaped character
            }
        }
        return 0;
    }

    private static int skipLineBreak(String content, int pos) {
        if (content.charAt(pos) == '\r' && pos + 1 < content.length() && content.charAt(pos + 1) == '\n') {
            return pos + 2;
        }
        return pos + 1;
    }

    // ------------------------------------------------------------------------------------------------- dotenv

    private static LinkedHashMap<String, String> parseDotenv(String fileName, String content)
            throws VariablesSourceException {
        String text = content.replace("\r\n", "\n").replace('\r', '\n');
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new HashMap<>();
        List<String> errors = new ArrayList<>();
        int n = text.length();
        int pos = 0;
        int line = 1;
        while (pos < n) {
            int eol = indexOfOrEnd(text, '\n', pos);
            int lineNo = line;
            int nextPos = eol + 1;
            int nextLine = line + 1;
            try {
                int i = skipBlanks(text, pos, eol);
                if (i == eol || text.charAt(i) == '#') {
                    continue;
                }
                if (text.startsWith("export", i) && i + 6 < eol && isBlank(text.charAt(i + 6))) {
                    i = skipBlanks(text, i + 6, eol);
                }
                int eq = text.indexOf('=', i);
                if (eq < 0 || eq > eol) {
                    errors.add(fileName + ":" + lineNo + ": expected KEY=VALUE but the line has no \"=\"");
                    continue;
                }
                String key = text.substring(i, eq).strip();
                if (key.isEmpty()) {
                    errors.add(fileName + ":" + lineNo + ": empty key before \"=\"");
                    continue;
                }
                if (!DOTENV_KEY.matcher(key).matches()) {
                    // The text is not shown: a line that is not a valid key may well be part of a value.
                    errors.add(fileName + ":" + lineNo
                            + ": invalid key; keys may only contain letters, digits and @ - _ .");
                    continue;
                }
                int v = skipBlanks(text, eq + 1, eol);
                String value;
                int closingQuote;
                if (v < eol && text.charAt(v) == '\'') {
                    closingQuote = text.indexOf('\'', v + 1);
                    if (closingQuote < 0 || closingQuote > eol) {
                        errors.add(fileName + ":" + lineNo + ": unterminated single-quoted value of \"" + key
                                + "\" (single-quoted values cannot span lines)");
                        continue;
                    }
                    value = text.substring(v + 1, closingQuote);
                } else if (v < eol && text.charAt(v) == '"') {
                    StringBuilder sb = new StringBuilder();
                    closingQuote = -1;
                    int newlines = 0;
                    for (int k = v + 1; k < n; k++) {
                        char c = text.charAt(k);
                        if (c == '"') {
                            closingQuote = k;
                            break;
                        }
                        if (c == '\\' && k + 1 < n) {
                            char e = text.charAt(k + 1);
                            String unescaped = e == 'n' ? "\n" : e == 't' ? "\t" : e == 'r' ? "\r"
                                    : e == '"' ? "\"" : e == '\\' ? "\\" : e == '$' ? "$" : null;
                            if (unescaped != null) {
                                sb.append(unescaped);
                                k++;
                                continue;
                            }
                        }
                        if (c == '\n') {
                            newlines++;
                        }
                        sb.append(c);
                    }
                    if (closingQuote < 0) {
                        errors.add(fileName + ":" + lineNo + ": unterminated double-quoted value of \"" + key
                                + "\" (the quote opened on this line is never closed)");
                        nextPos = n;
                        continue;
                    }
                    value = sb.toString();
                    line += newlines;
                    nextLine = line + 1;
                    eol = indexOfOrEnd(text, '\n', closingQuote);
                    nextPos = eol + 1;
                } else {
                    String raw = text.substring(eq + 1, eol);
                    Matcher comment = INLINE_COMMENT.matcher(raw);
                    value = (comment.find() ? raw.substring(0, comment.start()) : raw).strip();
                    closingQuote = -1;
                }
                if (closingQuote >= 0) {
                    String after = text.substring(closingQuote + 1, eol);
                    if (!after.isBlank() && !INLINE_COMMENT.matcher(after).lookingAt()) {
                        errors.add(fileName + ":" + line + ": unexpected text after the closing quote of the value of \""
                                + key + "\"; only whitespace or a \" #\" comment may follow");
                        continue;
                    }
                }
                Integer previous = keyLines.putIfAbsent(key, lineNo);
                if (previous != null) {
                    errors.add(fileName + ":" + lineNo + ": \"" + key + "\" is defined twice, on lines " + previous
                            + " and " + lineNo);
                    continue;
                }
                result.put(key, value);
            } finally {
                pos = nextPos;
                line = nextLine;
            }
        }
        if (!errors.isEmpty()) {
            throw new VariablesSourceException(String.join("\n", errors));
        }
        return result;
    }

    /** Whitespace then {@code #}: the start of an inline comment (or, with lookingAt, blank space then a comment). */
    private static final Pattern INLINE_COMMENT = Pattern.compile("[ \\t]+#");

    private static int indexOfOrEnd(String text, char c, int from) {
        int i = text.indexOf(c, from);
        return i < 0 ? text.length() : i;
    }

    private static int skipBlanks(String text, int from, int end) {
        int i = from;
        while (i < end && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000B';
    }

    // --------------------------------------------------------------------------------------------------- json

    private static LinkedHashMap<String, String> parseJson(String fileName, String content)
            throws VariablesSourceException {
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new HashMap<>();
        List<String> errors = new ArrayList<>();
        boolean afterObject = false;
        try (JsonParser parser = JSON_FACTORY.createParser(content)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new VariablesSourceException(fileName + ":1: the file is empty; expected a JSON object");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new VariablesSourceException(fileName + ":" + line(parser.currentTokenLocation())
                        + ": expected a JSON object at the top level, found " + describe(token));
            }
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                if (token != JsonToken.FIELD_NAME) { // Jackson reports an unclosed object itself; be safe
                    errors.add(fileName + ":" + line(parser.currentLocation()) + ": the JSON object is not closed");
                    break;
                }
                String key = parser.currentName();
                int keyLine = line(parser.currentTokenLocation());
                token = parser.nextToken();
                int valueLine = line(parser.currentTokenLocation());
                String value = null;
                switch (token) {
                    case VALUE_STRING:
                    case VALUE_NUMBER_INT:
                    case VALUE_NUMBER_FLOAT:
                    case VALUE_TRUE:
                    case VALUE_FALSE:
                        value = parser.getText();
                        break;
                    default:
                        parser.skipChildren(); // a no-op unless an object or an array starts here
                        errors.add(fileName + ":" + valueLine + ": value of \"" + key + "\" is " + describe(token)
                                + "; output variables are flat strings");
                }
                Integer previous = keyLines.putIfAbsent(key, keyLine);
                if (previous != null) {
                    errors.add(fileName + ":" + keyLine + ": \"" + key + "\" is defined twice, on lines " + previous
                            + " and " + keyLine);
                } else if (value != null) {
                    result.put(key, value);
                }
            }
            afterObject = true;
            token = parser.nextToken();
            if (token != null) {
                errors.add(fileName + ":" + line(parser.currentTokenLocation())
                        + ": unexpected content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            errors.add(fileName + ":" + line(e.getLocation()) + ": "
                    + (afterObject ? "unexpected content after the JSON object" : shortReason(e)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does not fail
        }
        if (!errors.isEmpty()) {
            throw new VariablesSourceException(String.join("\n", errors));
        }
        return result;
    }

    private static int line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? 1 : location.getLineNr();
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_NULL:
                return "null";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            default:
                return String.valueOf(token.asString());
        }
    }

    private static final Pattern SOURCE_REFERENCE = Pattern.compile(
            "\\s*\\([^()\\[]*\\[Source:.*?; line: -?\\d+, column: -?\\d+\\]\\)");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Set<String> SAFE_QUOTED = Set.of("null", "true", "false", "NaN", "+INF", "-INF",
            "Infinity", "+Infinity", "-Infinity");

    /**
     * Jackson's message, first line only, without source references, and with quoted file text longer than one
     * character left out: it may be (part of) a value.
     */
    static String shortReason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null || message.isBlank()) {
            return "malformed JSON";
        }
        message = message.lines().findFirst().orElse("").strip();
        message = SOURCE_REFERENCE.matcher(message).replaceAll("");
        int source = message.indexOf("[Source:");
        if (source >= 0) { // a reference of a shape not foreseen above
            message = message.substring(0, source).strip();
        }
        Matcher quoted = QUOTED.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (quoted.find()) {
            String text = quoted.group(1);
            quoted.appendReplacement(sb, Matcher.quoteReplacement(
                    text.length() <= 1 || SAFE_QUOTED.contains(text) ? quoted.group() : "(text not shown)"));
        }
        quoted.appendTail(sb);
        return sb.toString();
    }
}
