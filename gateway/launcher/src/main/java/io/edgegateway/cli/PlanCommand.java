package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.profile.RequestLimits;
import io.edgegateway.modbus.plan.ReadPlan;
import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.point.Point;
import io.edgegateway.poll.PollGroup;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.Protocol;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code bin/gateway plan}: shows the Modbus requests a profile or a configured device is read with. */
final class PlanCommand implements Command {

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public String summary() {
        return "print the Modbus read plan of a profile or of configured devices";
    }

    @Override
    public String help() {
        return """
                bin/gateway plan --profile NAME [--profiles DIR] [--max-registers N] [--max-gap N]
                bin/gateway plan --config FILE [--meter METER_NO]
                  Prints the requests that read all points, each with its points, and how many requests one
                  request per point would take. With --config, plans each Modbus device (or one) with its
                  own limits and poll groups.
                  Examples:
                    bin/gateway plan --profile sdm630
                    bin/gateway plan --profile em24 --max-registers 40
                    bin/gateway plan --config /etc/gateway/gateway.yaml --meter 62124022443
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options o = Options.parse(args, Set.of("profile", "profiles", "max-registers", "max-gap", "config", "meter"),
                Set.of()).positionalCount(0, 0, "");
        try {
            if (o.has("config")) {
                return planConfig(o, out);
            }
            DeviceProfile p = ProfilesCommand.catalog(o).find(o.required("profile"))
                    .orElseThrow(() -> new IllegalArgumentException("unknown profile '" + o.required("profile")
                            + "' (known: " + String.join(", ", ProfilesCommand.catalog(o).names()) + ")"));
            if (p.protocol() != Protocol.MODBUS) {
                throw new IllegalArgumentException("profile " + p.name() + " is " + p.protocol().configName()
                        + "; plans are for Modbus profiles");
            }
            RequestLimits limits = p.limits()
                    .withMaxRegisters(o.integer("max-registers", p.limits().maxRegisters(), 1, 125))
                    .withMaxGap(o.integer("max-gap", p.limits().maxGap(), 0, 124));
            out.println("profile " + p.name() + " (" + p.description() + "), max " + limits.maxRegisters()
                    + " registers per request, gaps up to " + limits.maxGap());
            print(p.points(), limits, out);
            return 0;
        } catch (ConfigException e) {
            err.println("gateway: " + e.getMessage());
            return CommandSet.USAGE;
        }
    }

    private int planConfig(Options o, PrintStream out) {
        GatewayConfig c = ConfigLoader.load(Path.of(o.required("config")));
        List<DeviceConfig> devices = o.value("meter").map(m -> List.of(c.device(m).orElseThrow(
                () -> new IllegalArgumentException("no meter '" + m + "' in " + c.source())))).orElse(c.devices());
        for (DeviceConfig d : devices) {
            if (c.bus(d.bus()).orElseThrow().type().protocol() != Protocol.MODBUS) {
                out.println("meter " + d.meterNo() + ": DLMS, read by COSEM attribute, no register plan\n");
                continue;
            }
            for (PollGroup g : d.pollGroups()) {
                out.println("meter " + d.meterNo() + " on " + d.bus() + " unit " + d.unitId() + ", every "
                        + g.interval().toMillis() + " ms:");
                print(g.points(), d.limits(), out);
            }
        }
        return 0;
    }

    private static void print(List<Point> points, RequestLimits limits, PrintStream out) {
        ReadPlan plan = new ReadPlanner(limits).plan(points);
        out.print(plan.describe());
        out.println("one request per point would take " + ReadPlanner.onePerPoint(points).requests().size()
                + " requests\n");
    }
}
