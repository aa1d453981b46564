package io.edgegateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The fleet uplink to an MQTT broker ({@code uplink.mqtt}); see docs/fleet.md.
 *
 * @param host        the broker's host
 * @param port        its port (1883 for mqtt://, 8883 for mqtts:// unless the URL says)
 * @param tls         mqtts://: TLS, checked against {@code trust} (or the JDK's CAs)
 * @param clientId    the MQTT client identifier (default: the gateway id)
 * @param username    for the broker's password check; empty for none
 * @param password    its password, from the environment variable the config names; never logged
 * @param trust       TLS files; all empty for the JDK's trust store and no client certificate
 * @param format      JSON topics or Sparkplug B
 * @param topicPrefix JSON: the topics' prefix (default {@code gateways/<gateway-id>})
 * @param groupId     Sparkplug B: the group id (the edge node id is the gateway id)
 * @param qos         0 or 1 for readings; 1 is at-least-once, acknowledged before the cursor moves
 * @param maxInflight QoS 1 messages published and not yet acknowledged, at most
 * @param drainRate   events per second replayed from the store after an outage (live data goes between slices)
 */
public record UplinkConfig(String host, int port, boolean tls, String clientId, String username, Secret password,
                           TlsFiles trust, Format format, String topicPrefix, String groupId, int qos,
                           int maxInflight, int drainRate) {

    /** How readings are put on the wire. */
    public enum Format {
        JSON("json"), SPARKPLUG_B("sparkplug-b");

        private final String configName;

        Format(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /**
     * PEM files for TLS: the CA that signed the broker's certificate, and optionally this gateway's certificate
     * and its PKCS#8 private key for brokers that ask for client certificates.
     */
    public record TlsFiles(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
        public static final TlsFiles NONE = new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A password held so that no {@code toString} of a config prints it. */
    public record Secret(String value) {
        public static final Secret NONE = new Secret("");

        public boolean isEmpty() {
            return value.isEmpty();
        }

        @Override
        public String toString() {
            return value.isEmpty() ? "Secret[none]" : "Secret[***]";
        }
    }

    /** Why the config is unwise though valid, if it is: a password sent in clear across a network. */
    public Optional<String> warning() {
        boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        if (!password.isEmpty() && !tls && !local) {
            return Optional.of("the uplink's password goes in clear over mqtt:// to " + host
                    + "; use mqtts://");
        }
        return Optional.empty();
    }

    /** {@code mqtt(s)://host:port}, for status and logs (no credentials). */
    public String url() {
        return (tls ? "mqtts://" : "mqtt://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
