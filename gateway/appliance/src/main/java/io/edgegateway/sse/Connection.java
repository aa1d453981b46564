package io.edgegateway.sse;

import java.time.Instant;

/**
 * Who is connected to an SSE stream and to what: what the client list, the log and the stream's
 * {@code connected} event say of a client.
 *
 * @param tokenName the access token's name, or null when the gateway has no tokens
 * @param target    the meter or bus of a per-meter or per-bus stream, or null
 * @param audience  whose stream it is, for targeted notifications
 */
record Connection(long id, String tokenName, String remote, StreamKind kind, String target, Audience audience,
                  Instant connectedAt) {
}
