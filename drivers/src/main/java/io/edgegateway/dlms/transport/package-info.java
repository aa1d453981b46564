/**
 * Byte pipes under the DLMS framings: {@link io.edgegateway.link.ByteLink} over TCP or a serial line,
 * and the {@link io.edgegateway.dlms.transport.ApduChannel} that HDLC and the TCP wrapper offer above them. Every
 * read takes a timeout; nothing here blocks without one. Failures are {@link java.io.IOException}s whose type says
 * what happened: {@link io.edgegateway.dlms.transport.LinkTimeoutException} (nothing came),
 * {@link io.edgegateway.dlms.transport.FrameException} (something came that is not a valid frame).
 */
package io.edgegateway.dlms.transport;
