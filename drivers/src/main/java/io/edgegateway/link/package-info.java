/**
 * Byte links under every protocol: a TCP connection or a serial line ({@link io.edgegateway.link.ByteLink}), read
 * against a {@link io.edgegateway.link.Deadline} for the whole exchange. Modbus and DLMS frame their messages on
 * top; nothing here knows a protocol.
 */
package io.edgegateway.link;
