package io.edgegateway.simulator;

import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.command.Options;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.command.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code bin/simulator modbus-tcp}: simulated meters and PLCs behind a Modbus TCP (or RTU-over-TCP) port. */
public final class ModbusTcpCommand implements Command {

    private static final Set<String> OPTIONS = Set.of("port", "bind");
    private static final Set<String> FLAGS = Set.of("rtu-over-tcp");

    @Override
    public String name() {
        return "modbus-tcp";
    }

    @Override
    public String summary() {
        return "Modbus TCP (or RTU over TCP) meters and PLCs on a TCP port";
    }

    @Override
    public String help() {
        return """
                bin/simulator modbus-tcp --unit ID=PROFILE [--unit ID=PROFILE ...] [OPTIONS]
                  Serves simulated devices over Modbus TCP, or as a serial device server passing RTU frames.

                  --port N               TCP port (default 5020; 502 needs root)
                  --bind ADDRESS         address to listen on (default 0.0.0.0: reachable from the network;
                                         127.0.0.1: this machine only)
                  --rtu-over-tcp         bare RTU frames with CRC instead of MBAP, as a serial device server in
                                         transparent mode; unknown unit ids stay silent, as on the bus behind it
                %s
                  Unit ids on Modbus TCP: an unknown unit answers exception 0B (gateway target failed to respond);
                  unit 0 or 255 reaches the only unit when there is one.
                %s

                  Examples:
                    bin/simulator modbus-tcp --port 5020 --unit 1=sdm630 --unit 2=plc
                    bin/simulator modbus-tcp --unit 1=sdm630 --unit 2=em24 --fault 2:silent
                    bin/simulator modbus-tcp --unit 1=sdm630 --fault delay=1500ms --fault exception=6,every=10
                    bin/simulator modbus-tcp --port 4001 --rtu-over-tcp --unit 7=em24 --fault corrupt-crc=0.2
                    bin/simulator modbus-tcp --unit 1=iem3000 --strict --log
                    mbpoll -m tcp -p 5020 -a 1 -t 3:float -r 1 -c 3 -1 127.0.0.1    (SDM630 L1-L3 voltage)
                """.formatted(ModbusCommandLine.commonHelp().stripTrailing(), ModbusCommandLine.writeRules().indent(2)
                .stripTrailing());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        ModbusCommandLine cl = ModbusCommandLine.parse(args, OPTIONS, FLAGS);
        Options o = cl.options();
        ProfileCatalog catalog = cl.catalog();
        Map<Integer, DeviceProfile> units = cl.units(catalog);
        int port = o.integer("port", 5020, 0, 65535);
        boolean rtu = o.has("rtu-over-tcp");
        ModbusTcpSimulator.Builder b = ModbusTcpSimulator.builder().bind(o.value("bind", "0.0.0.0")).port(port)
                .rtuOverTcp(rtu).strict(o.has("strict")).log(cl.requestLog(out));
        units.forEach(b::unit);
        ModbusTcpSimulator sim = b.build();
        cl.applyFaults(sim.faults(), units.keySet());
        try {
            sim.start();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage()
                    + (e.getMessage().contains("in use") ? " (another simulator running? pick another --port)" : ""));
        }
        if (!rtu && sim.faults().describe().contains("CRC")) {
            out.println("note: corrupt-crc only affects RTU framings; Modbus TCP frames carry no CRC");
        }
        return ModbusCommandLine.serveUntilStopped(sim, units, out, () -> null);
    }
}
