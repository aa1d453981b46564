package io.edgegateway.cli;

import io.edgegateway.command.Options;
import io.edgegateway.dlms.client.DlmsSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;

/**
 * The association options of a DLMS field tool: client and server addresses, and the LLS password or HLS-GMAC
 * keys with the directory of their invocation counter. Keys are secrets: they are never echoed, not even in an
 * error about them.
 */
final class DlmsOptions {

    /** Options that take a value. */
    static final Set<String> VALUED = Set.of("client", "server-logical", "server-physical", "password", "ek", "ak",
            "system-title", "state-dir");

    /** Where the gateway service keeps its DLMS invocation counters (state-dir/dlms). */
    static final Path SERVICE_COUNTERS = Path.of("/var/lib/gateway/dlms");

    private DlmsOptions() {
    }

    /** Adds addresses and security from the options to {@code b}. */
    static DlmsSettings.Builder apply(Options o, DlmsSettings.Builder b) {
        int defaultClient = 16;
        boolean keys = o.has("ek") || o.has("ak") || o.has("system-title");
        if (o.has("password") && keys) {
            throw new IllegalArgumentException("give --password (LLS) or --ek/--ak/--system-title (HLS-GMAC), not both");
        }
        if (o.has("password")) {
            b.lls(o.required("password"));
            defaultClient = 32;
        } else if (keys) {
            b.hlsGmac(hex(o, "ek", 16), hex(o, "ak", 16), hex(o, "system-title", 8)).stateDirectory(stateDir(o));
            defaultClient = 48;
        }
        return b.client(o.integer("client", defaultClient, 1, 127))
                .server(o.integer("server-logical", 1, 0, 0x3FFF), o.integer("server-physical", 0, 0, 0x3FFF), 0);
    }

    /** A key option as bytes. The value is never echoed: it is a secret. */
    private static byte[] hex(Options o, String name, int bytes) {
        String v = o.value(name).orElseThrow(() -> new IllegalArgumentException("HLS-GMAC needs --ek, --ak and "
                + "--system-title; --" + name + " is missing"));
        try {
            byte[] b = HexFormat.of().parseHex(v.trim().replace(" ", ""));
            if (b.length == bytes) {
                return b;
            }
        } catch (IllegalArgumentException e) {
            // reported below, without the value
        }
        throw new IllegalArgumentException("--" + name + " needs " + 2 * bytes + " hex digits");
    }

    /**
     * HLS counters must continue the ones already used under these keys: starting again at 1 would send AES-GCM
     * nonces the key has already seen. On the gateway itself, share the service's counter files (named by key and
     * system title, reserved under a file lock); elsewhere the engineer must say where the counter lives.
     */
    private static Path stateDir(Options o) {
        return o.value("state-dir").map(Path::of).orElseGet(() -> {
            if (Files.isDirectory(SERVICE_COUNTERS) && Files.isWritable(SERVICE_COUNTERS)) {
                return SERVICE_COUNTERS;
            }
            throw new IllegalArgumentException("HLS-GMAC needs the invocation counter already in use for these keys: "
                    + "run this on the gateway (it shares " + SERVICE_COUNTERS + "), or give --state-dir DIR with a "
                    + "counter ahead of any the meter has seen; starting over would reuse AES-GCM nonces");
        });
    }
}
