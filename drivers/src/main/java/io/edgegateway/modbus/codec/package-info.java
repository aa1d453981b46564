/**
 * Register data to point values and back ({@link io.edgegateway.modbus.codec.RegisterDecoder},
 * {@link io.edgegateway.modbus.codec.RegisterEncoder}): every data type, word order, bit and string of the point
 * model. Pure functions on bytes, tested against the byte vectors of the Modbus specification and the manuals; no
 * I/O and no transport.
 */
package io.edgegateway.modbus.codec;
