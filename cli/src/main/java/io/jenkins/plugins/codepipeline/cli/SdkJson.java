package io.jenkins.plugins.codepipeline.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/** An SDK model object as the JSON the service speaks (member names as on the wire), pretty-printed. */
final class SdkJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private SdkJson() {
    }

    static String toJson(SdkPojo pojo) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            write(json, pojo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof SdkPojo pojo) {
            json.writeStartObject();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object member = field.getValueOrDefault(pojo);
                if (member == null || isAutoConstruct(member)) {
                    continue;
                }
                json.writeFieldName(field.locationName());
                write(json, member);
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                write(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            json.writeNumber(new BigDecimal(n.toString()));
        } else if (value instanceof Instant instant) {
            json.writeNumber(BigDecimal.valueOf(instant.toEpochMilli(), 3));
        } else if (value instanceof SdkBytes bytes) {
            json.writeBinary(bytes.asByteArray());
        } else {
            json.writeString(value.toString());
        }
    }

    /** The SDK's placeholder for a list or map the answer did not have. */
    private static boolean isAutoConstruct(Object member) {
        return member instanceof software.amazon.awssdk.core.util.SdkAutoConstructList
                || member instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap;
    }
}
