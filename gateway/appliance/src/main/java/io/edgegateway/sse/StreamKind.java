package io.edgegateway.sse;

/** The subscription endpoints and what each delivers; every one of them also carries alerts and notifications. */
enum StreamKind {
    /** {@code /api/sse}: the notification stream, {@code connected}, {@code notification}s and {@code alert}s. */
    NOTIFICATIONS("/api/sse", false, false, true),
    /** {@code /api/sse/meters}: named {@code data} and {@code meter-status} events of all (or chosen) meters. */
    METERS("/api/sse/meters", true, true, true),
    /** {@code /api/sse/meter-status/{meterNo}}: {@code meter-status} events of one meter. */
    METER_STATUS("/api/sse/meter-status", false, true, true),
    /** {@code /api/sse/real-time-data/{meterNo}}: unnamed reading events of one meter, for onmessage. */
    REAL_TIME_DATA("/api/sse/real-time-data", true, false, false);

    private final String path;
    private final boolean readings;
    private final boolean statuses;
    private final boolean namedData;

    StreamKind(String path, boolean readings, boolean statuses, boolean namedData) {
        this.path = path;
        this.readings = readings;
        this.statuses = statuses;
        this.namedData = namedData;
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

    /** Event name of readings: "data", or null (unnamed) on the real-time-data stream. */
    String dataEventName() {
        return namedData ? "data" : null;
    }
}
