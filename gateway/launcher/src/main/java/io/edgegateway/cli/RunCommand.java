package io.edgegateway.cli;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.config.BindAddress;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.profile.ConfigException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code bin/gateway run}: the service. */
final class RunCommand implements Command {

    static final String DEFAULT_CONFIG = "/etc/gateway/gateway.yaml";

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the gateway with a config file (the systemd service runs this)";
    }

    @Override
    public String help() {
        return """
                bin/gateway run [--config FILE]
                  Validates FILE (default %s) completely, then opens the HTTP port, then starts
                  polling. A bad file exits with 2 before any device is touched. Environment variables
                  override file values: SERVER_PORT=8081 sets server.port, SSE_MAX_DASH_CLIENTS=5000 sets
                  sse.max-clients (_DASH_ stands for '-'). Stops cleanly on SIGTERM.
                  Examples:
                    bin/gateway run --config /etc/gateway/gateway.yaml
                    SERVER_PORT=8081 bin/gateway run --config ./gateway.yaml
                """.formatted(DEFAULT_CONFIG);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        Options o = Options.parse(args, Set.of("config"), Set.of()).positionalCount(0, 0, "");
        GatewayConfig config;
        try {
            config = ConfigLoader.load(Path.of(o.value("config", DEFAULT_CONFIG)));
        } catch (ConfigException e) {
            err.println("gateway: " + e.getMessage());
            return CommandSet.USAGE;
        }
        Gateway gateway = startOrExplain(config, err);
        if (gateway == null) {
            return 1;
        }
        serveUntilStopped(gateway::close);
        return 0;
    }

    /** Starts the gateway; a port in use or a refused bind is explained, not stack-traced. */
    static Gateway startOrExplain(GatewayConfig config, PrintStream err) {
        try {
            return Gateway.start(config, new ProtocolConnector(), Clock.systemUTC());
        } catch (RuntimeException e) {
            if (isBindFailure(e)) {
                // Not a config error (exit 1, retried by systemd): the port may free up, the address come up.
                err.println("gateway: " + config.source() + ": cannot listen on " + config.bind() + ":" + config.port()
                        + " (" + BindAddress.notHere(config.bind()).orElse("port in use: another gateway running? "
                        + "set server.port or SERVER_PORT") + ")");
                return null;
            }
            throw e;
        }
    }

    static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** Blocks until SIGTERM/SIGINT, then runs {@code stop} (stop polling, end streams, stop the server). */
    static void serveUntilStopped(Runnable stop) throws InterruptedException {
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "gateway-shutdown"));
        forever.await();
    }
}
