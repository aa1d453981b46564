package io.edgegateway.app;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.http.AccessGuard;
import io.edgegateway.http.CorsPolicy;
import io.edgegateway.http.JsonReply;
import io.edgegateway.http.MeterEndpoints;
import io.edgegateway.http.OpsEndpoints;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.poll.BusStats;
import io.edgegateway.sse.ClientRegistry;
import io.edgegateway.sse.SseEndpoints;
import io.edgegateway.web.Dashboard;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP server: CORS and access tokens on every request, then the SSE, REST and operations routes and the
 * web dashboard at {@code /}.
 * Listens only where the config says ({@code server.bind}, {@code server.port}).
 */
public final class ApiServer {

    private ApiServer() {
    }

    public static WebServer start(GatewayConfig config, EventHub hub, ClientRegistry clients,
                                  Supplier<List<BusStats>> stats, Clock clock) {
        Map<String, Set<String>> pointsByMeter = new LinkedHashMap<>();
        for (DeviceConfig d : config.devices()) {
            Set<String> names = new LinkedHashSet<>();
            d.points().stream().map(Point::name).forEach(names::add);
            pointsByMeter.put(d.meterNo(), names);
        }
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new CorsPolicy(config.allowedOrigins()))
                .addFilter(new AccessGuard(config.tokens()))
                .register("/api/sse", new SseEndpoints(hub, clients, pointsByMeter, config.sse(),
                        !config.tokens().isEmpty(), clock))
                .register("/api/meters", new MeterEndpoints(config, hub, stats))
                .register(new OpsEndpoints(stats, hub, clients, clock))
                .register(new Dashboard())
                .any((req, res) -> JsonReply.error(res, Status.NOT_FOUND_404, "not-found", "no such endpoint; the API"
                        + " is under /api/sse, /api/meters, /health and /metrics, the dashboard at /"));
        return WebServer.builder()
                .host(config.bind())
                .port(config.port())
                .maxPayloadSize(64 * 1024)
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .routing(routing)
                .build()
                .start();
    }
}
