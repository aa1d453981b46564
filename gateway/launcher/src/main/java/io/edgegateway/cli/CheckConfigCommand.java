package io.edgegateway.cli;

import io.edgegateway.alert.AlertRule;
import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.config.BindAddress;
import io.edgegateway.config.BusConfig;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.StorageConfig;
import io.edgegateway.config.UplinkConfig;
import io.edgegateway.poll.PollGroup;
import io.edgegateway.profile.ConfigException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code bin/gateway check-config FILE}: validates without touching any device. */
final class CheckConfigCommand implements Command {

    @Override
    public String name() {
        return "check-config";
    }

    @Override
    public String summary() {
        return "validate a config file without touching any device";
    }

    @Override
    public String help() {
        return """
                bin/gateway check-config FILE
                  Reads FILE as the gateway would (environment overrides included) and prints what it
                  would poll. A bad file prints the file, the key and what is wrong, and exits with 2.
                  Example:
                    bin/gateway check-config /etc/gateway/gateway.yaml
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options o = Options.parse(args, Set.of(), Set.of()).positionalCount(1, 1, "config FILE");
        GatewayConfig config;
        try {
            config = ConfigLoader.load(Path.of(o.positional().get(0)));
        } catch (ConfigException e) {
            err.println("gateway: " + e.getMessage());
            return CommandSet.USAGE;
        }
        out.println(describe(config));
        // Not a refusal: on the target the interface may exist, or come up after boot.
        BindAddress.notHere(config.bind()).ifPresent(w -> out.println("  warning: " + w));
        config.uplink().flatMap(UplinkConfig::warning).ifPresent(w -> out.println("  warning: " + w));
        return 0;
    }

    static String describe(GatewayConfig c) {
        StringBuilder b = new StringBuilder();
        b.append(c.source()).append(": OK\n");
        b.append("  http   ").append(c.bind()).append(':').append(c.port())
                .append(c.tokens().isEmpty() ? "  (no access tokens)" : "  tokens: "
                        + c.tokens().stream().map(t -> t.name()).collect(Collectors.joining(", ")))
                .append('\n');
        b.append("  sse    heartbeat ").append(c.sse().heartbeat().toSeconds()).append(" s, max ")
                .append(c.sse().maxClients()).append(" clients, replay ").append(c.sse().replaySize()).append(" events\n");
        StorageConfig st = c.storage();
        b.append("  store  ").append(st.enabled() ? st.path() + (st.commitInterval().isZero() ? ", every event committed"
                : ", commit every " + millis(st.commitInterval().toMillis()))
                + ", keep " + st.retention().toDays() + " d, at most " + st.maxSize() / 1_000_000 + " MB"
                + ", audit trail at most " + st.auditMaxRows() + " rows"
                : "disabled (storage.enabled: false)").append('\n');
        for (AlertRule r : c.alerts()) {
            b.append("  alert  ").append(r.json()).append('\n');
        }
        c.uplink().ifPresent(u -> b.append("  uplink ").append(u.url()).append(" as ").append(u.format().configName())
                .append(u.format() == UplinkConfig.Format.JSON ? ", topics " + u.topicPrefix() + "/..."
                        : ", group " + u.groupId() + ", node " + c.gatewayId())
                .append(", client ").append(u.clientId())
                .append(u.username().isEmpty() ? "" : ", user " + u.username())
                .append(u.tls() ? u.trust().caFile().map(f -> ", CA " + f).orElse(", the JDK's CAs")
                        + u.trust().certFile().map(f -> ", client certificate " + f).orElse("") : "")
                .append(", QoS ").append(u.qos()).append(", drain ").append(u.drainRate()).append("/s\n"));
        for (BusConfig bus : c.buses()) {
            b.append("  bus    ").append(bus.name()).append(": ").append(bus.describe())
                    .append(", timeout ").append(bus.timeout().toMillis()).append(" ms")
                    .append(bus.maxOutstanding() > 1 ? ", " + bus.maxOutstanding() + " transactions in flight" : "")
                    .append('\n');
            for (DeviceConfig d : c.devicesOn(bus.name())) {
                b.append("    meter ").append(d.meterNo()).append(" unit ").append(d.unitId()).append(", ")
                        .append(d.profile().isEmpty() ? "inline points" : "profile " + d.profile()).append(", ")
                        .append(d.points().size()).append(" points");
                for (PollGroup g : d.pollGroups()) {
                    b.append(", ").append(g.points().size()).append(" every ").append(millis(g.interval().toMillis()));
                }
                b.append('\n');
            }
        }
        return b.toString().stripTrailing();
    }

    private static String millis(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }
}
