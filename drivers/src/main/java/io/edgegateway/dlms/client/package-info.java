/**
 * The DLMS/COSEM meter-reading client: {@link io.edgegateway.dlms.client.DlmsSettings} says how to reach and
 * authenticate to a meter, {@link io.edgegateway.dlms.client.DlmsMeter} reads a profile's points from it as a
 * {@link io.edgegateway.device.MeterReader}. Failures map to the gateway's
 * {@link io.edgegateway.device.DeviceException} kinds; every wait has a timeout.
 */
package io.edgegateway.dlms.client;
