package io.edgegateway.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Lets browser pages from the configured origins call the gateway (dashboards on another host). Answers
 * preflights itself; a request from an origin not on the list gets no CORS headers, so the browser blocks it.
 * With "*" any origin may read, but without credentials (the CORS rules forbid both together).
 *
 * <p>A request that changes something (POST, PUT, DELETE) sent by a page of another origin is refused unless that
 * origin is listed by name: a plain form or {@code no-cors} fetch is never preflighted, so without this any web
 * page open in a browser on the gateway's network could switch a PLC point of a gateway without tokens. The
 * gateway's own page passes when the browser says so ({@code Sec-Fetch-Site: same-origin}, or an Origin naming the
 * Host asked for) and the Host is one of the gateway's own names (an IP address, localhost, this machine's name,
 * or a listed origin's host): a page whose name an attacker re-pointed at the gateway (DNS rebinding) is
 * same-origin to the browser, but asks for the attacker's host.
 */
public final class CorsPolicy implements Filter {

    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");

    private static final HeaderName FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");
    private static final Pattern IP_V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<String> origins;
    private final boolean any;
    /** The origins as browsers write them (lower case, no default port), for the check of changes. */
    private final Set<String> listed;
    /** Names the gateway is reached by, besides IP addresses and localhost. */
    private final Set<String> ownHosts;

    public CorsPolicy(List<String> allowedOrigins) {
        this.origins = List.copyOf(allowedOrigins);
        this.any = origins.contains("*");
        this.listed = origins.stream().map(CorsPolicy::normal).collect(Collectors.toSet());
        Set<String> hosts = new HashSet<>();
        listed.forEach(o -> hosts.add(hostOf(authority(o))));
        try {
            // The configured name only: a reverse lookup could hold the start up on a Pi without DNS.
            hosts.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            // No name of its own: IP addresses and localhost still reach it.
        }
        this.ownHosts = Set.copyOf(hosts);
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
        if (origin.isPresent() && changes(req.prologue().method()) && !listed.contains(normal(origin.get()))
                && !ownPage(origin.get(), req)) {
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

    // The gateway's own dashboard: the browser says it is same-origin, to a Host that is one of the gateway's names.
    private boolean ownPage(String origin, RoutingRequest req) {
        Optional<String> host = req.headers().first(HeaderNames.HOST).map(h -> h.toLowerCase(Locale.ROOT));
        if (host.isEmpty()) {
            return false;
        }
        String scheme = origin.contains("://") ? origin.substring(0, origin.indexOf("://")) : "http";
        String asked = withoutDefaultPort(scheme, host.get());
        boolean same = req.headers().first(FETCH_SITE).map("same-origin"::equalsIgnoreCase).orElse(false)
                || authority(normal(origin)).equals(asked);
        String name = hostOf(asked);
        return same && (name.equals("localhost") || IP_V4.matcher(name).matches() || name.startsWith("[")
                || ownHosts.contains(name));
    }

    /** "HTTPS://Gateway.Example:443" as browsers send it: "https://gateway.example". */
    private static String normal(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        int at = o.indexOf("://");
        return at < 0 ? o : o.substring(0, at + 3) + withoutDefaultPort(o.substring(0, at), o.substring(at + 3));
    }

    private static String withoutDefaultPort(String scheme, String authority) {
        String port = scheme.equals("https") ? ":443" : ":80";
        return authority.endsWith(port) ? authority.substring(0, authority.length() - port.length()) : authority;
    }

    private static String authority(String normalOrigin) {
        int at = normalOrigin.indexOf("://");
        return at < 0 ? normalOrigin : normalOrigin.substring(at + 3);
    }

    /** The host of "host:port", "[v6]:port" or "host". */
    private static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
