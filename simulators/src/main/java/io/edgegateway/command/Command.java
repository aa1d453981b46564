package io.edgegateway.command;

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
     * Runs the command.
     *
     * @return process exit code
     * @throws IllegalArgumentException for bad options; the message is shown with a pointer to --help
     */
    int run(List<String> args) throws Exception;
}
