package io.edgegateway.sse;

import java.util.Map;
import java.util.TreeMap;

/**
 * Whom a client's stream belongs to, for targeted notifications ({@code POST /api/sse/send}) and the client
 * statistics: its user, its session, and whatever else it said about itself in the query of {@code /api/sse}
 * (e.g. {@code role=admin}).
 *
 * @param userId    the user, never null on a stream opened with a token (the token's user or name by default)
 * @param sessionId the session, or null
 * @param metadata  the other query parameters of {@code /api/sse}; empty on the reading streams
 */
record Audience(String userId, String sessionId, Map<String, String> metadata) {

    static final Audience NOBODY = new Audience(null, null, Map.of());

    Audience {
        metadata = Map.copyOf(new TreeMap<>(metadata));
    }
}
