package io.edgegateway.sse;

/**
 * A stream-local event that is not part of the hub's history (notification, error): sent with the client's
 * current cursor as id and never replayed.
 */
record Notice(String event, String json) {
}
