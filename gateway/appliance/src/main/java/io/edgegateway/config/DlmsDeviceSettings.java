package io.edgegateway.config;

import io.edgegateway.dlms.client.Authentication;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.profile.ConfigNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a DLMS device's association settings from its bus (transport, address, line, timeouts) and its
 * {@code dlms:} block, so that a wrong key, a missing password or a short key is refused at load time:
 *
 * <pre>
 * dlms:
 *   client: 16                 # 16 public, 32 LLS, 48 HLS-GMAC are common
 *   server-physical: 0         # HDLC lower address (multi-drop), 0 = none; unit-id is the logical address
 *   server-address-size: 0     # 0 automatic | 1 | 2 | 4
 *   mode-e: false              # IEC 62056-21 mode E sign-on (optical head), dlms-serial only
 *   authentication: none       # none | lls | hls-gmac
 *   password: "12345678"       # lls; or password-env: VAR
 *   block-cipher-key: "000102030405060708090A0B0C0D0E0F"   # hls-gmac; or block-cipher-key-env: VAR
 *   authentication-key: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF" # or authentication-key-env: VAR
 *   system-title: "4D4D4D0000BC614E"                        # the gateway's own
 *   dedicated-key: false
 *   max-pdu-size: 1024
 *   hdlc-max-info: 128
 *   hdlc-window: 1
 *   invocation-counter: 0.0.43.1.0.255   # hls-gmac: read the meter's expected counter first (public client)
 * </pre>
 */
final class DlmsDeviceSettings {

    static final Set<String> KEYS = Set.of("client", "server-physical", "server-address-size", "mode-e",
            "authentication", "password", "password-env", "block-cipher-key", "block-cipher-key-env",
            "authentication-key", "authentication-key-env", "system-title", "dedicated-key", "max-pdu-size",
            "hdlc-max-info", "hdlc-window", "invocation-counter");

    private DlmsDeviceSettings() {
    }

    static DlmsSettings parse(BusConfig bus, ConfigNode node, int serverLogical, Path stateDir) {
        node.allowOnly(KEYS);
        DlmsSettings.Builder b = DlmsSettings.builder();
        switch (bus.type()) {
            case DLMS_TCP -> b.wrapperTcp(bus.host(), bus.port());
            case DLMS_HDLC_TCP -> b.hdlcTcp(bus.host(), bus.port());
            case DLMS_SERIAL -> b.hdlcSerial(bus.serial()).modeE(node.bool("mode-e", false));
            default -> throw new IllegalArgumentException(bus.type() + " is not a DLMS bus");
        }
        if (bus.type() != BusType.DLMS_SERIAL && node.has("mode-e")) {
            throw node.get("mode-e").error("the mode E sign-on is for dlms-serial buses (optical heads)");
        }
        b.client(node.integer("client", 16, 1, 127));
        b.server(serverLogical, node.integer("server-physical", 0, 0, 0x3FFF),
                node.integer("server-address-size", 0, 0, 4));
        Authentication a = node.convert("authentication", node.string("authentication", "none"), "an authentication",
                Authentication::parse);
        switch (a) {
            case NONE -> b.noSecurity();
            case LLS -> b.lls(secret(node, "password").getBytes(StandardCharsets.US_ASCII));
            case HLS_GMAC -> b.hlsGmac(hex(node, "block-cipher-key", secret(node, "block-cipher-key"), 16),
                    hex(node, "authentication-key", secret(node, "authentication-key"), 16),
                    hex(node, "system-title", node.identifier("system-title"), 8));
        }
        b.dedicatedKey(node.bool("dedicated-key", false));
        b.maxPduSize(node.integer("max-pdu-size", 1024, 64, 0xFFFF));
        b.hdlc(node.integer("hdlc-max-info", 128, 32, 2030), node.integer("hdlc-window", 1, 1, 7));
        b.responseTimeout(bus.timeout());
        b.connectTimeout(bus.connectTimeout());
        b.stateDirectory(stateDir.resolve("dlms"));
        node.optionalString("invocation-counter").ifPresent(text -> b.invocationCounterObject(node.convert(
                "invocation-counter", text, "an OBIS code like 0.0.43.1.0.255", io.edgegateway.dlms.ObisCode::parse)));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** A secret given inline or, better, through an environment variable ({@code KEY-env: VAR}). */
    private static String secret(ConfigNode node, String key) {
        Optional<String> inline = node.optionalString(key);
        Optional<String> env = node.optionalString(key + "-env");
        if (inline.isPresent() && env.isPresent()) {
            throw node.get(key + "-env").error("give " + key + " or " + key + "-env, not both");
        }
        if (env.isPresent()) {
            String v = System.getenv(env.get());
            if (v == null) {
                throw node.get(key + "-env").error("environment variable " + env.get() + " is not set");
            }
            return v;
        }
        return inline.orElseThrow(() -> node.get(key).error("required for this authentication (or " + key + "-env)"));
    }

    // Never echo the value: it may be a key.
    private static byte[] hex(ConfigNode node, String key, String text, int bytes) {
        String clean = text.replaceAll("[\\s:]", "");
        String expected = "expected " + (bytes * 2) + " hex digits (" + bytes + " bytes), got " + clean.length()
                + " characters; quote the value in YAML so a key of digits only keeps its leading zeros";
        try {
            byte[] v = HexFormat.of().parseHex(clean);
            if (v.length == bytes) {
                return v;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw node.get(key).error(expected);
    }
}
