/**
 * A-XDR encoding of COSEM data (the {@code Data} CHOICE of the xDLMS ASN.1): a type tag byte, then the value;
 * variable-length values carry a compact length (one byte below 128, else 0x8N and N length bytes).
 * {@link io.edgegateway.dlms.axdr.DlmsData} is the closed set of values, {@link io.edgegateway.dlms.axdr.AxdrReader}
 * and {@link io.edgegateway.dlms.axdr.AxdrWriter} the codec, {@link io.edgegateway.dlms.axdr.CosemUnit} the unit
 * enumeration of scaler_unit, {@link io.edgegateway.dlms.axdr.CosemDateTime} the 12-byte date-time.
 */
package io.edgegateway.dlms.axdr;
