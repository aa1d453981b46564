/**
 * Sparkplug B 3.0 on the wire: topics ({@link io.edgegateway.sparkplug.SparkplugTopic}), payloads as records
 * ({@link io.edgegateway.sparkplug.SparkplugPayload}, {@link io.edgegateway.sparkplug.Metric}) and their protobuf
 * codec ({@link io.edgegateway.sparkplug.PayloadCodec}), written by hand from the specification's
 * {@code sparkplug_b.proto} so the appliance carries no generated code. No MQTT here.
 */
package io.edgegateway.sparkplug;
