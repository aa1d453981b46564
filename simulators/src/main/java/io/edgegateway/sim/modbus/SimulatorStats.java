package io.edgegateway.sim.modbus;

/**
 * What a simulator has seen since it was built (restarts keep counting).
 *
 * @param requests    request frames received, whatever became of them
 * @param answered    answers with data or a write echo
 * @param exceptions  exception answers (refusals, strict-mode gaps, injected exception faults)
 * @param silent      requests left unanswered (silence faults, unknown units on a bus, broadcasts)
 * @param dropped     connections closed by the drop fault or on demand
 * @param crcErrors   received RTU frames with a bad CRC
 * @param connections TCP connections accepted
 */
public record SimulatorStats(long requests, long answered, long exceptions, long silent, long dropped,
                             long crcErrors, long connections) {
}
