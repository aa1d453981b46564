package io.edgegateway.cli;

import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Runs bin/gateway commands in this JVM with captured output, and builds frozen simulated devices for them. */
final class Cli {

    static final ProfileCatalog PROFILES = ProfileCatalog.shipped();

    /** What one run printed, and its exit code. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = GatewayMain.commandSet().run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static DeviceProfile profile(String name) {
        return PROFILES.find(name).orElseThrow();
    }

    /** A device whose values hold still, so a test can compare exactly. */
    static SimulatedDevice frozen(String profile, long seed) {
        SimulatedDevice d = SimulatedDevice.of(profile(profile), seed, Clock.systemUTC());
        d.freeze(true);
        return d;
    }
}
