package io.edgegateway.push;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /health} and {@code /metrics} show of the push listener.
 *
 * @param state              DISABLED (no {@code dlms-push}), LISTENING, or CLOSED (not started yet, or stopped)
 * @param bind               where it listens
 * @param port               the bound port (the configured one, or the one picked for port 0)
 * @param openConnections    connections served now
 * @param connections        connections taken since start
 * @param connectionsRefused connections closed at once because max-connections were open
 * @param total              every push, from configured meters or not
 * @param meters             per configured meter: what could be told to be its (a push under an unknown system
 *                           title, or one too garbled to name its sender, is in {@code total} only)
 */
public record PushHealth(State state, String bind, int port, int openConnections, long connections,
                         long connectionsRefused, PushCounts total, List<MeterPushes> meters) {

    public enum State { DISABLED, LISTENING, CLOSED }

    /** One configured meter's pushes; its system title is sent in clear by the meter and is no secret. */
    public record MeterPushes(String meterNo, String systemTitle, PushCounts counts) {
    }

    public static final PushHealth DISABLED = new PushHealth(State.DISABLED, "", 0, 0, 0, 0,
            new PushCounts(0, Map.of(), Optional.empty()), List.of());

    public PushHealth {
        meters = List.copyOf(meters);
    }
}
