package io.jenkins.plugins.codepipeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionSettingsTest {

    @Test
    void defaultsToUsEast1() {
        ConnectionSettings settings = ConnectionSettings.builder().region(" ").build();
        assertEquals("us-east-1", settings.region());
        assertNull(settings.endpoint());
        assertEquals(ConnectionSettings.DEFAULT_MAX_ATTEMPTS, settings.maxAttempts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5",
            "il-central-1", "us-isob-east-1"})
    void knownRegionsNeedNoWarning(String region) {
        assertEquals(java.util.Optional.empty(), ConnectionSettings.builder().region(region).build().regionWarning());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xx-future-1", "eusc-de-east-9"})
    void wellFormedUnknownRegionsAreAcceptedWithAWarning(String region) {
        assertTrue(ConnectionSettings.builder().region(region).build().regionWarning().orElseThrow().contains(region));
    }

    @ParameterizedTest
    @ValueSource(strings = {"US-EAST-1", "us-east", "useast1", "us_east_1", "eu-west-1a", "https://eu-west-1",
            "us-east-1 ", "e-west-1"})
    void malformedRegionsAreRefused(String region) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.builder().region(region.trim().equals(region) ? region : region + "x").build());
        assertTrue(e.getMessage().contains("is not an AWS region name"), e.getMessage());
    }

    @Test
    void endpointsMustBeHttpUrlsWithAHost() {
        assertEquals(URI.create("https://codepipeline-fips.us-east-1.amazonaws.com"),
                ConnectionSettings.parseEndpoint(" https://codepipeline-fips.us-east-1.amazonaws.com "));
        assertNull(ConnectionSettings.parseEndpoint(""));
        for (String bad : List.of("ftp://host", "localhost:8080", "http://", "http://user:pw@host", "http://h/?q=1",
                "http://a b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConnectionSettings.parseEndpoint(bad), bad);
            assertTrue(e.getMessage().contains("endpoint URL"), e.getMessage());
            assertFalse(e.getMessage().contains("pw@") && !bad.contains("pw@"));
        }
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().maxAttempts(0).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().maxAttempts(21).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().timeout(Duration.ZERO).build());
        assertEquals(20, ConnectionSettings.builder().maxAttempts(20).build().maxAttempts());
    }

    @Test
    void proxyPasswordsNeverShowButCountForEquality() {
        ProxySettings proxy = new ProxySettings("proxy.example", 3128, "jenkins", "pr0xyPass", List.of("*.internal"));
        HttpSettings http = HttpSettings.defaults().withProxy(proxy);
        ConnectionSettings settings = ConnectionSettings.builder().http(http).build();
        assertFalse(settings.toString().contains("pr0xyPass"), settings.toString());
        assertTrue(settings.toString().contains("password set"));
        ConnectionSettings otherPassword = ConnectionSettings.builder().http(HttpSettings.defaults()
                .withProxy(new ProxySettings("proxy.example", 3128, "jenkins", "other", List.of("*.internal"))))
                .build();
        assertFalse(settings.equals(otherPassword));
        assertEquals(settings, ConnectionSettings.builder().http(http).build());
    }
}
