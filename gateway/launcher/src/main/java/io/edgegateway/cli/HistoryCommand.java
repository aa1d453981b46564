package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.point.Point;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.reading.ReadingCsv;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.store.StoreReader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
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

/** {@code bin/gateway history METER}: a meter's stored readings, straight from the store file. */
final class HistoryCommand implements Command {

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String summary() {
        return "print a meter's stored readings or status changes (JSON lines or CSV), service running or not";
    }

    @Override
    public String help() {
        return """
                bin/gateway history METER [--config FILE | --db FILE] [--from TIME] [--to TIME]
                                          [--points NAME,NAME] [--csv] [--status]
                  Reads the reading store directly (the service may be running or stopped) and prints the
                  meter's readings oldest first: one documented JSON reading per line with its event id, or
                  CSV with --csv (a header with units, plain numbers). --status prints status changes instead.
                  --config FILE   the gateway's config, for the store's path and the points' order
                                  (default %s)
                  --db FILE       a store file, without a config (e.g. a copy, or one moved aside)
                  --from, --to    ISO-8601 UTC times, e.g. 2026-12-01T03:00:00Z; default the last hour
                  --points        only these points (display names, comma-separated)
                  Examples:
                    bin/gateway history 62124022443 --from 2026-12-01T03:00:00Z --to 2026-12-01T04:00:00Z
                    bin/gateway history 62124022443 --points "L1 Voltage,Frequency" --csv > day.csv
                    bin/gateway history 62124022443 --status --from 2026-11-30T00:00:00Z
                """.formatted(RunCommand.DEFAULT_CONFIG);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(args, Set.of("config", "db", "from", "to", "points"), Set.of("csv", "status"))
                .positionalCount(1, 1, "the meter number");
        String meterNo = o.positional().get(0);
        if (o.has("config") && o.has("db")) {
            throw new IllegalArgumentException("give --config or --db, not both");
        }
        if (o.has("csv") && o.has("status")) {
            throw new IllegalArgumentException("--csv is for readings; status changes print as JSON lines");
        }
        Instant to = time(o, "to").orElseGet(Instant::now);
        Instant from = time(o, "from").orElse(to.minus(Duration.ofHours(1)));
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
        Path db;
        Map<String, List<Point>> configured = new LinkedHashMap<>();
        if (o.has("db")) {
            db = Path.of(o.required("db"));
        } else {
            GatewayConfig c;
            try {
                c = ConfigLoader.load(Path.of(o.value("config", RunCommand.DEFAULT_CONFIG)));
            } catch (ConfigException e) {
                err.println("gateway history: " + e.getMessage());
                return CommandSet.USAGE;
            }
            if (!c.storage().enabled()) {
                err.println("gateway history: " + c.source() + " has storage.enabled: false; nothing is kept");
                return 1;
            }
            db = c.storage().path();
            c.devices().forEach(d -> configured.put(d.meterNo(), d.points()));
        }
        Set<String> points = new LinkedHashSet<>();
        o.value("points").ifPresent(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(points::add));
        try (StoreReader r = StoreReader.open(db, configured)) {
            if (!r.knows(meterNo)) {
                err.println("gateway history: no readings of meter '" + meterNo + "' in " + db);
                return 1;
            }
            long fromMs = from.toEpochMilli();
            long toMs = to.toEpochMilli();
            if (o.has("status")) {
                r.allStatuses(meterNo, fromMs, toMs, (id, at, s) ->
                        out.println("{\"id\":" + id + ",\"timestamp\":\"" + ReadingJson.timestamp(at) + "\","
                                + ReadingJson.status(s).substring(1)));
                return 0;
            }
            List<Point> columns = columns(meterNo, configured, points, r);
            if (o.has("csv")) {
                out.print(ReadingCsv.header(columns));
            }
            r.allReadings(meterNo, fromMs, toMs, (id, reading) -> {
                if (o.has("csv")) {
                    out.print(ReadingCsv.row(reading, columns));
                } else {
                    out.println(ReadingJson.reading(reading, points, id));
                }
            });
            return 0;
        } catch (SQLException e) {
            err.println("gateway history: cannot read " + db + ": " + e.getMessage());
            return 1;
        }
    }

    /** The CSV columns: the configured points (or, without a config, those in the file), in profile order. */
    private static List<Point> columns(String meterNo, Map<String, List<Point>> configured, Set<String> only,
                                       StoreReader r) throws SQLException {
        List<Point> all = configured.getOrDefault(meterNo, List.of());
        if (all.isEmpty()) {
            all = r.latest(meterNo).map(x -> x.values().values().stream().map(e -> e.point()).toList()).orElse(List.of());
        }
        Set<String> unknown = new TreeSet<>(only);
        List<Point> out = new ArrayList<>();
        for (Point p : all) {
            unknown.remove(p.name());
            if (only.isEmpty() || only.contains(p.name())) {
                out.add(p);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no point " + unknown + " on meter " + meterNo);
        }
        return out;
    }

    private static Optional<Instant> time(Options o, String name) {
        return o.value(name).map(v -> {
            try {
                return Instant.parse(v.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + name + " must be an ISO-8601 UTC time such as "
                        + "2026-12-01T03:00:00Z, got '" + v + "'");
            }
        });
    }
}
