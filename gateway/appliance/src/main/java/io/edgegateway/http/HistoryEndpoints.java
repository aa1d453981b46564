package io.edgegateway.http;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.encoding.Gzip;
import io.edgegateway.reading.Reading;
import io.edgegateway.point.Point;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.reading.ReadingCsv;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.store.Buckets;
import io.edgegateway.store.EventStore;
import io.edgegateway.store.StoreReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.stream.JsonGenerator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /api/meters/{meterNo}/history} (readings, raw or in time buckets, as JSON or CSV) and
 * {@code GET /api/meters/{meterNo}/status-history}, from the reading store. Answers stream from the file as they
 * are read, so a month of one-second readings never sits in memory. Everything that can be refused is refused with
 * a JSON error before the first byte of the answer.
 */
public final class HistoryEndpoints implements HttpService {

    private static final Logger LOG = Logger.getLogger(HistoryEndpoints.class.getName());
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final Duration DEFAULT_SPAN = Duration.ofHours(1);
    private static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    private static final Duration MAX_INTERVAL = Duration.ofDays(1);

    private final GatewayConfig config;
    private final EventStore store;
    private final Clock clock;

    public HistoryEndpoints(GatewayConfig config, EventStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{meterNo}/history", this::history).get("/{meterNo}/status-history", this::statusHistory)
                .get("/{meterNo}/load-profile/{obis}", this::loadProfile);
    }

    /** A request refused before any output, with the JSON error to send. */
    private static final class Refused extends Exception {
        final Status status;
        final String code;

        Refused(Status status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private record Range(Instant from, Instant to) {
    }

    private void history(ServerRequest req, ServerResponse res) {
        try {
            DeviceConfig device = device(req);
            Range range = range(req);
            Set<String> points = points(req, device);
            String format = format(req);
            Optional<String> interval = req.query().first("interval").asOptional();
            if (interval.isPresent()) {
                if (format.equals("csv")) {
                    throw new Refused(Status.BAD_REQUEST_400, "bad-format", "buckets (interval=) come as JSON only");
                }
                buckets(req, res, device, range, points, interval(interval.get()), limit(req, true),
                        cursor(req).map(c -> Instant.ofEpochMilli(c.ts())).orElse(range.from()));
            } else if (format.equals("csv")) {
                csv(req, res, device, range, points);
            } else {
                readings(req, res, device, range, points, format.equals("typed"), limit(req, false),
                        cursor(req).orElse(StoreReader.Cursor.START));
            }
        } catch (Refused r) {
            JsonReply.error(res, r.status, r.code, r.getMessage());
        }
    }

    private void readings(ServerRequest req, ServerResponse res, DeviceConfig device, Range range, Set<String> points,
                          boolean typed, int limit, StoreReader.Cursor after) throws Refused {
        try (StoreReader r = reader()) {
            streamJson(req, res, (w, g) -> {
                pageHead(g, device, range);
                g.writeStartArray("readings");
                Optional<StoreReader.Cursor> next = r.readings(device.meterNo(), range.from().toEpochMilli(),
                        range.to().toEpochMilli(), after, limit, (id, reading) -> {
                            ReadingJson.write(g, reading, points, typed, id);
                        });
                pageEnd(g, next.map(StoreReader.Cursor::encode));
            });
        }
    }

    private void buckets(ServerRequest req, ServerResponse res, DeviceConfig device, Range range, Set<String> points,
                         Duration interval, int limit, Instant start) throws Refused {
        long step = interval.toMillis();
        // Aligned to the interval from the range's start; a page is at most `limit` buckets.
        long from = Math.max(start.toEpochMilli(), range.from().toEpochMilli());
        long end = Math.min(range.to().toEpochMilli(), from + step * limit);
        boolean more = end < range.to().toEpochMilli();
        try (StoreReader r = reader()) {
            streamJson(req, res, (w, g) -> {
                pageHead(g, device, range);
                g.write("interval", intervalText(interval));
                g.writeStartArray("buckets");
                r.buckets(device.meterNo(), from, end, step, clock.millis(),
                        name -> points.isEmpty() || points.contains(name), (bucketStart, stats) -> {
                            g.writeStartObject();
                            g.write("start", ReadingJson.timestamp(Instant.ofEpochMilli(bucketStart)));
                            g.writeStartObject("points");
                            for (Map.Entry<String, Buckets.Stats> e : stats.entrySet()) {
                                Buckets.Stats s = e.getValue();
                                g.writeStartObject(e.getKey());
                                g.write("min", round(s.min()));
                                g.write("max", round(s.max()));
                                g.write("avg", round(s.avg()));
                                g.write("last", round(s.last()));
                                g.write("count", s.count());
                                g.writeEnd();
                            }
                            g.writeEnd();
                            g.writeEnd();
                        });
                pageEnd(g, more ? Optional.of(new StoreReader.Cursor(end, 0).encode()) : Optional.empty());
            });
        }
    }

    /** Opens a page's object: the meter and the range asked for. */
    private static void pageHead(JsonGenerator g, DeviceConfig device, Range range) {
        g.writeStartObject();
        g.write("meterNo", device.meterNo());
        g.write("from", ReadingJson.timestamp(range.from()));
        g.write("to", ReadingJson.timestamp(range.to()));
    }

    /** Closes the page's array and object, with the cursor of the next page or null on the last. */
    private static void pageEnd(JsonGenerator g, Optional<String> next) {
        g.writeEnd();
        if (next.isPresent()) {
            g.write("next", next.get());
        } else {
            g.writeNull("next");
        }
        g.writeEnd();
    }

    /** Averages to six significant digits: enough for any meter, and no 229.89999999999998 in a chart. */
    private static double round(double v) {
        return Double.isFinite(v) ? new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue() : 0;
    }

    private void csv(ServerRequest req, ServerResponse res, DeviceConfig device, Range range, Set<String> points)
            throws Refused {
        List<Point> columns = new ArrayList<>();
        for (Point p : device.points()) {
            if (points.isEmpty() || points.contains(p.name())) {
                columns.add(p);
            }
        }
        try (StoreReader r = reader()) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + device.meterNo() + "-"
                    + range.from().toString().replace(":", "") + ".csv\"");
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Gzip.stream(req, res),
                    StandardCharsets.UTF_8))) {
                w.write(ReadingCsv.header(columns));
                r.allReadings(device.meterNo(), range.from().toEpochMilli(), range.to().toEpochMilli(),
                        (id, reading) -> w.write(ReadingCsv.row(reading, columns)));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "CSV client went away", e);
        } catch (SQLException e) {
            LOG.warning("history of " + device.meterNo() + ": " + e.getMessage());
        }
    }

    /**
     * {@code GET /api/meters/{meterNo}/load-profile/{obis}?from=&to=&format=json|typed|csv&limit=&cursor=}: the
     * stored rows of one of the device's Profile Generics, by capture time (default: the last day).
     */
    private void loadProfile(ServerRequest req, ServerResponse res) {
        try {
            DeviceConfig device = device(req);
            String obisText = req.path().pathParameters().get("obis");
            ObisCode obis;
            try {
                obis = ObisCode.parse(obisText);
            } catch (IllegalArgumentException e) {
                throw new Refused(Status.BAD_REQUEST_400, "bad-obis", "an OBIS code is six numbers such as "
                        + "1.0.99.1.0.255, got '" + obisText + "'");
            }
            if (device.loadProfiles().stream().noneMatch(l -> l.obis().equals(obis))) {
                throw new Refused(Status.NOT_FOUND_404, "unknown-profile", "meter " + device.meterNo() + " reads no "
                        + "Profile Generic " + obis + " (load-profiles: " + String.join(", ", device.loadProfiles()
                        .stream().map(l -> l.obis().toString()).toList()) + ")");
            }
            Range range = range(req, Duration.ofDays(1));
            String format = format(req);
            int limit = format.equals("csv") ? MAX_LIMIT : limit(req, false);
            StoreReader.Cursor after = cursor(req).orElse(StoreReader.Cursor.START);
            String profile = obis.toString();
            if (format.equals("csv")) {
                entriesCsv(req, res, device, profile, range, limit);
                return;
            }
            boolean typed = format.equals("typed");
            try (StoreReader r = reader()) {
                streamJson(req, res, (w, g) -> {
                    pageHead(g, device, range);
                    g.write("profile", profile);
                    g.writeStartArray("rows");
                    Optional<StoreReader.Cursor> next = r.entries(device.meterNo(), profile, range.from(), range.to(),
                            after, limit, (id, entry) -> ReadingJson.writeEntry(g, entry, typed, "id", id));
                    pageEnd(g, next.map(StoreReader.Cursor::encode));
                });
            }
        } catch (Refused r) {
            JsonReply.error(res, r.status, r.code, r.getMessage());
        }
    }

    /** Up to {@link #MAX_LIMIT} rows, gathered first: the header names the columns the rows have. */
    private void entriesCsv(ServerRequest req, ServerResponse res, DeviceConfig device, String profile, Range range,
                            int limit) throws Refused {
        List<Reading> rows = new ArrayList<>();
        Map<String, Point> columns = new LinkedHashMap<>();
        Optional<StoreReader.Cursor> more;
        try (StoreReader r = reader()) {
            more = r.entries(device.meterNo(), profile, range.from(), range.to(), StoreReader.Cursor.START, limit,
                    (id, entry) -> {
                        rows.add(entry.reading());
                        entry.reading().values().values()
                                .forEach(e -> columns.putIfAbsent(e.point().name(), e.point()));
                    });
        } catch (IOException | SQLException e) {
            LOG.warning("load profile of " + device.meterNo() + ": " + e.getMessage());
            throw new Refused(Status.SERVICE_UNAVAILABLE_503, "store-unavailable", "the reading store cannot be read: "
                    + store.health().reason());
        }
        if (more.isPresent()) {
            // Never a silently cut file: a spreadsheet would look complete.
            throw new Refused(Status.BAD_REQUEST_400, "too-many-rows", "more than " + limit + " rows from "
                    + ReadingJson.timestamp(range.from()) + " to " + ReadingJson.timestamp(range.to())
                    + "; ask for a shorter range, or page through format=json");
        }
        List<Point> header = List.copyOf(columns.values());
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + device.meterNo() + "-" + profile + "-"
                + range.from().toString().replace(":", "") + ".csv\"");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Gzip.stream(req, res), StandardCharsets.UTF_8))) {
            w.write(ReadingCsv.header(header));
            for (Reading row : rows) {
                w.write(ReadingCsv.row(row, header));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "CSV client went away", e);
        }
    }

    private void statusHistory(ServerRequest req, ServerResponse res) {
        try {
            DeviceConfig device = device(req);
            Range range = range(req);
            int limit = limit(req, false);
            StoreReader.Cursor after = cursor(req).orElse(StoreReader.Cursor.START);
            try (StoreReader r = reader()) {
                streamJson(req, res, (w, g) -> {
                    pageHead(g, device, range);
                    g.writeStartArray("statuses");
                    Optional<StoreReader.Cursor> next = r.statuses(device.meterNo(), range.from().toEpochMilli(),
                            range.to().toEpochMilli(), after, limit, (id, at, s) -> {
                                g.writeStartObject();
                                g.write("id", id);
                                g.write("timestamp", ReadingJson.timestamp(at));
                                g.write("status", s.status().name());
                                if (s.lastSeen() == null) {
                                    g.writeNull("lastSeen");
                                } else {
                                    g.write("lastSeen", ReadingJson.timestamp(s.lastSeen()));
                                }
                                if (s.detail() != null) {
                                    g.write("reason", s.detail());
                                }
                                g.writeEnd();
                            });
                    pageEnd(g, next.map(StoreReader.Cursor::encode));
                });
            }
        } catch (Refused r) {
            JsonReply.error(res, r.status, r.code, r.getMessage());
        }
    }

    // ---- parameters ----------------------------------------------------------------------------------------

    private DeviceConfig device(ServerRequest req) throws Refused {
        String meterNo = req.path().pathParameters().get("meterNo");
        DeviceConfig d = config.device(meterNo).orElseThrow(() -> new Refused(Status.NOT_FOUND_404, "unknown-meter",
                "no meter '" + meterNo + "' on this gateway"));
        if (!store.config().enabled()) {
            throw new Refused(Status.SERVICE_UNAVAILABLE_503, "no-store",
                    "this gateway keeps no history (storage.enabled: false)");
        }
        return d;
    }

    private Range range(ServerRequest req) throws Refused {
        return range(req, DEFAULT_SPAN);
    }

    private Range range(ServerRequest req, Duration defaultSpan) throws Refused {
        Instant to = instant(req, "to").orElseGet(clock::instant);
        Instant from = instant(req, "from").orElse(to.minus(defaultSpan));
        if (!from.isBefore(to)) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-range", "from (" + ReadingJson.timestamp(from)
                    + ") must be before to (" + ReadingJson.timestamp(to) + ")");
        }
        return new Range(from, to);
    }

    private static Optional<Instant> instant(ServerRequest req, String name) throws Refused {
        Optional<String> v = req.query().first(name).asOptional();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v.get().trim()));
        } catch (DateTimeParseException e) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-time", name + " must be an ISO-8601 UTC time such as "
                    + "2026-12-01T10:00:00Z (milliseconds optional), got '" + v.get() + "'");
        }
    }

    private static String format(ServerRequest req) throws Refused {
        String format = req.query().first("format").orElse("json");
        if (!Set.of("json", "reading", "typed", "csv").contains(format)) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-format", "format must be json, typed or csv");
        }
        return format;
    }

    private static Set<String> points(ServerRequest req, DeviceConfig device) throws Refused {
        Set<String> out = new LinkedHashSet<>();
        for (String v : req.query().all("points", List::of)) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        Set<String> unknown = new TreeSet<>(out);
        device.points().forEach(p -> unknown.remove(p.name()));
        if (!unknown.isEmpty()) {
            throw new Refused(Status.BAD_REQUEST_400, "unknown-point", "no point " + unknown + " on meter "
                    + device.meterNo());
        }
        return out;
    }

    private static int limit(ServerRequest req, boolean buckets) throws Refused {
        Optional<String> v = req.query().first("limit").asOptional();
        if (v.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-limit", "limit must be a number, got '" + v.get() + "'");
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-limit", "limit must be 1.." + MAX_LIMIT + ", got " + n
                    + (buckets ? " (buckets per page)" : " (readings per page; follow next for more)"));
        }
        return n;
    }

    private static Optional<StoreReader.Cursor> cursor(ServerRequest req) throws Refused {
        Optional<String> v = req.query().first("cursor").asOptional();
        if (v.isEmpty() || v.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StoreReader.Cursor.decode(v.get().trim()));
        } catch (IllegalArgumentException e) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-cursor", "cursor must be a next value this gateway sent");
        }
    }

    private static Duration interval(String text) throws Refused {
        Duration d;
        try {
            d = ConfigNode.parseDuration(text);
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null || d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(MAX_INTERVAL) > 0
                || d.toMillis() % MIN_INTERVAL.toMillis() != 0) {
            throw new Refused(Status.BAD_REQUEST_400, "bad-interval", "interval must be whole minutes from 1m to 1d "
                    + "(1m, 5m, 15m, 1h, 1d), got '" + text + "'");
        }
        return d;
    }

    private static String intervalText(Duration d) {
        long m = d.toMinutes();
        return m % 1440 == 0 ? m / 1440 + "d" : m % 60 == 0 ? m / 60 + "h" : m + "m";
    }

    private StoreReader reader() throws Refused {
        try {
            return store.reader();
        } catch (SQLException e) {
            throw new Refused(Status.SERVICE_UNAVAILABLE_503, "store-unavailable", "the reading store cannot be read: "
                    + store.health().reason());
        }
    }

    @FunctionalInterface
    private interface JsonBody {
        void write(Writer w, JsonGenerator g) throws IOException, SQLException;
    }

    /** Sends 200 and a JSON document written as it is read; a failure midway ends the answer (the status is out). */
    private static void streamJson(ServerRequest req, ServerResponse res, JsonBody body) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Gzip.stream(req, res), StandardCharsets.UTF_8));
             JsonGenerator g = ReadingJson.generator(w)) {
            body.write(w, g);
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "history client went away", e);
        } catch (SQLException | RuntimeException e) {
            LOG.warning("history: reading the store failed midway: " + e);
        }
    }
}
