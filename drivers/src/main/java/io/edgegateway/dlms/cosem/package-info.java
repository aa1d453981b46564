/**
 * COSEM interface classes beyond plain registers, as a head-end reads them: Profile Generic (class 7) capture
 * objects, buffers and their selective access by range or by entry, rows decoded against the capture objects,
 * and the Clock (class 8). Values only: the GET and SET exchanges are the client's.
 */
package io.edgegateway.dlms.cosem;
