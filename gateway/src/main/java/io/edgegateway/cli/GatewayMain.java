package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.logging.LogManager;

/** {@code bin/gateway}. */
public final class GatewayMain {

    private GatewayMain() {
    }

    static List<Command> commands() {
        return List.of(new CheckConfigCommand(), new PlanCommand(), new ProfilesCommand());
    }

    public static void main(String[] args) {
        configureLogging();
        int code = new CommandSet("bin/gateway",
                "Edge gateway: polls Modbus and DLMS meters and streams readings to dashboards over SSE.", commands())
                .run(args, System.out, System.err);
        if (code != 0 || !keepsRunning(args)) {
            System.exit(code);
        }
    }

    // run and demo return once their server is up; the JVM then lives on the server's threads.
    private static boolean keepsRunning(String[] args) {
        return args.length > 0 && (args[0].equals("run") || args[0].equals("demo"))
                && !List.of(args).contains("--help");
    }

    /** The jar's logging.properties unless the operator passed -Djava.util.logging.config.file. */
    static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = GatewayMain.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("gateway: cannot read built-in logging.properties: " + e.getMessage());
        }
    }
}
