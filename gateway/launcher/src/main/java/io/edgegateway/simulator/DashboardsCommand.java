package io.edgegateway.simulator;

import io.edgegateway.sim.swarm.DashboardSwarm;
import io.edgegateway.command.Options;
import io.edgegateway.command.Command;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code bin/simulator dashboards}: a swarm of SSE subscribers for load tests. */
public final class DashboardsCommand implements Command {

    @Override
    public String name() {
        return "dashboards";
    }

    @Override
    public String summary() {
        return "simulated HES dashboards: many SSE subscribers, with delivery figures";
    }

    @Override
    public String help() {
        return """
                bin/simulator dashboards --url URL [--clients N] [--ramp-up DURATION] [--hold DURATION] [--token T]
                  Opens N SSE streams to URL (default 100), spread over --ramp-up (default 10s), keeps them
                  open for --hold (default 60s), then prints connections, events/s and the latency from each
                  reading's poll timestamp to receipt (p50/p90/p99). Run it on the gateway's machine: both
                  sides must share a clock. The token may also come from GATEWAY_TOKEN.
                  Examples:
                    bin/simulator dashboards --url http://127.0.0.1:8080/api/sse/meters --clients 1000 --hold 60s
                    bin/simulator dashboards --url http://127.0.0.1:8080/api/sse/meter-status/62124022443 --clients 10000
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(args, Set.of("url", "clients", "ramp-up", "hold", "token"), Set.of())
                .positionalCount(0, 0, "");
        URI url = URI.create(o.required("url"));
        if (!"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("--url must be an http:// URL");
        }
        String token = o.value("token").orElse(System.getenv("GATEWAY_TOKEN"));
        DashboardSwarm.Settings s = new DashboardSwarm.Settings(url, o.integer("clients", 100, 1, 1_000_000),
                duration(o.value("ramp-up", "10s")), duration(o.value("hold", "60s")), token);
        out.println("opening " + s.clients() + " streams to " + url + " ...");
        out.println(new DashboardSwarm(s).run().describe());
        return 0;
    }

    static Duration duration(String text) {
        try {
            return io.edgegateway.profile.ConfigNode.parseDuration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 10s, 2m)");
        }
    }
}
