/**
 * DLMS/COSEM (IEC 62056) written from the protocol definitions: {@link io.edgegateway.dlms.ObisCode} here, and
 * the stack in subpackages. Codecs are separate from transports:
 * <ul>
 *   <li>{@code axdr} - A-XDR data values (the COSEM attribute types);</li>
 *   <li>{@code apdu} - ACSE (AARQ/AARE, RLRQ/RLRE) and xDLMS APDUs (GET, ACTION, exception);</li>
 *   <li>{@code security} - security suite 0 (AES-GCM-128) ciphering, HLS-GMAC, invocation counters;</li>
 *   <li>{@code hdlc} - HDLC frame format type 3 (IEC 62056-46) and its link procedures;</li>
 *   <li>{@code wrapper} - the IEC 62056-47 TCP wrapper;</li>
 *   <li>{@code transport} - byte pipes (TCP, serial) and the APDU channel abstraction;</li>
 *   <li>{@code client} - the meter-reading client ({@link io.edgegateway.dlms.client.DlmsMeter});</li>
 *   <li>{@code push} - unsolicited Data-Notifications a meter pushes, deciphered and checked.</li>
 * </ul>
 * The simulator in the simulators module serves meters on the same codecs.
 */
package io.edgegateway.dlms;
