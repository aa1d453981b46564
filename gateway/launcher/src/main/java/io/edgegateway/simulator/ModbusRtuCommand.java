package io.edgegateway.simulator;

import io.edgegateway.sim.modbus.ModbusRtuSimulator;
import io.edgegateway.command.Options;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.command.Command;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code bin/simulator modbus-rtu}: simulated meters on a serial line (USB RS-485 adapter or a pty). */
public final class ModbusRtuCommand implements Command {

    private static final Set<String> OPTIONS = Set.of("device", "baud", "parity", "stop-bits");

    @Override
    public String name() {
        return "modbus-rtu";
    }

    @Override
    public String summary() {
        return "Modbus RTU meters and PLCs on a serial line (RS-485 adapter or pty)";
    }

    @Override
    public String help() {
        return """
                bin/simulator modbus-rtu --device PATH --unit ID=PROFILE [--unit ID=PROFILE ...] [OPTIONS]
                  Serves simulated devices on a serial line, as meters on an RS-485 bus.

                  --device PATH          serial port, e.g. /dev/ttyUSB0, /dev/serial/by-id/..., or a pty (required)
                  --baud N               bits per second (default 9600)
                  --parity P             none, even or odd (default none)
                  --stop-bits N          1 or 2 (default 1)
                %s
                  Unit ids: units nobody serves stay silent, as on a real bus; unit 0 is a broadcast (writes go to
                  every unit, nothing answers). drop-every has no effect on a serial line.
                %s

                  Examples:
                    bin/simulator modbus-rtu --device /dev/ttyUSB0 --baud 9600 --unit 1=sdm120
                    bin/simulator modbus-rtu --device /dev/ttyUSB0 --baud 19200 --parity even --unit 1=em24 --unit 2=sdm630
                    bin/simulator modbus-rtu --device /dev/ttyUSB0 --unit 1=sdm120 --fault corrupt-crc=0.1 --log
                  Without hardware, a virtual null-modem cable:
                    socat -d -d pty,raw,echo=0,link=/tmp/busA pty,raw,echo=0,link=/tmp/busB &
                    bin/simulator modbus-rtu --device /tmp/busA --unit 1=sdm120
                    mbpoll -m rtu -b 9600 -P none -a 1 -t 3:float -r 1 -c 1 -1 /tmp/busB
                """.formatted(ModbusCommandLine.commonHelp().stripTrailing(), ModbusCommandLine.writeRules().indent(2)
                .stripTrailing());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        ModbusCommandLine cl = ModbusCommandLine.parse(args, OPTIONS, Set.of());
        Options o = cl.options();
        String device = o.value("device").orElseThrow(
                () -> new IllegalArgumentException("--device PATH is required, e.g. --device /dev/ttyUSB0"));
        int baud = o.integer("baud", 9600, 50, 4_000_000);
        Parity parity = Parity.parse(o.value("parity", "none"));
        int stopBits = o.integer("stop-bits", 1, 1, 2);
        SerialSettings settings = SerialSettings.of(device, baud).withParity(parity, stopBits);
        ProfileCatalog catalog = cl.catalog();
        Map<Integer, DeviceProfile> units = cl.units(catalog);
        ModbusRtuSimulator.Builder b = ModbusRtuSimulator.builder(settings).strict(o.has("strict"))
                .log(cl.requestLog(out));
        units.forEach(b::unit);
        ModbusRtuSimulator sim = b.build();
        cl.applyFaults(sim.faults(), units.keySet());
        try {
            sim.start();
        } catch (LinkDownException e) {
            err.println("bin/simulator modbus-rtu: " + e.getMessage());
            return 1;
        }
        return ModbusCommandLine.serveUntilStopped(sim, units, out, () -> sim.running() ? null : sim.failure());
    }
}
