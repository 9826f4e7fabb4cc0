package io.jenkins.plugins.codepipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A global interceptor of the tests' class path (software/amazon/awssdk/global/handlers/execution.interceptors):
 * records every signed S3 request's operation and headers, since S3Proxy ignores the KMS headers and session tokens.
 */
public final class S3RequestRecorder implements ExecutionInterceptor {
    record Request(String operation, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().isEmpty() ? null : h.getValue().get(0);
                }
            }
            return null;
        }
    }

    static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    /** Called with each request as it is about to be sent (tests check what else holds at that moment). */
    static volatile Consumer<Request> onRequest;

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if ("S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            Request request = new Request(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    context.httpRequest().headers());
            REQUESTS.add(request);
            Consumer<Request> hook = onRequest;
            if (hook != null) {
                hook.accept(request);
            }
        }
    }

    static List<Request> requests(String operation) {
        return REQUESTS.stream().filter(r -> r.operation().equals(operation)).toList();
    }
}
