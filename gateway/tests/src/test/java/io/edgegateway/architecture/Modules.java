package io.edgegateway.architecture;

import java.util.ArrayList;
import java.util.List;

/**
 * Which packages make up which module, as docs/architecture.md draws them. A package of the main code that is in
 * none of these fails {@link LayeringTest}: a new package needs a home, and a line in the architecture map.
 */
final class Modules {

    static final String[] DRIVERS = {"io.edgegateway.device..", "io.edgegateway.point..", "io.edgegateway.profile..",
            "io.edgegateway.serial..", "io.edgegateway.link..", "io.edgegateway.modbus..", "io.edgegateway.dlms.."};
    static final String[] SIMULATORS = {"io.edgegateway.sim.."};
    static final String[] APPLIANCE = {"io.edgegateway.config..", "io.edgegateway.poll..", "io.edgegateway.reading..",
            "io.edgegateway.hub..", "io.edgegateway.sse..", "io.edgegateway.http..", "io.edgegateway.encoding..",
            "io.edgegateway.web..",
            "io.edgegateway.app..", "io.edgegateway.scan..", "io.edgegateway.store..", "io.edgegateway.uplink..",
            "io.edgegateway.sparkplug..", "io.edgegateway.tls..", "io.edgegateway.loadprofile..",
            "io.edgegateway.push..", "io.edgegateway.alert..", "io.edgegateway.write..", "io.edgegateway.wot.."};
    static final String[] LAUNCHER = {"io.edgegateway.command..", "io.edgegateway.cli..", "io.edgegateway.simulator..",
            "io.edgegateway.bench..", "io.edgegateway.demo.."};

    private Modules() {
    }

    /** The module of a package (the array itself), or null. */
    static String[] of(String pkg) {
        for (String[] m : new String[][] {DRIVERS, SIMULATORS, APPLIANCE, LAUNCHER}) {
            for (String p : m) {
                String root = p.substring(0, p.length() - 2);
                if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                    return m;
                }
            }
        }
        return null;
    }

    static String[] union(String[]... groups) {
        List<String> out = new ArrayList<>();
        for (String[] g : groups) {
            out.addAll(List.of(g));
        }
        return out.toArray(new String[0]);
    }
}
