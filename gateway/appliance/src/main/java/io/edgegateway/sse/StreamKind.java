package io.edgegateway.sse;

/**
 * The subscription endpoints and what each delivers: those of {@code /api/sse}, which also carry alerts and
 * notifications, and the W3C WoT streams of {@code /api/things}, which are bare: unnamed events whose data is the
 * value alone, everything else comments.
 */
enum StreamKind {
    /** {@code /api/sse}: the notification stream, {@code connected}, {@code notification}s and {@code alert}s. */
    NOTIFICATIONS("/api/sse", false, false, true),
    /** {@code /api/sse/meters}: named {@code data} and {@code meter-status} events of all (or chosen) meters. */
    METERS("/api/sse/meters", true, true, true),
    /** {@code /api/sse/meter-status/{meterNo}}: {@code meter-status} events of one meter. */
    METER_STATUS("/api/sse/meter-status", false, true, true),
    /** {@code /api/sse/real-time-data/{meterNo}}: unnamed reading events of one meter, for onmessage. */
    REAL_TIME_DATA("/api/sse/real-time-data", true, false, false),
    /** {@code /api/things/{meterNo}/properties/{name}} observed: the bare value of one point when it changed. */
    THING_PROPERTY("/api/things/properties", true, false, false, true),
    /** {@code /api/things/{meterNo}/events/alert}: the meter's alert states, bare. */
    THING_ALERT("/api/things/events/alert", false, false, false, true),
    /** {@code /api/things/{meterNo}/events/status}: the meter's status transitions, bare. */
    THING_STATUS("/api/things/events/status", false, true, false, true);

    private final String path;
    private final boolean readings;
    private final boolean statuses;
    private final boolean namedData;
    private final boolean bare;

    StreamKind(String path, boolean readings, boolean statuses, boolean namedData) {
        this(path, readings, statuses, namedData, false);
    }

    StreamKind(String path, boolean readings, boolean statuses, boolean namedData, boolean bare) {
        this.path = path;
        this.readings = readings;
        this.statuses = statuses;
        this.namedData = namedData;
        this.bare = bare;
    }

    String path() {
        return path;
    }

    boolean readings() {
        return readings;
    }

    boolean statuses() {
        return statuses;
    }

    /**
     * A WoT stream: WoT consumers hand every message to {@code onmessage} and parse its data against the
     * affordance's schema, so only values are events; the opening, heartbeats and notices are SSE comments.
     */
    boolean bare() {
        return bare;
    }

    /** Event name of readings: "data", or null (unnamed) on the real-time-data stream. */
    String dataEventName() {
        return namedData ? "data" : null;
    }
}
