package io.edgegateway.http;

/**
 * Who made a request, as established by {@link AccessGuard}; kept in the request context.
 *
 * @param tokenName name of the access token used, or null when the gateway has no tokens configured
 * @param admin     the token may broadcast and see client details (always false without tokens)
 */
public record Caller(String tokenName, boolean admin) {
}
