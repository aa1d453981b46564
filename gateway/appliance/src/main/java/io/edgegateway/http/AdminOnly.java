package io.edgegateway.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The rule of the routes for operators (sending to dashboards, changing alert rules, reading the audit trail):
 * a token with {@code admin: true}, or, with no tokens configured, a caller on this machine.
 */
public final class AdminOnly {

    private AdminOnly() {
    }

    /**
     * Answers {@code 403 forbidden} when the caller may not, and says so.
     *
     * @param what what the route does, for the message ("changing alert rules")
     * @return true when the request was refused (the answer is sent)
     */
    public static boolean refuses(ServerRequest req, ServerResponse res, boolean tokensConfigured, String what) {
        if (!tokensConfigured && !Loopback.from(req)) {
            JsonReply.error(res, Status.FORBIDDEN_403, "forbidden",
                    "without security.tokens configured, " + what + " is only allowed from this machine");
            return true;
        }
        if (tokensConfigured && !req.context().get(Caller.class).map(Caller::admin).orElse(false)) {
            JsonReply.error(res, Status.FORBIDDEN_403, "forbidden", what + " needs a token with admin: true");
            return true;
        }
        return false;
    }
}
