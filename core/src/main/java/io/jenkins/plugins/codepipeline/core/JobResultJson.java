package io.jenkins.plugins.codepipeline.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON body a result is sent as (AWS JSON 1.1, as the SDK writes it: members left out when unset, timestamps as
 * epoch seconds), for dry runs and tests.
 */
public final class JobResultJson {
    private static final JsonFactory JSON = new JsonFactory();

    private JobResultJson() {
    }

    public static String toJson(JobResult result, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            json.writeStartObject();
            json.writeStringField("jobId", result.jobId());
            if (result instanceof SuccessResult success) {
                writeSuccess(json, success);
            } else {
                FailureResult failure = (FailureResult) result;
                json.writeObjectFieldStart("failureDetails");
                json.writeStringField("type", failure.type() == null ? null : failure.type().awsName());
                json.writeStringField("message", failure.message());
                optional(json, "externalExecutionId", failure.externalExecutionId());
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeSuccess(JsonGenerator json, SuccessResult success) throws IOException {
        CurrentRevision revision = success.currentRevision();
        if (revision != null) {
            json.writeObjectFieldStart("currentRevision");
            optional(json, "revision", revision.revision());
            optional(json, "changeIdentifier", revision.changeIdentifier());
            if (revision.created() != null) {
                json.writeFieldName("created");
                json.writeNumber(epochSeconds(revision.created()).toPlainString());
            }
            optional(json, "revisionSummary", revision.revisionSummary());
            json.writeEndObject();
        }
        optional(json, "continuationToken", success.continuationToken());
        ExecutionDetails details = success.executionDetails();
        if (details != null && !details.isEmpty()) {
            json.writeObjectFieldStart("executionDetails");
            optional(json, "summary", details.summary());
            optional(json, "externalExecutionId", details.externalExecutionId());
            if (details.percentComplete() != null) {
                json.writeNumberField("percentComplete", details.percentComplete());
            }
            json.writeEndObject();
        }
        if (!success.outputVariables().isEmpty()) {
            json.writeObjectFieldStart("outputVariables");
            for (Map.Entry<String, String> variable : success.outputVariables().entrySet()) {
                json.writeStringField(variable.getKey(), variable.getValue());
            }
            json.writeEndObject();
        }
    }

    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
                .stripTrailingZeros();
    }

    private static void optional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
