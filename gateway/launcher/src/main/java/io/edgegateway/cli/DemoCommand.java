package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.Options;
import io.edgegateway.demo.DemoRig;
import io.edgegateway.profile.ConfigNode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code bin/gateway demo}: simulated meters and the gateway, ready for a dashboard. */
final class DemoCommand implements Command {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "start simulated meters and a PLC, and the gateway polling them (SSE on :8080)";
    }

    @Override
    public String help() {
        return """
                bin/gateway demo [--port 8080] [--bind 127.0.0.1] [--interval 2s] [--meters N] [--max-clients N]
                                 [--state-dir DIR] [--no-store] [--print-config]
                  Starts, on this machine: two Modbus TCP meters (Eastron SDM630, Schneider iEM3000), a PLC
                  running a tank process, a serial device server (RTU over TCP) with an EM24 and an SDM120, a
                  DLMS/COSEM meter, and the gateway polling all of them. --meters N adds N more SDM630s and
                  --max-clients raises the SSE client limit (default 1000), both for load tests. Readings are
                  stored in DIR/readings.db (default: a new temporary directory; give --state-dir to keep history
                  across demo runs); --no-store turns the store off, to measure what it costs. --print-config
                  shows the gateway config it generated. Stop with Ctrl-C.
                  Examples:
                    bin/gateway demo
                    bin/gateway demo --port 8090 --meters 20 --interval 1s
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(args, Set.of("port", "bind", "interval", "meters", "max-clients", "state-dir"),
                        Set.of("print-config", "no-store"))
                .positionalCount(0, 0, "");
        int port = o.integer("port", 8080, 0, 65535);
        String bind = o.value("bind", "127.0.0.1");
        Duration interval;
        try {
            interval = ConfigNode.parseDuration(o.value("interval", "2s"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--interval must be a duration such as 500ms or 2s");
        }
        if (interval.toMillis() < 100) {
            throw new IllegalArgumentException("--interval must be at least 100ms");
        }
        DemoRig rig;
        try {
            rig = DemoRig.start(bind, port, interval, o.integer("meters", 0, 0, 247),
                    o.integer("max-clients", 1000, 1, 1_000_000),
                    o.has("state-dir") ? Path.of(o.value("state-dir", "")) : null, !o.has("no-store"));
        } catch (RuntimeException e) {
            if (RunCommand.isBindFailure(e)) {
                err.println("gateway demo: cannot listen on " + bind + ":" + port
                        + " (in use? try --port 8090)");
                return 1;
            }
            throw e;
        }
        if (o.has("print-config")) {
            out.println(rig.yaml());
        }
        String base = "http://" + (bind.equals("0.0.0.0") ? "localhost" : bind) + ":" + rig.gateway().port();
        out.println("""

                Gateway demo running: %1$s  (Ctrl-C stops it)
                  all meters, live:     curl -N %1$s/api/sse/meters
                  one meter's readings: curl -N %1$s/api/sse/real-time-data/62124022443
                  its status:           curl -N %1$s/api/sse/meter-status/62124022443
                  meters (REST):        curl %1$s/api/meters
                  health / metrics:     curl %1$s/health ; curl %1$s/metrics
                  In a browser:         new EventSource('%1$s/api/sse/meters')
                Meters: 62124022443 (SDM630, TCP), 62124022444 (iEM3000, TCP), PLC-TANK-01 (PLC, TCP),
                        62124022445 (EM24) and 62124022446 (SDM120) behind an RTU-over-TCP server,
                        62124022447 (DLMS/COSEM)%2$s
                """.formatted(base, o.has("meters") ? ", LOAD-0001.. (SDM630s for load)" : ""));
        RunCommand.serveUntilStopped(rig::close);
        return 0;
    }
}
