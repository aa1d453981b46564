package io.edgegateway.sim;

import java.util.List;

/** One {@code bin/simulator} subcommand. */
public interface SimCommand {

    /** Subcommand name, e.g. {@code modbus-tcp}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Full help: usage line, every option with its default, examples. */
    String help();

    /**
     * Runs the command; blocks while the simulator serves.
     *
     * @return process exit code
     * @throws IllegalArgumentException for bad options; the message is shown with a pointer to --help
     */
    int run(List<String> args) throws Exception;
}
