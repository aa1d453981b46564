package io.edgegateway.bench;

import java.util.Arrays;
import java.util.List;

/** {@code bin/bench}: benchmarks that print figures. Not tests: nothing here passes or fails on speed. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(usage());
            System.exit(args.length == 0 ? 2 : 0);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code;
        try {
            code = run(args[0], rest);
        } catch (IllegalArgumentException e) {
            // A bad option (a value out of range, an unknown word): say which, not a stack trace.
            System.err.println("bin/bench " + args[0] + ": " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    private static int run(String benchmark, List<String> rest) throws Exception {
        return switch (benchmark) {
            case "modbus" -> new ModbusBenchmark().run(rest);
            case "sse-framing" -> new SseFramingBenchmark().run(rest);
            case "store" -> new StoreBenchmark().run(rest);
            case "onchange" -> new OnChangeBenchmark().run(rest);
            case "fleet" -> new io.edgegateway.bench.fleet.FleetBenchmark().run(rest);
            case "soak" -> new io.edgegateway.bench.soak.SoakBenchmark().run(rest);
            case "uplink" -> new io.edgegateway.bench.uplink.UplinkBenchmark().run(rest);
            case "load-profile" -> new io.edgegateway.bench.dlms.LoadProfileBenchmark().run(rest);
            case "acting" -> new io.edgegateway.bench.acting.ActingBenchmark().run(rest);
            default -> {
                System.err.println("unknown benchmark '" + benchmark + "'\n\n" + usage());
                yield 2;
            }
        };
    }

    static String usage() {
        return """
                Usage: bin/bench BENCHMARK [OPTIONS]

                  modbus [--seconds N]   poll a simulated SDM630 over Modbus TCP through the driver (ModbusMeter)
                                         and through a bare j2mod master sending the same requests; prints
                                         requests/s, points/s, the driver/raw ratio, requests per cycle, and the
                                         RTU line time per cycle at 9600 baud (default 10 s of polling)
                  sse-framing [--clients 500] [--events 400] [--rounds 3]
                                         the same readings to the same clients through our pre-encoded frames
                                         and through Helidon's SseSink; prints CPU, allocation and wall time
                  store [--seconds 20] [--demo-minutes 3] [--days 30] [--meters 100] [--every 60]
                                         the reading store: sustained readings/s, bytes per stored value, bytes
                                         the demo writes per hour, and query times over DAYS of METERS meters
                  onchange [--minutes 5]  bytes one subscriber of every demo meter receives: every poll as whole
                                         rows (the baseline), on change, changed keys only, each plain and gzipped
                  fleet [--meters 500] [--points full|30] [--peer node-red] [--decoder per-port|per-meter]
                        [--seconds 60] [--warmup 30] [--runs N] [--java-opts "FLAGS"] [--jfr FILE]
                        [--max-outstanding 1]
                                         the gateway polling METERS simulated SDM630s every second (one simulator
                                         process and bus per 50), alone or in alternating runs with Node-RED 4.1.15
                                         and node-red-contrib-modbus polling the same ones (installed with npm into
                                         ~/.cache/edge-gateway); CPU, RSS, live heap and readings/s, and the ratios;
                                         FLAGS are added to the gateway's, FILE gets a flight recording of it;
                                         --max-outstanding N gives the gateway's buses N transactions in flight,
                                         as the peer's modbus-serial keeps
                  soak [--minutes 30] [--restart-every 5m] [--clients 500] [--slow 10]
                                         hostile Modbus and DLMS devices beside healthy meters, churning and slow
                                         SSE clients, and SIGKILL plus restart of the gateway process, all at once;
                                         prints healthy poll rates, wrong values published, RSS, heap and threads
                                         over time, SSE refusals, and how soon every client streams after a restart
                  uplink [--meters 100] [--outage-minutes 10] [--messages 30000]
                                         the MQTT uplink to a local Mosquitto (needs mosquitto): QoS 1 messages/s
                                         and CPU per 1,000 messages/s; a backlog of METERS meters at 1 s through a
                                         broker outage, drained while they keep reading: time to catch up and the
                                         drain rate against the production rate; heap and threads it adds
                  load-profile [--days 7] [--meters 32] [--line-days 1] [--rounds 5]
                                         DLMS load profile rows/s over the wrapper and over HDLC at 9600 baud
                                         (the simulator paces its frames), the wall time of a DAYS catch-up of one
                                         meter and of METERS meters on one multi-drop line, each beside the limit
                                         the RS-485 wire sets for the same bytes
                  acting [--meters 500] [--polls 40] [--writes 500] [--rounds 5] [--warmup 2]
                         [--only alerts|writes]
                                         alert rules on the poll path: EventHub.publishReading for METERS SDM630s
                                         with no observer, with an AlertWatch of 2 and of 20 rules a meter (plus a
                                         status rule); readings/s, us a reading, the ratios, the watch's live heap.
                                         A write's round trip to a simulated PLC: the driver alone, then POST on
                                         a Gateway polling it at 1 s and at 100 ms; writes/s, p50/p99, the ratios.
                                         POLLS polls of every meter and WRITES writes of each kind a round""";
    }
}
