/**
 * Modbus on the wire: requests and answers as values ({@link io.edgegateway.modbus.transport.RequestPdu},
 * {@link io.edgegateway.modbus.transport.AnswerPdu}), MBAP framing on TCP and RTU framing with CRC on serial lines
 * and through serial device servers, each exchange bounded by a deadline, failures told apart by what happened on
 * the wire. The only package that uses j2mod, for the PDU bytes (docs/protocols.md, "j2mod").
 */
package io.edgegateway.modbus.transport;
