/**
 * Finding devices and naming them: probing unit ids on a Modbus link ({@link io.edgegateway.scan.ModbusScan})
 * and testing which device profile's register map explains the values a device answers
 * ({@link io.edgegateway.scan.ProfileFitter}, judged by {@link io.edgegateway.scan.Plausibility} from the points'
 * quantity tags). Used by {@code bin/gateway scan}; prints nothing itself.
 */
package io.edgegateway.scan;
