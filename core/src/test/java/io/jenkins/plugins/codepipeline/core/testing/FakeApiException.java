package io.jenkins.plugins.codepipeline.core.testing;

/** An AWS error answer of the test endpoint: {@code {"__type": type, "message": message}} with an HTTP status. */
final class FakeApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    FakeApiException(String type, String message) {
        this(400, type, message);
    }

    FakeApiException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    /** A ValidationException in the Coral wording: {@code 1 validation error detected: Value 'x' at 'path' ...}. */
    static FakeApiException validation(Object value, String path, String constraint) {
        return new FakeApiException("ValidationException", "1 validation error detected: Value '" + value + "' at '"
                + path + "' failed to satisfy constraint: Member must " + constraint);
    }
}
