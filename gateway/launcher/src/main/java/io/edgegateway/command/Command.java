package io.edgegateway.command;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of a launcher. */
public interface Command {

    /** Subcommand name, e.g. {@code check-config}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Full help: usage line, every option with its default, examples. */
    String help();

    /**
     * Runs the command with its output going to {@code out} and {@code err}, so that tests (and other launchers)
     * can capture it.
     *
     * @return process exit code
     * @throws IllegalArgumentException for bad options; the message is shown with a pointer to --help
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
