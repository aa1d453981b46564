package io.edgegateway.uplink;

/**
 * What {@code /health} and {@code /metrics} show of the uplink.
 *
 * @param state        DISABLED (not configured), CONNECTING (first attempt), CONNECTED, DISCONNECTED (unreachable,
 *                     lost: retried), ERROR (refused: password, TLS; retried, but a person must act)
 * @param reason       why, when not CONNECTED
 * @param backlog      events published by the hub and not yet acknowledged by the broker
 * @param oldestUnsentSeconds age of the oldest of them; 0 when none
 * @param cursor       the id up to which every event was acknowledged (or needs no message)
 * @param gaps         ranges of events the broker will never get: the store could not keep them (a kill between
 *                     commits, a full disk), or they are older than it keeps; each counted once
 */
public record UplinkHealth(State state, String reason, String url, String format, long connects, long published,
                           long acknowledged, long failedPublishes, long backlog, double oldestUnsentSeconds,
                           long cursor, long gaps) {

    public enum State { DISABLED, CONNECTING, CONNECTED, DISCONNECTED, ERROR }

    public static final UplinkHealth DISABLED = new UplinkHealth(State.DISABLED, null, "", "", 0, 0, 0, 0, 0, 0, -1, 0);
}
