package io.edgegateway.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;
import java.util.Optional;

/**
 * Lets browser pages from the configured origins call the gateway (dashboards on another host). Answers
 * preflights itself; a request from an origin not on the list gets no CORS headers, so the browser blocks it.
 * With "*" any origin may read, but without credentials (the CORS rules forbid both together).
 *
 * <p>A request that changes something (POST, PUT, DELETE) sent by a page of another origin is refused unless that
 * origin is listed by name: a plain form or {@code no-cors} fetch is never preflighted, so without this any web
 * page open in a browser on the gateway's network could switch a PLC point of a gateway without tokens.
 */
public final class CorsPolicy implements Filter {

    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");

    private final List<String> origins;
    private final boolean any;

    public CorsPolicy(List<String> allowedOrigins) {
        this.origins = List.copyOf(allowedOrigins);
        this.any = origins.contains("*");
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        boolean allowed = origin.isPresent() && (any || origins.contains(origin.get()));
        boolean preflight = req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD);
        if (allowed) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, any ? "*" : origin.get());
            res.header(HeaderNames.VARY, "Origin");
            if (!any) {
                res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
        }
        if (origin.isPresent() && changes(req.prologue().method()) && !origins.contains(origin.get())
                && !sameOrigin(origin.get(), req)) {
            JsonReply.error(res, Status.FORBIDDEN_403, "origin-not-allowed", "a page from " + origin.get()
                    + " may not change anything here; list it in cors.allowed-origins (by name, not \"*\")");
            return;
        }
        if (preflight) {
            if (!allowed) {
                JsonReply.error(res, Status.FORBIDDEN_403, "origin-not-allowed",
                        "origin " + origin.orElse("(none)") + " is not in cors.allowed-origins");
                return;
            }
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS");
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
                    "Authorization, Content-Type, Last-Event-ID, Cache-Control");
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        chain.proceed();
    }

    private static boolean changes(Method m) {
        return m == Method.POST || m == Method.PUT || m == Method.DELETE || m == Method.PATCH;
    }

    // The gateway's own dashboard: its Origin names the host the browser asked for, as the Host header does.
    private static boolean sameOrigin(String origin, RoutingRequest req) {
        int scheme = origin.indexOf("://");
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        return scheme > 0 && host.isPresent() && origin.substring(scheme + 3).equalsIgnoreCase(host.get());
    }
}
