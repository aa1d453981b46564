package io.edgegateway.device;

/**
 * The connection several devices of one bus share (one Modbus link for every unit id on a line), closed with the
 * bus. Its counters belong to the line, not to any one device on it.
 */
public interface SharedLine extends AutoCloseable {

    /** Connections (or port opens) made since start. */
    long connects();

    /**
     * Answers that came after their request had timed out, recognised and dropped without reconnecting (Modbus TCP
     * transaction ids); 0 where the framing cannot tell.
     */
    long lateRepliesDiscarded();

    /** Transactions that may be in flight at once on it: above 1, its devices' reads may be sent ahead. */
    default int maxOutstanding() {
        return 1;
    }

    @Override
    void close();
}
