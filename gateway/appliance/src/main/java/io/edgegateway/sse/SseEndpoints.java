package io.edgegateway.sse;

import io.edgegateway.config.SseConfig;
import io.edgegateway.encoding.Gzip;
import io.edgegateway.http.Caller;
import io.edgegateway.http.HeadRequests;
import io.edgegateway.http.JsonBody;
import io.edgegateway.http.JsonReply;
import io.edgegateway.http.Loopback;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.SubscriptionFilter;
import io.edgegateway.reading.ReadingJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes of {@code /api/sse}. Everything that can be refused (unknown meter or point, bad filter, too many
 * clients) is answered with a JSON error before any stream starts.
 */
public final class SseEndpoints implements HttpService {

    private static final Logger LOG = Logger.getLogger(SseEndpoints.class.getName());

    private final EventHub hub;
    private final ClientRegistry clients;
    private final Map<String, Set<String>> pointsByMeter;
    private final SseConfig settings;
    private final boolean tokensConfigured;
    private final Clock clock;

    /**
     * @param pointsByMeter every meter's point names, to validate {@code points=} filters
     */
    public SseEndpoints(EventHub hub, ClientRegistry clients, Map<String, Set<String>> pointsByMeter,
                        SseConfig settings, boolean tokensConfigured, Clock clock) {
        this.hub = hub;
        this.clients = clients;
        this.pointsByMeter = Map.copyOf(pointsByMeter);
        this.settings = settings;
        this.tokensConfigured = tokensConfigured;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/meters", (req, res) -> stream(req, res, StreamKind.METERS, null))
                .get("/meter-status/{meterNo}", (req, res) -> stream(req, res, StreamKind.METER_STATUS, meterNo(req)))
                .get("/real-time-data/{meterNo}", (req, res) -> stream(req, res, StreamKind.REAL_TIME_DATA, meterNo(req)))
                .get("/clients", this::clientStats)
                .post("/send", this::send);
    }

    private static void streamHeaders(ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        // Never reused once the stream ends: only the hang-up watch reads this connection from now on.
        res.header(HeaderNames.CONNECTION, "close");
        res.header(HeaderNames.VARY, "Accept-Encoding");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // nginx: do not buffer the stream
    }

    private static String meterNo(ServerRequest req) {
        return req.path().pathParameters().get("meterNo");
    }

    private void stream(ServerRequest req, ServerResponse res, StreamKind kind, String meterNo) {
        Set<String> meters;
        if (meterNo != null) {
            if (!hub.knows(meterNo)) {
                JsonReply.error(res, Status.NOT_FOUND_404, "unknown-meter", "no meter '" + meterNo + "' on this gateway");
                return;
            }
            meters = Set.of(meterNo);
        } else {
            meters = list(req, "meters");
            Set<String> unknown = new TreeSet<>(meters);
            unknown.removeAll(hub.meterNos());
            if (!unknown.isEmpty()) {
                JsonReply.error(res, Status.NOT_FOUND_404, "unknown-meter", "no meter " + unknown + " on this gateway");
                return;
            }
        }
        Set<String> points = list(req, "points");
        if (!points.isEmpty()) {
            Set<String> known = new TreeSet<>();
            pointsByMeter.forEach((m, ps) -> {
                if (meters.isEmpty() || meters.contains(m)) {
                    known.addAll(ps);
                }
            });
            Set<String> unknown = new TreeSet<>(points);
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                JsonReply.error(res, Status.BAD_REQUEST_400, "unknown-point",
                        "no point " + unknown + " on " + (meters.isEmpty() ? "any meter" : "meter(s) " + meters));
                return;
            }
        }
        String format = req.query().first("format").orElse("reading");
        if (!format.equals("reading") && !format.equals("typed")) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-format", "format must be 'reading' or 'typed'");
            return;
        }
        String changes = req.query().first("changes").orElse("all");
        if (!changes.equals("all") && !changes.equals("only")) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-changes", "changes must be 'all' or 'only'");
            return;
        }
        OptionalLong lastEventId = lastEventId(req);
        String tokenName = req.context().get(Caller.class).map(Caller::tokenName).orElse(null);
        String target = meterNo != null ? meterNo : (meters.isEmpty() ? null : String.join(",", new TreeSet<>(meters)));
        boolean gzip = settings.compression() == SseConfig.Compression.AUTO && Gzip.accepted(req);
        if (HeadRequests.isHead(req)) {
            streamHeaders(res); // what a GET would start with, without taking a client slot
            if (gzip) {
                res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            }
            res.send();
            return;
        }
        Optional<SseClient> admitted = clients.admit(tokenName, remote(req), kind, target,
                new StreamFormat(points, format.equals("typed"), changes.equals("only")));
        if (admitted.isEmpty()) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, settings.retry().toSeconds())));
            JsonReply.refuse(res, Status.SERVICE_UNAVAILABLE_503, "too-many-clients",
                    "the gateway serves at most " + clients.maxClients() + " streams; retry later");
            return;
        }
        SseClient client = admitted.get();
        SubscriptionFilter filter = new SubscriptionFilter(meters, points, kind.readings(), kind.statuses());
        String reason = "disconnected";
        HangUpWatch.Watch hangUp = null;
        boolean compressed = gzip && clients.claimCompression();
        try {
            streamHeaders(res);
            OutputStream out = compressed ? Gzip.stream(res, true) : res.outputStream();
            hangUp = clients.hangUpWatch().watch(client);
            // The attachment goes straight to the client, never into a local here: the snapshot in it must not
            // stay reachable for as long as the stream lasts (a thousand clients held 80 MB of it).
            reason = client.stream(out, hub.subscribe(filter, lastEventId, client), settings.heartbeat(),
                    settings.retry());
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINEST, "closing a finished stream", e);
            }
        } catch (IOException e) {
            reason = "disconnected"; // the response stream could not be opened: the client is gone
        } finally {
            if (compressed) {
                clients.releaseCompression();
            }
            if (hangUp != null) {
                hangUp.streamEnded();
            }
            client.subscription().ifPresent(hub::unsubscribe);
            clients.release(client, reason);
        }
    }

    private static Set<String> list(ServerRequest req, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : req.query().all(name, java.util.List::of)) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    // The header wins: EventSource sends it on reconnects; the query serves a page's first connect after a reload.
    private static OptionalLong lastEventId(ServerRequest req) {
        Optional<String> v = req.headers().first(HeaderNames.create("Last-Event-ID"))
                .or(() -> req.query().first("lastEventId").asOptional())
                .map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.of(-1); // not one of ours: the client gets the gap signal and a snapshot
        }
    }

    private static String remote(ServerRequest req) {
        SocketAddress a = req.remotePeer().address();
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : String.valueOf(a);
    }

    private void clientStats(ServerRequest req, ServerResponse res) {
        int limit;
        try {
            limit = Integer.parseInt(req.query().first("limit").orElse("100"));
        } catch (NumberFormatException e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-limit", "limit must be a number");
            return;
        }
        // Client addresses are for the gateway's operators; a dashboard's token sees counts and its peers' names.
        boolean details = !tokensConfigured || req.context().get(Caller.class).map(Caller::admin).orElse(false);
        JsonReply.send(req, res, Status.OK_200, clients.statsJson(Math.max(0, limit), details));
    }

    /**
     * {@code POST /api/sse/send}: {"message": "...", "token": "name" (optional), "data": {...} (optional)}
     * broadcasts a {@code notification} event, for testing dashboards. It reaches every dashboard, so it needs an
     * admin token; with no tokens configured only callers on this machine may use it.
     */
    private void send(ServerRequest req, ServerResponse res) {
        if (!tokensConfigured && !Loopback.from(req)) {
            JsonReply.error(res, Status.FORBIDDEN_403, "forbidden",
                    "without security.tokens configured, /api/sse/send is only allowed from this machine");
            return;
        }
        if (tokensConfigured && !req.context().get(Caller.class).map(Caller::admin).orElse(false)) {
            JsonReply.error(res, Status.FORBIDDEN_403, "forbidden",
                    "/api/sse/send needs a token with admin: true (it reaches every dashboard)");
            return;
        }
        JsonObject body;
        try {
            body = JsonBody.object(req.content().as(String.class));
        } catch (JsonBody.Refused e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-json", e.getMessage());
            return;
        }
        JsonValue message = body.get("message");
        if (message == null || message.getValueType() != JsonValue.ValueType.STRING) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-json", "\"message\" (a string) is required");
            return;
        }
        JsonValue target = body.get("token");
        if (target != null && target.getValueType() != JsonValue.ValueType.STRING) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-json", "\"token\" must be a token name (a string)");
            return;
        }
        String tokenName = target == null ? null : body.getString("token");
        JsonObjectBuilder event = Json.createObjectBuilder()
                .add("message", body.getString("message"))
                .add("timestamp", ReadingJson.timestamp(clock.instant()));
        if (body.containsKey("data")) {
            event.add("data", body.get("data"));
        }
        req.context().get(Caller.class).map(Caller::tokenName).ifPresent(from -> event.add("from", from));
        int delivered = clients.broadcast(event.build().toString(), tokenName);
        JsonReply.send(res, Status.OK_200, "{\"delivered\":" + delivered + "}");
    }
}
