package io.jenkins.plugins.codepipeline.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process endpoint that answers every request with CodePipeline's empty success ({@code {}}) at once and checks
 * nothing: with it, a comparison measures the client side only, without the referee's own latency (Python, SigV4
 * re-computation, model validation, logging).
 */
final class StubEndpoint implements AutoCloseable {
    private static final byte[] OK = "{}".getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;
    final AtomicLong requests = new AtomicLong();

    StubEndpoint() {
        // TCP_NODELAY on accepted sockets: the JDK server writes headers and body separately, and with Nagle on
        // a kept-alive connection waits for the client's delayed ACK (~40 ms) before the body leaves
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, OK.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(OK);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
