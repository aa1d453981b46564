/**
 * Application-layer PDUs. ACSE ({@link io.edgegateway.dlms.apdu.Aarq}, {@link io.edgegateway.dlms.apdu.Aare},
 * {@link io.edgegateway.dlms.apdu.ReleaseRequest}, {@link io.edgegateway.dlms.apdu.ReleaseResponse}) is BER
 * encoded; the xDLMS InitiateRequest/Response carried in their user-information and the xDLMS services
 * (GET, ACTION, exception-response, ciphered APDUs) are A-XDR. {@link io.edgegateway.dlms.apdu.Apdu#decode}
 * tells them apart by the first byte. Only logical-name referencing is implemented.
 */
package io.edgegateway.dlms.apdu;
