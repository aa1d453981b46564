package io.edgegateway.http;

/**
 * Who made a request, as established by {@link AccessGuard}; kept in the request context.
 *
 * @param tokenName name of the access token used, or null when the gateway has no tokens configured
 * @param admin     the token may broadcast, manage alert rules and see client details (false without tokens)
 * @param write     the token may write points (false without tokens: then only this machine may write)
 * @param user      the only userId the token may take on {@code /api/sse}, or null when it may choose
 */
public record Caller(String tokenName, boolean admin, boolean write, String user) {

    /** The caller of a gateway without tokens. */
    public static final Caller ANONYMOUS = new Caller(null, false, false, null);
}
