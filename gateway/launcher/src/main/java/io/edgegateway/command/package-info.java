/**
 * Command-line plumbing shared by {@code bin/gateway} and {@code bin/simulator}: subcommands
 * ({@link io.edgegateway.command.Command}), their dispatch and help ({@link io.edgegateway.command.CommandSet}),
 * and option parsing with clear errors ({@link io.edgegateway.command.Options}).
 */
package io.edgegateway.command;
