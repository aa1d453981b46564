package io.edgegateway.app;

import io.helidon.logging.common.spi.LoggingProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/**
 * The gateway's one logging setup: java.util.logging configured from the jar's {@code logging.properties}
 * (stderr, which systemd sends to the journal), unless the operator passes
 * {@code -Djava.util.logging.config.file}. Registered as Helidon's logging provider so Helidon uses the same
 * setup; j2mod's slf4j reaches it through slf4j-jdk14.
 */
public final class JulLoggingProvider implements LoggingProvider {

    /** (Re)reads the built-in configuration; harmless to repeat, as main and Helidon both do. */
    public static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = JulLoggingProvider.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("gateway: cannot read built-in logging.properties: " + e.getMessage());
        }
    }

    @Override
    public void initialization() {
        configure();
    }

    @Override
    public void runTime() {
        // Only called in native images, where initialization() ran at build time.
        configure();
    }
}
