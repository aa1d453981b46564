package io.edgegateway.app;

import io.edgegateway.alert.AlertBook;
import io.edgegateway.alert.AlertWatch;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.BindAddress;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.http.AccessGuard;
import io.edgegateway.http.AlertEndpoints;
import io.edgegateway.http.CorsPolicy;
import io.edgegateway.http.JsonReply;
import io.edgegateway.http.ConnectionClose;
import io.edgegateway.http.HeadRequests;
import io.edgegateway.http.HistoryEndpoints;
import io.edgegateway.http.MeterEndpoints;
import io.edgegateway.http.OpsEndpoints;
import io.edgegateway.http.WriteEndpoints;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.poll.BusStats;
import io.edgegateway.push.PushHealth;
import io.edgegateway.sse.ClientRegistry;
import io.edgegateway.store.EventStore;
import io.edgegateway.sse.SseEndpoints;
import io.edgegateway.sse.ThingStreams;
import io.edgegateway.uplink.UplinkHealth;
import io.edgegateway.web.Dashboard;
import io.edgegateway.wot.ThingEndpoints;
import io.edgegateway.write.PointWriter;
import io.edgegateway.write.WriteOutcome;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;

import java.io.UncheckedIOException;
import java.net.BindException;
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

    /**
     * Response stream buffer per connection: none. Most connections are idle SSE streams, and with thousands of
     * them every buffer counts; a stream joins each batch of events into one write itself (SseClient), the long
     * bodies go through an 8 KB writer or gzip's 1 KB buffer, and the others are sent whole.
     */
    private static final int WRITE_BUFFER = 0;

    private ApiServer() {
    }

    /**
     * What the routes serve.
     *
     * @param buses the buses' statistics, read at each request (buses are still being added at start)
     * @param push  the DLMS push listener's counters (it starts after the server)
     * @param alerts the alert rules and their alerts
     * @param writer writes points (the REST route and the WoT forms, {@code Gateway.writer()})
     */
    public record Services(GatewayConfig config, EventHub hub, ClientRegistry clients, Supplier<List<BusStats>> buses,
                           EventStore store, Supplier<UplinkHealth> uplink, Supplier<PushHealth> push, Clock clock,
                           AlertWatch alerts, PointWriter writer) {

        /**
         * Without alert rules (a watch that is never started: it answers, and raises nothing) and without writes
         * (every write is refused, 503 {@code no-writer}, and audited nowhere).
         */
        public Services(GatewayConfig config, EventHub hub, ClientRegistry clients, Supplier<List<BusStats>> buses,
                        EventStore store, Supplier<UplinkHealth> uplink, Supplier<PushHealth> push, Clock clock) {
            this(config, hub, clients, buses, store, uplink, push, clock, new AlertWatch(List.of(), List.of(), hub,
                    AlertBook.NONE, ConfigLoader.alertRules(config.profiles(), config.devices()), clock),
                    (token, meterNo, point, value) ->
                            new WriteOutcome.Refused(503, "no-writer", "this server does not write to devices"));
        }

        /** Without DLMS push. */
        public Services(GatewayConfig config, EventHub hub, ClientRegistry clients, Supplier<List<BusStats>> buses,
                        EventStore store, Supplier<UplinkHealth> uplink, Clock clock) {
            this(config, hub, clients, buses, store, uplink, () -> PushHealth.DISABLED, clock);
        }

        /** Without an uplink. */
        public Services(GatewayConfig config, EventHub hub, ClientRegistry clients, Supplier<List<BusStats>> buses,
                        EventStore store, Clock clock) {
            this(config, hub, clients, buses, store, () -> UplinkHealth.DISABLED, clock);
        }
    }

    /**
     * Every route, with CORS and access tokens in front of them. Its own method, as in Helidon's SE quickstart, so
     * that a test can serve the same routing on a server of its own.
     */
    public static void routing(HttpRouting.Builder routing, Services s) {
        routing(routing, s, new HeadRequests());
    }

    private static void routing(HttpRouting.Builder routing, Services s, HeadRequests head) {
        GatewayConfig config = s.config();
        Map<String, Set<String>> pointsByMeter = new LinkedHashMap<>();
        for (DeviceConfig d : config.devices()) {
            Set<String> names = new LinkedHashSet<>();
            d.points().stream().map(Point::name).forEach(names::add);
            pointsByMeter.put(d.meterNo(), names);
        }
        SseEndpoints sse = new SseEndpoints(s.hub(), s.clients(), pointsByMeter, config.sse(),
                !config.tokens().isEmpty(), s.clock());
        WriteEndpoints writes = new WriteEndpoints(s.writer(), s.store(), !config.tokens().isEmpty(), s.clock(),
                pointsByMeter.keySet());
        routing.addFilter(new ConnectionClose())
                .addFilter(head)
                .addFilter(new CorsPolicy(config.allowedOrigins()))
                .addFilter(new AccessGuard(config.tokens()))
                .register("/api/sse", sse)
                .register("/api/meters", new MeterEndpoints(config, s.hub(), s.buses()),
                        new HistoryEndpoints(config, s.store(), s.clock()), writes.points())
                .register("/api/audit", writes.audit())
                .register("/api/session", writes.session())
                .register("/api/things", new ThingEndpoints(config, s.hub(), new ThingStreams(sse), s.writer()))
                .register("/api/alerts", new AlertEndpoints(s.alerts(), pointsByMeter.keySet(),
                        !config.tokens().isEmpty()))
                .register(new OpsEndpoints(s.buses(), s.hub(), s.clients(), s.store()::health, s.uplink(), s.push(),
                        s.clock()))
                .register(new Dashboard())
                .any((req, res) -> JsonReply.error(res, Status.NOT_FOUND_404, "not-found", "no such endpoint; the API"
                        + " is under /api/sse, /api/meters, /api/alerts, /api/things, /api/audit, /api/session,"
                        + " /health and /metrics, the"
                        + " dashboard at /"));
    }

    /** Starts the server on {@code server.bind}:{@code server.port}; a port that cannot be bound throws. */
    public static WebServer start(Services s) {
        GatewayConfig config = s.config();
        HeadRequests head = new HeadRequests();
        WebServer server = WebServer.builder()
                .host(config.bind())
                .port(config.port())
                .maxPayloadSize(64 * 1024)
                .writeBufferSize(WRITE_BUFFER)
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .addProtocol(Http1Config.builder()
                        .addReceiveListener(s.clients().connectionListener())
                        .addSendListener(head)
                        .build())
                .routing(r -> routing(r, s, head))
                .build()
                .start();
        // Helidon logs a failed bind and returns a stopped server instead of throwing: a gateway that carried on
        // would poll meters while serving nothing, and systemd would see it running.
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            String why = BindAddress.notHere(config.bind()).orElse("address in use, or not an address of this machine");
            throw new UncheckedIOException(new BindException(config.source() + ": cannot listen on " + config.bind()
                    + ":" + config.port() + " (" + why + ")"));
        }
        return server;
    }
}
