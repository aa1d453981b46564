package io.edgegateway.sim;

import io.edgegateway.command.CommandSet;
import io.edgegateway.sim.dlms.DlmsCommand;
import io.edgegateway.sim.modbus.ModbusRtuCommand;
import io.edgegateway.sim.modbus.ModbusTcpCommand;
import io.edgegateway.sim.swarm.DashboardsCommand;

import java.util.List;

/** {@code bin/simulator}: dispatches to the subcommands. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    /** Every subcommand, in help order. Each part of the simulator adds its own here. */
    static List<SimCommand> allCommands() {
        return List.of(new ModbusTcpCommand(), new ModbusRtuCommand(), DlmsCommand.tcp(), DlmsCommand.serial(),
                new DashboardsCommand());
    }

    static CommandSet commandSet() {
        return new CommandSet("bin/simulator", "Simulated meters, PLCs and dashboards for field tests without hardware.",
                allCommands());
    }

    public static void main(String[] args) {
        System.exit(commandSet().run(args, System.out, System.err));
    }
}
