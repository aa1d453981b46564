/**
 * The IEC 62056-47 wrapper that carries APDUs over TCP: an 8-byte header (version 0x0001, source wPort,
 * destination wPort, APDU length), then the APDU. wPorts are the client SAP and the server logical address.
 */
package io.edgegateway.dlms.wrapper;
