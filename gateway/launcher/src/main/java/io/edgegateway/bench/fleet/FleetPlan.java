package io.edgegateway.bench.fleet;

import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fleet both programs poll: how many meters on how many simulators, which points, and the requests the
 * gateway's planner makes of them (the peer is given the same ones).
 *
 * @param meters       SDM630s in all
 * @param thirtyPoints the first 30 points only (one request), instead of the whole profile
 * @param profile      the shipped SDM630 profile
 * @param points       the points polled
 * @param requests     the FC04 requests per meter and second
 */
record FleetPlan(int meters, boolean thirtyPoints, DeviceProfile profile, List<Point> points,
                 List<ReadRequest> requests) {

    static final int THIRTY = 30;

    static FleetPlan of(int meters, boolean thirtyPoints) {
        DeviceProfile sdm630 = ProfileCatalog.shipped().find("sdm630").orElseThrow();
        List<Point> points = thirtyPoints ? sdm630.points().subList(0, THIRTY) : sdm630.points();
        return new FleetPlan(meters, thirtyPoints, sdm630, points,
                new ReadPlanner(sdm630.limits()).plan(points).requests());
    }

    int pointCount() {
        return points.size();
    }

    int simulatorCount() {
        return (meters + FleetBenchmark.METERS_PER_SIMULATOR - 1) / FleetBenchmark.METERS_PER_SIMULATOR;
    }

    /** Meters on simulator {@code s} (0-based): 50, the last one the rest. */
    int metersOn(int s) {
        return Math.min(FleetBenchmark.METERS_PER_SIMULATOR, meters - s * FleetBenchmark.METERS_PER_SIMULATOR);
    }

    /**
     * The gateway's config: one bus per simulator, every meter every second, the store on as it is on an
     * appliance. With 30 points, a profile of its own holds them (the shipped file's first 30 lines of points).
     */
    Path writeGatewayConfig(Path dir, List<Integer> ports, int httpPort, int maxOutstanding) throws IOException {
        String profile = "sdm630";
        StringBuilder y = new StringBuilder();
        if (thirtyPoints) {
            Path profiles = Files.createDirectories(dir.resolve("profiles"));
            Files.writeString(profiles.resolve("sdm630-30.yaml"), firstPoints(THIRTY));
            profile = "sdm630-30";
            y.append("profiles: \"").append(profiles).append("\"\n");
        }
        y.append("server: {bind: 127.0.0.1, port: ").append(httpPort).append("}\n");
        y.append("state-dir: \"").append(dir.resolve("state")).append("\"\n");
        y.append("buses:\n");
        for (int s = 0; s < ports.size(); s++) {
            y.append("  - {name: sim").append(s).append(", type: modbus-tcp, host: 127.0.0.1, port: ")
                    .append(ports.get(s)).append(maxOutstanding > 1 ? ", max-outstanding: " + maxOutstanding : "")
                    .append("}\n");
        }
        y.append("devices:\n");
        for (int s = 0; s < ports.size(); s++) {
            for (int unit = 1; unit <= metersOn(s); unit++) {
                y.append("  - {meter-no: \"F").append(s).append('-').append(unit).append("\", bus: sim").append(s)
                        .append(", unit-id: ").append(unit).append(", profile: ").append(profile)
                        .append(", interval: 1s}\n");
            }
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, y);
        return config;
    }

    /** The shipped SDM630 profile file, cut after its first {@code n} points and renamed. */
    private static String firstPoints(int n) throws IOException {
        StringBuilder out = new StringBuilder();
        int seen = 0;
        for (String line : resource("profiles/sdm630.yaml").split("\n")) {
            if (line.startsWith("  - {name:") && ++seen > n) {
                break;
            }
            out.append(line.startsWith("name: sdm630") ? "name: sdm630-30" : line).append('\n');
        }
        return out.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FleetPlan.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
