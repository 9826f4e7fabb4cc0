package io.jenkins.plugins.codepipeline.core;

import java.time.Duration;

/**
 * One attempt at sending a result.
 *
 * @param number    1 for the first attempt
 * @param answered  whether an HTTP answer came back (false: I/O error or timeout, the request may or may not
 *                  have reached CodePipeline)
 * @param requestId the AWS request id of the answer; null when there was none
 * @param errorCode AWS's error code ({@code ThrottlingException}), or the client error's class name; null on success
 * @param detail    a short description of the failure; null on success
 * @param took      how long the attempt took
 */
public record Attempt(int number, boolean answered, String requestId, String errorCode, String detail, Duration took) {

    public boolean succeeded() {
        return answered && errorCode == null;
    }
}
