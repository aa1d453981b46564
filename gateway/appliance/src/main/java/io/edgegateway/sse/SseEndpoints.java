package io.edgegateway.sse;

import io.edgegateway.config.SseConfig;
import io.edgegateway.encoding.Gzip;
import io.edgegateway.http.AdminOnly;
import io.edgegateway.http.Caller;
import io.edgegateway.http.HeadRequests;
import io.edgegateway.http.JsonBody;
import io.edgegateway.http.JsonReply;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes of {@code /api/sse}. Everything that can be refused (unknown meter or point, bad filter, too many
 * clients) is answered with a JSON error before any stream starts.
 */
public final class SseEndpoints implements HttpService {

    private static final Logger LOG = Logger.getLogger(SseEndpoints.class.getName());
    /** Query parameters of {@code /api/sse} that say something else than the client's metadata. */
    private static final Set<String> NOT_METADATA = Set.of("userId", "sessionId", "access_token", "lastEventId");
    private static final int MAX_METADATA = 16;
    /** The largest {@code data} a notification may carry, as JSON text. */
    static final int MAX_NOTIFICATION_BYTES = 16 * 1024;
    /**
     * Event names the gateway's own events use, and those EventSource gives its own handlers ({@code message} goes
     * to {@code onmessage}, where real-time-data readings arrive): a notification may not pass itself off as one.
     */
    private static final Set<String> RESERVED_EVENTS = Set.of("connected", "heartbeat", "error", "data",
            "meter-status", "interval-data", "meter-event", "alert", "message", "open");
    private static final java.util.regex.Pattern EVENT_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

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
        rules.get("/", (req, res) -> stream(req, res, StreamKind.NOTIFICATIONS, null))
                .get("/meters", (req, res) -> stream(req, res, StreamKind.METERS, null))
                .get("/meter-status/{meterNo}", (req, res) -> stream(req, res, StreamKind.METER_STATUS, meterNo(req)))
                .get("/real-time-data/{meterNo}", (req, res) -> stream(req, res, StreamKind.REAL_TIME_DATA, meterNo(req)))
                .get("/clients", this::clientStats)
                .post("/send", this::send)
                .post("/test", this::send); // the name some dashboards call it by
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
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        Optional<Audience> audience = audience(req, res, kind, caller);
        if (audience.isEmpty()) {
            return;
        }
        Set<String> meters;
        if (kind == StreamKind.NOTIFICATIONS) {
            meters = Set.of(); // alerts of every meter; the query is the client's metadata, not a filter
        } else if (meterNo != null) {
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
        Set<String> points = kind == StreamKind.NOTIFICATIONS ? Set.of() : list(req, "points");
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
        String format = kind == StreamKind.NOTIFICATIONS ? "reading" : req.query().first("format").orElse("reading");
        if (!format.equals("reading") && !format.equals("typed")) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-format", "format must be 'reading' or 'typed'");
            return;
        }
        String changes = kind == StreamKind.NOTIFICATIONS ? "all" : req.query().first("changes").orElse("all");
        if (!changes.equals("all") && !changes.equals("only")) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-changes", "changes must be 'all' or 'only'");
            return;
        }
        String target = meterNo != null ? meterNo : (meters.isEmpty() ? null : String.join(",", new TreeSet<>(meters)));
        open(req, res, kind, target, audience.get(),
                new StreamFormat(points, format.equals("typed"), changes.equals("only")),
                new SubscriptionFilter(meters, points, kind.readings(), kind.statuses(), true));
    }

    /**
     * Admits a client to a stream whose request was checked, and writes the stream until it ends: HEAD answered
     * with the stream's headers, 503 beyond the client limit, resume from Last-Event-ID.
     *
     * @param target   the meter (or meters, or point) the stream is about, for the client list; null for all
     * @param audience whose stream it is, for targeted notifications
     */
    void open(ServerRequest req, ServerResponse res, StreamKind kind, String target, Audience audience,
              StreamFormat format, SubscriptionFilter filter) {
        OptionalLong lastEventId = lastEventId(req);
        String tokenName = req.context().get(Caller.class).map(Caller::tokenName).orElse(null);
        boolean gzip = settings.compression() == SseConfig.Compression.AUTO && Gzip.accepted(req);
        if (HeadRequests.isHead(req)) {
            streamHeaders(res); // what a GET would start with, without taking a client slot
            if (gzip) {
                res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            }
            res.send();
            return;
        }
        Optional<SseClient> admitted = clients.admit(tokenName, remote(req), kind, target, audience, format);
        if (admitted.isEmpty()) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, settings.retry().toSeconds())));
            JsonReply.refuse(res, Status.SERVICE_UNAVAILABLE_503, "too-many-clients",
                    "the gateway serves at most " + clients.maxClients() + " streams; retry later");
            return;
        }
        SseClient client = admitted.get();
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

    /**
     * Whose stream this is. On {@code /api/sse}, {@code userId} defaults to the token's name, a token with a
     * {@code user} may only be that user, and the other query parameters are the client's metadata; the reading
     * streams belong to the token's user. Empty when refused (the answer is sent).
     */
    private static Optional<Audience> audience(ServerRequest req, ServerResponse res, StreamKind kind, Caller caller) {
        String own = caller.user() != null ? caller.user() : caller.tokenName();
        if (kind != StreamKind.NOTIFICATIONS) {
            return Optional.of(ownAudience(req));
        }
        Optional<String> asked = req.query().first("userId").asOptional().map(String::strip).filter(v -> !v.isEmpty());
        if (caller.user() != null && asked.isPresent() && !asked.get().equals(caller.user())) {
            JsonReply.error(res, Status.FORBIDDEN_403, "forbidden-user", "this token may only subscribe as its own "
                    + "user; leave userId out, or give the token's own");
            return Optional.empty();
        }
        Map<String, String> metadata = new TreeMap<>();
        for (String name : req.query().names()) {
            if (!NOT_METADATA.contains(name)) {
                metadata.put(name, req.query().first(name).orElse(""));
            }
        }
        String bad = metadata.size() > MAX_METADATA ? "at most " + MAX_METADATA + " metadata parameters"
                : metadata.entrySet().stream().filter(e -> e.getKey().length() > 64 || e.getValue().length() > 256)
                .map(e -> "metadata '" + e.getKey().substring(0, Math.min(64, e.getKey().length()))
                        + "' is too long (names up to 64 characters, values up to 256)").findFirst().orElse(null);
        if (bad != null) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-metadata", bad);
            return Optional.empty();
        }
        String session = req.query().first("sessionId").asOptional().map(String::strip).filter(v -> !v.isEmpty())
                .orElse(null);
        return Optional.of(new Audience(asked.orElse(own), session, metadata));
    }

    /** The audience of a stream that takes no metadata: the token's user (or name). */
    static Audience ownAudience(ServerRequest req) {
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        return new Audience(caller.user() != null ? caller.user() : caller.tokenName(), null, Map.of());
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
        Set<Long> ids = new java.util.HashSet<>();
        try {
            limit = Integer.parseInt(req.query().first("limit").orElse("100"));
            for (String id : list(req, "clientIds")) {
                ids.add(Long.parseLong(id));
            }
        } catch (NumberFormatException e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-limit", "limit and clientIds must be numbers");
            return;
        }
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        // Client addresses and metadata are for the gateway's operators; a dashboard's token sees counts and names.
        boolean details = !tokensConfigured || caller.admin();
        String user = req.query().first("userId").orElse(null);
        if (caller.user() != null && !caller.admin()) {
            if (user != null && !user.equals(caller.user())) {
                JsonReply.error(res, Status.FORBIDDEN_403, "forbidden-user",
                        "this token may only see its own user's clients");
                return;
            }
            user = caller.user();
        }
        NoticeTarget filter = new NoticeTarget(user, req.query().first("sessionId").orElse(null), Map.of(), null);
        // Sessions are as private as addresses: operators see them, and a restricted token its own (it sees no other).
        boolean sessions = details || caller.user() != null;
        JsonReply.send(req, res, Status.OK_200, clients.statsJson(Math.max(0, limit), details, sessions, filter,
                ids));
    }

    /**
     * {@code POST /api/sse/send} (and {@code /api/sse/test}):
     * {@code {"userId"?, "sessionId"?, "metadata"?: {...}, "event"?: "notification", "data": ...}} sends an event
     * to the clients that match every criterion given, or to all. The older form
     * {@code {"message": "...", "token"?: "name", "data"?: {...}}} still works. It can reach every dashboard, so
     * it needs an admin token; with no tokens configured only callers on this machine may use it.
     */
    private void send(ServerRequest req, ServerResponse res) {
        // It can reach every dashboard.
        if (AdminOnly.refuses(req, res, tokensConfigured, "/api/sse/send")) {
            return;
        }
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        Optional<JsonObject> read = JsonBody.of(req, res);
        if (read.isEmpty()) {
            return;
        }
        JsonObject body = read.get();
        Notice notice;
        NoticeTarget target;
        try {
            target = new NoticeTarget(optionalString(body, "userId"), optionalString(body, "sessionId"),
                    metadata(body), optionalString(body, "token"));
            String event = Optional.ofNullable(optionalString(body, "event")).orElse("notification");
            if (!EVENT_NAME.matcher(event).matches()) {
                throw new IllegalArgumentException("\"event\" must be 1 to 64 letters, digits and _ . : - "
                        + "(starting with a letter or digit)");
            }
            if (RESERVED_EVENTS.contains(event)) {
                throw new IllegalArgumentException("\"event\" '" + event + "' is one of the gateway's own events "
                        + RESERVED_EVENTS + "; use notification or a name of your own");
            }
            if (target.sessionId() != null && target.userId() == null) {
                // A session belongs to a user: a session alone would reach whoever claims that session id.
                throw new IllegalArgumentException("\"sessionId\" targets one session of a user: give \"userId\" too");
            }
            String json = body.containsKey("message") ? legacy(body, caller) : data(body);
            int bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_NOTIFICATION_BYTES) {
                throw new IllegalArgumentException("\"data\" is " + bytes + " bytes of JSON; at most "
                        + MAX_NOTIFICATION_BYTES + " are sent");
            }
            notice = new Notice(event, json);
        } catch (IllegalArgumentException e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-json", e.getMessage());
            return;
        }
        int delivered = clients.send(notice, target);
        JsonReply.send(res, Status.OK_200, "{\"delivered\":" + delivered + "}");
    }

    private static String optionalString(JsonObject body, String key) {
        JsonValue v = body.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string");
        }
        return body.getString(key);
    }

    private static Map<String, String> metadata(JsonObject body) {
        JsonValue v = body.get("metadata");
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return Map.of();
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException("\"metadata\" must be an object of strings, e.g. {\"role\":\"admin\"}");
        }
        Map<String, String> out = new TreeMap<>();
        v.asJsonObject().forEach((k, x) -> {
            if (x.getValueType() != JsonValue.ValueType.STRING) {
                throw new IllegalArgumentException("\"metadata\".\"" + k + "\" must be a string (query parameters"
                        + " are strings)");
            }
            out.put(k, ((jakarta.json.JsonString) x).getString());
        });
        return out;
    }

    // The data as given, so a dashboard's listener gets exactly what the sender wrote.
    private static String data(JsonObject body) {
        JsonValue data = body.get("data");
        if (data == null) {
            throw new IllegalArgumentException("\"data\" is required (or \"message\", the older form)");
        }
        return data.toString();
    }

    private String legacy(JsonObject body, Caller caller) {
        if (body.get("message").getValueType() != JsonValue.ValueType.STRING) {
            throw new IllegalArgumentException("\"message\" must be a string");
        }
        JsonObjectBuilder event = Json.createObjectBuilder()
                .add("message", body.getString("message"))
                .add("timestamp", ReadingJson.timestamp(clock.instant()));
        if (body.containsKey("data")) {
            event.add("data", body.get("data"));
        }
        if (caller.tokenName() != null) {
            event.add("from", caller.tokenName());
        }
        return event.build().toString();
    }
}
