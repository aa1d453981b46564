/**
 * HDLC frame format type 3 as DLMS uses it (IEC 62056-46 / ISO/IEC 13239): flags 0x7E, a 16-bit format field
 * (type 0xA, segmentation bit, 11-bit length), destination and source addresses of 1, 2 or 4 bytes, control,
 * header check sequence, information, frame check sequence (both CRC-16/X.25, least significant byte first).
 * {@link io.edgegateway.dlms.hdlc.HdlcFrame} is the codec; {@link io.edgegateway.dlms.hdlc.HdlcLink} runs the
 * link procedures (SNRM/UA with parameter negotiation, I-frames with sequence numbers, segmentation in both
 * directions with RR, DISC) for the client or the server side.
 */
package io.edgegateway.dlms.hdlc;
