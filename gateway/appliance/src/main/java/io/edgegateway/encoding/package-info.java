/**
 * Content encoding of HTTP replies and streams: whether a request accepts gzip, gzipped bodies, and gzip streams
 * that flush each event through the compressor. Knows Helidon's request and response, nothing of the API.
 */
package io.edgegateway.encoding;
