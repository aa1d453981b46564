/**
 * The point model shared by every protocol: what one measured or controlled value is called, where it lives
 * on the device ({@link io.edgegateway.point.PointAddress}), how its raw value becomes an engineering value
 * ({@link io.edgegateway.point.Scaling}) and how it is shown in a reading (decimals, unit, enum labels).
 *
 * <p>Protocol packages decode raw data into {@link io.edgegateway.point.PointValue}s; nothing here talks to a device.
 */
package io.edgegateway.point;

