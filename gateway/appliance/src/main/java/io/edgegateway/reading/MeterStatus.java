package io.edgegateway.reading;

/** Connection status of a meter as dashboards see it. */
public enum MeterStatus {
    /** The last poll answered with usable values. */
    CONNECTED,
    /** No answer: transport down, timeout, meter unplugged. Also the state before the first poll. */
    DISCONNECTED,
    /** The meter answers, but with exception codes or data that cannot be decoded. */
    ERROR
}
