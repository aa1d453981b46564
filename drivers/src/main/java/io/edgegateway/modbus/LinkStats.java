package io.edgegateway.modbus;

/**
 * Counters of one {@link ModbusClient} since it was made, for status pages and benchmarks.
 *
 * @param requests             requests sent
 * @param answers              valid answers with data
 * @param rejected             exception responses (the device said no)
 * @param noResponse           requests that got no (whole) answer in time
 * @param badResponse          answers that failed validation: CRC, length, unit id, function, transaction id
 * @param linkDown             connects that failed and connections lost mid-request
 * @param connects             connections (or port opens) made
 * @param lateRepliesDiscarded answers that came after their request had timed out, recognised by their
 *                             transaction id and dropped (Modbus TCP)
 */
public record LinkStats(long requests, long answers, long rejected, long noResponse, long badResponse, long linkDown,
                        long connects, long lateRepliesDiscarded) {
}
