/**
 * Benchmarks behind {@code bin/bench}: they print figures and never fail on speed.
 * {@link io.edgegateway.bench.ModbusBenchmark} compares the Modbus driver with bare j2mod on the same requests.
 */
package io.edgegateway.bench;
