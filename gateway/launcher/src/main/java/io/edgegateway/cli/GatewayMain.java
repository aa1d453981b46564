package io.edgegateway.cli;

import io.edgegateway.app.JulLoggingProvider;
import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;

import java.util.List;

/** {@code bin/gateway}. */
public final class GatewayMain {

    private GatewayMain() {
    }

    static List<Command> commands() {
        return List.of(new RunCommand(), new DemoCommand(), new CheckConfigCommand(), new PlanCommand(),
                new ProfilesCommand(), new ScanCommand(), new ReadCommand(), new WriteCommand(),
                new HistoryCommand());
    }

    public static void main(String[] args) {
        JulLoggingProvider.configure();
        System.exit(commandSet().run(args, System.out, System.err));
    }

    static CommandSet commandSet() {
        return new CommandSet("bin/gateway",
                "Edge gateway: polls Modbus and DLMS meters and streams readings to dashboards over SSE.", commands());
    }
}
