/**
 * {@code bin/bench uplink}: the MQTT uplink against a local Mosquitto it starts (QoS 1 throughput and its CPU, the
 * drain of an outage's backlog, the memory the uplink adds). {@code MosquittoProcess} runs the broker.
 */
package io.edgegateway.bench.uplink;
