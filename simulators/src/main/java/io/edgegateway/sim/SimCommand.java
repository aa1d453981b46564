package io.edgegateway.sim;

import io.edgegateway.command.Command;

/** One {@code bin/simulator} subcommand (see {@link Command}). */
public interface SimCommand extends Command {
}
