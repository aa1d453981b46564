/**
 * The boundary between protocol drivers and the gateway: a {@link io.edgegateway.device.MeterReader} reads a
 * device's points whatever the protocol, and fails with one of a closed set of
 * {@link io.edgegateway.device.DeviceException}s that the gateway maps to a device status.
 */
package io.edgegateway.device;
