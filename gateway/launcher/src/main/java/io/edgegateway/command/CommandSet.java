package io.edgegateway.command;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The subcommands of one launcher: dispatch, {@code --help} for all and for each, exit codes. */
public final class CommandSet {

    /** Exit code for bad usage or bad input files. */
    public static final int USAGE = 2;

    private final String launcher;
    private final String description;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public CommandSet(String launcher, String description, List<? extends Command> all) {
        this.launcher = launcher;
        this.description = description;
        all.forEach(c -> commands.put(c.name(), c));
    }

    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            if (args.length >= 2 && commands.containsKey(args[1])) {
                out.println(commands.get(args[1]).help().strip());
            } else {
                out.println(usage());
            }
            return args.length == 0 ? USAGE : 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println(launcher + ": unknown command '" + args[0] + "'\n");
            err.println(usage());
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(command.help().strip());
            return 0;
        }
        try {
            return command.run(rest, out, err);
        } catch (IllegalArgumentException e) {
            err.println(launcher + " " + command.name() + ": " + e.getMessage());
            err.println("see: " + launcher + " " + command.name() + " --help");
            return USAGE;
        } catch (Exception e) {
            err.println(launcher + " " + command.name() + ": " + e);
            return 1;
        }
    }

    /** Every command with its summary, then every command's full help. */
    public String usage() {
        StringBuilder b = new StringBuilder("Usage: " + launcher + " COMMAND [OPTIONS]\n\n" + description + "\n\nCommands:\n");
        commands.values().forEach(c -> b.append(String.format("  %-14s %s%n", c.name(), c.summary())));
        b.append("\n").append(launcher).append(" COMMAND --help shows one command. All of them:\n");
        commands.values().forEach(c -> b.append('\n').append(c.help().strip()).append('\n'));
        return b.toString();
    }
}
