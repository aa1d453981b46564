package io.edgegateway.http;

import java.util.Map;

/** What {@code /health} and {@code /metrics} show of the streaming clients; the SSE registry provides it. */
public interface StreamStats {

    /** Clients connected now. */
    int connected();

    /** Events written to clients since start. */
    long eventsSent();

    /** Connections refused at the client limit since start. */
    long refused();

    /** Streams being gzipped now. */
    int compressedStreams();

    /** Clients cut off since start, by reason ("slow", "stalled"). */
    Map<String, Long> dropped();
}
