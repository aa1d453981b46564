package io.edgegateway.store;

import java.time.Instant;

/**
 * One attempt to write a point, refused or not: a row of the {@code audit} table (docs/storage.md).
 *
 * @param id       the row's id, 0 before it is stored
 * @param token    the access token's name, or null without tokens
 * @param oldValue what the device held before, as JSON text ("55.0", "true"), or null when it was not read
 * @param newValue the value asked for, as JSON text as given
 * @param result   {@code ok}, or the refusal's code ({@code out-of-range}, {@code device-exception}...)
 * @param detail   what was read back ("55.0 %") or why it was refused
 */
public record AuditEntry(long id, Instant at, String token, String meterNo, String point, String oldValue,
                         String newValue, String result, String detail) {
}
