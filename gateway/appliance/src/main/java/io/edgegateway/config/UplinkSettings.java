package io.edgegateway.config;

import io.edgegateway.profile.ConfigNode;
import io.edgegateway.tls.PemFiles;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads {@code uplink.mqtt}: every key checked at load, with the file and the key in any error. */
final class UplinkSettings {

    /** 25 times what 100 meters read every second produce: a 10-minute outage is sent again in 24 s. */
    static final int DEFAULT_DRAIN_RATE = 2500;

    private UplinkSettings() {
    }

    static UplinkConfig parse(ConfigNode m, Set<String> tlsKeys, Path base, String gatewayId) {
        URI url = m.convert("url", m.string("url"), "mqtt://host[:port] or mqtts://host[:port]", URI::create);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("mqtt") && !scheme.equals("mqtts")) {
            throw m.get("url").error("must start with mqtt:// or mqtts://, got '" + url + "'");
        }
        if (url.getHost() == null) {
            throw m.get("url").error("names no host: '" + url + "'");
        }
        if (url.getUserInfo() != null) {
            throw m.get("url").error("must not hold a user or password; use username and password-env");
        }
        if (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/") || url.getQuery() != null) {
            throw m.get("url").error("must be just mqtt(s)://host:port, got '" + url + "'");
        }
        boolean tls = scheme.equals("mqtts");
        if (url.getPort() == 0 || url.getPort() > 65_535) {
            throw m.get("url").error("port " + url.getPort() + " is not 1..65535");
        }
        int port = url.getPort() > 0 ? url.getPort() : tls ? 8883 : 1883;
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();

        String clientId = m.string("client-id", gatewayId).trim();
        if (clientId.isEmpty() || clientId.length() > 128) {
            throw m.get("client-id").error("must be 1 to 128 characters");
        }
        String username = m.string("username", "");
        UplinkConfig.Secret password = UplinkConfig.Secret.NONE;
        if (m.has("password-env")) {
            String var = m.string("password-env");
            String value = System.getenv(var);
            if (value == null) {
                throw m.get("password-env").error("environment variable " + var + " is not set");
            }
            if (value.isEmpty()) {
                throw m.get("password-env").error("environment variable " + var + " is empty");
            }
            password = new UplinkConfig.Secret(value);
        }
        if (!password.isEmpty() && username.isEmpty()) {
            throw m.get("password-env").error("a password needs a username (uplink.mqtt.username)");
        }

        UplinkConfig.TlsFiles trust = tls(m, tlsKeys, base, tls);

        UplinkConfig.Format format = m.convert("format", m.string("format", "json"), "json or sparkplug-b", v -> {
            for (UplinkConfig.Format f : UplinkConfig.Format.values()) {
                if (f.configName().equals(v.trim().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("expected json or sparkplug-b, got '" + v + "'");
        });
        String prefix = m.string("topic-prefix", "gateways/" + gatewayId).trim();
        if (format == UplinkConfig.Format.JSON) {
            if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
                throw m.get("topic-prefix").error("must be topic levels such as gateways/gw-0001, without a leading or"
                        + " trailing '/', got '" + prefix + "'");
            }
            if (prefix.contains("+") || prefix.contains("#")) {
                throw m.get("topic-prefix").error("must not hold the wildcards + or #");
            }
            if (prefix.startsWith("$")) {
                throw m.get("topic-prefix").error("must not start with $ (brokers keep those topics to themselves)");
            }
            if (prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7F) || prefix.length() > 1000) {
                throw m.get("topic-prefix").error("must be printable and at most 1000 characters");
            }
        } else if (m.has("topic-prefix")) {
            throw m.get("topic-prefix").error("applies to format json; Sparkplug B topics are spBv1.0/<group-id>/...");
        }
        String groupId = "";
        if (format == UplinkConfig.Format.SPARKPLUG_B) {
            if (!m.has("group-id")) {
                throw m.get("group-id").error("missing: Sparkplug B needs a group id (e.g. the plant)");
            }
            groupId = m.string("group-id").trim();
            String where = "group-id";
            topicLevel(groupId).ifPresent(problem -> {
                throw m.get(where).error(problem);
            });
        } else if (m.has("group-id")) {
            throw m.get("group-id").error("applies to format sparkplug-b only");
        }
        int qos = m.integer("qos", 1, 0, 2);
        if (qos == 2) {
            throw m.get("qos").error("2 is not offered: the store's event ids already let receivers drop duplicates,"
                    + " so use 1 (at least once) or 0");
        }
        int maxInflight = m.integer("max-inflight", 64, 1, 65_535);
        int drainRate = m.optionalString("drain-rate").map(v -> m.convert("drain-rate", v, "events per second, e.g."
                + " 2000/s", UplinkSettings::rate)).orElse(DEFAULT_DRAIN_RATE);
        if (drainRate < 10) {
            throw m.get("drain-rate").error("must be at least 10/s, got " + drainRate + "/s");
        }
        return new UplinkConfig(host, port, tls, clientId, username, password, trust, format, prefix, groupId, qos,
                maxInflight, drainRate);
    }

    private static UplinkConfig.TlsFiles tls(ConfigNode m, Set<String> tlsKeys, Path base, boolean tls) {
        ConfigNode t = m.get("tls").allowOnly(tlsKeys);
        if (!t.exists()) {
            return UplinkConfig.TlsFiles.NONE;
        }
        if (!tls) {
            throw t.error("TLS files are given but the url is mqtt://; use mqtts://");
        }
        Optional<Path> ca = t.optionalString("ca-file").map(base::resolve);
        Optional<Path> cert = t.optionalString("cert-file").map(base::resolve);
        Optional<Path> key = t.optionalString("key-file").map(base::resolve);
        if (cert.isPresent() != key.isPresent()) {
            throw t.get(cert.isPresent() ? "key-file" : "cert-file").error("cert-file and key-file go together");
        }
        try {
            if (ca.isPresent()) {
                PemFiles.trust(ca.get());
            }
        } catch (PemFiles.PemException e) {
            throw t.get("ca-file").error(e.getMessage());
        }
        if (cert.isPresent()) {
            try {
                PemFiles.certificates(cert.get());
            } catch (PemFiles.PemException e) {
                throw t.get("cert-file").error(e.getMessage());
            }
            try {
                PemFiles.identity(cert.get(), key.get());
            } catch (PemFiles.PemException e) {
                throw t.get("key-file").error(e.getMessage());
            }
        }
        return new UplinkConfig.TlsFiles(ca, cert, key);
    }

    /** {@code 2000/s}, {@code 2000} or {@code 120000/min}. */
    static int rate(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        int per = 1;
        if (s.endsWith("/s")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("/min")) {
            s = s.substring(0, s.length() - 4);
            per = 60;
        }
        return Math.max(1, ConfigNode.parseInt(s.trim()) / per);
    }

    /** Why {@code id} cannot be one MQTT topic level, if it cannot. */
    static Optional<String> topicLevel(String id) {
        if (id.isEmpty()) {
            return Optional.of("must not be empty");
        }
        for (char c : new char[] {'/', '+', '#'}) {
            if (id.indexOf(c) >= 0) {
                return Optional.of("must not hold '" + c + "' (it is one level of MQTT topics), got '" + id + "'");
            }
        }
        if (id.chars().anyMatch(c -> c < 0x20)) {
            return Optional.of("must not hold control characters");
        }
        return Optional.empty();
    }
}
