package io.edgegateway.sim;

import io.edgegateway.sim.modbus.ModbusRtuCommand;
import io.edgegateway.sim.modbus.ModbusTcpCommand;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code bin/simulator}: dispatches to the subcommands. */
public final class SimulatorMain {

    private final Map<String, SimCommand> commands = new LinkedHashMap<>();

    SimulatorMain(List<SimCommand> all) {
        all.forEach(c -> commands.put(c.name(), c));
    }

    /** Every subcommand, in help order. Each module of the simulator adds its own here. */
    static List<SimCommand> allCommands() {
        return List.of(new ModbusTcpCommand(), new ModbusRtuCommand());
    }

    public static void main(String[] args) {
        System.exit(new SimulatorMain(allCommands()).run(args));
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            if (args.length >= 2 && commands.containsKey(args[1])) {
                System.out.println(commands.get(args[1]).help());
            } else {
                System.out.println(usage());
            }
            return args.length == 0 ? 2 : 0;
        }
        SimCommand command = commands.get(args[0]);
        if (command == null) {
            System.err.println("unknown command '" + args[0] + "'\n");
            System.err.println(usage());
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println(command.help());
            return 0;
        }
        try {
            return command.run(rest);
        } catch (IllegalArgumentException e) {
            System.err.println("bin/simulator " + command.name() + ": " + e.getMessage());
            System.err.println("see: bin/simulator " + command.name() + " --help");
            return 2;
        } catch (Exception e) {
            System.err.println("bin/simulator " + command.name() + ": " + e);
            return 1;
        }
    }

    String usage() {
        StringBuilder b = new StringBuilder("""
                Usage: bin/simulator COMMAND [OPTIONS]

                Simulated meters, PLCs and dashboards for field tests without hardware.

                Commands:
                """);
        commands.values().forEach(c -> b.append(String.format("  %-14s %s%n", c.name(), c.summary())));
        b.append("\nEvery command's options, with examples:\n");
        commands.values().forEach(c -> b.append('\n').append(c.help().strip()).append('\n'));
        return b.toString();
    }
}
