package io.edgegateway.http;

import io.edgegateway.config.AccessToken;
import io.edgegateway.web.SignInPage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * When tokens are configured, every request must carry one: {@code Authorization: Bearer T}, the
 * {@code access_token} query parameter (EventSource cannot set headers), or the {@code gateway_token} cookie.
 * A token given in the query is also set as an HttpOnly cookie so a browser page's later requests carry it.
 * A browser opening a page without a valid token gets {@link SignInPage} instead of the JSON 401.
 * Tokens are compared in constant time and never logged.
 */
public final class AccessGuard implements Filter {

    public static final String COOKIE = "gateway_token";
    private static final String QUERY = "access_token";

    private record Known(String name, byte[] digest, boolean admin, boolean write, String user) {
    }

    private final List<Known> tokens;

    public AccessGuard(List<AccessToken> tokens) {
        this.tokens = tokens.stream()
                .map(t -> new Known(t.name(), digest(t.secret()), t.admin(), t.write(), t.user())).toList();
    }

    public boolean enabled() {
        return !tokens.isEmpty();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (tokens.isEmpty()) {
            req.context().register(Caller.ANONYMOUS);
            chain.proceed();
            return;
        }
        if (req.prologue().method() == Method.OPTIONS) {
            chain.proceed(); // CORS preflights carry no credentials by design
            return;
        }
        Optional<String> fromQuery = req.query().first(QUERY).asOptional();
        Optional<String> presented = bearer(req).or(() -> fromQuery).or(() -> cookie(req));
        Optional<Known> caller = presented.flatMap(this::match);
        if (caller.isEmpty()) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gateway\"");
            if (SignInPage.wanted(req)) {
                SignInPage.send(res, presented.isPresent());
                return;
            }
            JsonReply.refuse(res, Status.UNAUTHORIZED_401, "unauthorized", presented.isEmpty()
                    ? "an access token is required (Authorization: Bearer, access_token query parameter, or cookie)"
                    : "the access token is not valid");
            return;
        }
        if (fromQuery.isPresent() && presented.get().equals(fromQuery.get())) {
            res.headers().addCookie(SetCookie.builder(COOKIE, fromQuery.get())
                    .httpOnly(true).path("/").sameSite(SetCookie.SameSite.STRICT).build());
        }
        Known k = caller.get();
        req.context().register(new Caller(k.name(), k.admin(), k.write(), k.user()));
        chain.proceed();
    }

    private static Optional<String> bearer(RoutingRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(v -> v.substring(7).trim());
    }

    private static Optional<String> cookie(RoutingRequest req) {
        return req.headers().cookies().first(COOKIE).asOptional();
    }

    // Compare digests of every token so timing reveals neither which token nor how much of it matched.
    private Optional<Known> match(String presented) {
        byte[] d = digest(presented);
        Known found = null;
        for (Known k : tokens) {
            if (MessageDigest.isEqual(k.digest(), d)) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
