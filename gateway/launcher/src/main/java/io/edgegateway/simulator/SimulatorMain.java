package io.edgegateway.simulator;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;

import java.util.List;

/** {@code bin/simulator}: dispatches to the subcommands. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    /** Every subcommand, in help order. Each part of the simulator adds its own here. */
    static List<Command> allCommands() {
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
