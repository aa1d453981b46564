package io.edgegateway.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Locale;

/**
 * The 401 a person gets who opens the gateway in a browser without a valid access token: a short page saying how
 * to open the dashboard with {@code ?access_token=}, with a form that does just that. API clients (EventSource,
 * fetch, curl) keep the JSON 401. The page is constant text: nothing from the request is echoed into it.
 */
public final class SignInPage {

    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
            + " base-uri 'none'; frame-ancestors 'none'";

    private SignInPage() {
    }

    /**
     * A browser navigating to a page: a GET that names {@code text/html} in Accept. EventSource asks for
     * {@code text/event-stream} and fetch for any type by default, so neither gets HTML by accident.
     */
    public static boolean wanted(ServerRequest req) {
        if (req.prologue().method() != Method.GET) {
            return false;
        }
        for (String accept : req.headers().all(HeaderNames.ACCEPT, List::of)) {
            for (String range : accept.split(",")) {
                String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (type.equals("text/html")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param tokenRejected a token was presented but is not valid (rather than none at all)
     */
    public static void send(ServerResponse res, boolean tokenRejected) {
        res.status(Status.UNAUTHORIZED_401);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(HeaderNames.create("Content-Security-Policy"), POLICY);
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.send(PAGE.replace("{{problem}}", tokenRejected
                ? "The access token given is not valid on this gateway."
                : "This gateway requires an access token."));
    }

    // The form submits to "/" only: a path taken from the request could point the token at another host.
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Edge gateway: access token needed</title>
            <style>
              body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1f2328; }
              main { max-width: 36rem; margin: 4rem auto; padding: 1.5rem 2rem; background: #fff;
                     border: 1px solid #d0d7de; border-radius: 8px; }
              h1 { font-size: 1.3rem; margin-top: 0; }
              code { background: #eef1f4; padding: 0 .25rem; border-radius: 4px; }
              form { display: flex; gap: .5rem; margin: 1rem 0; }
              input { flex: 1; font: inherit; padding: .35rem .5rem; }
              button { font: inherit; padding: .35rem .9rem; }
              .muted { color: #59636e; font-size: .9rem; }
            </style>
            </head>
            <body>
            <main>
            <h1>Access token needed</h1>
            <p>{{problem}} Open the dashboard as <code>/?access_token=YOUR_TOKEN</code>, or enter the token here:</p>
            <form method="get" action="/">
              <input type="password" name="access_token" autocomplete="off" required minlength="16"
                     aria-label="Access token" placeholder="access token">
              <button type="submit">Open dashboard</button>
            </form>
            <p class="muted">The browser then keeps the token in a cookie for this gateway only (HttpOnly, not
            readable by scripts) and the page removes it from the address bar. Tokens are set under
            <code>security.tokens</code> in the gateway's configuration.</p>
            </main>
            </body>
            </html>
            """;
}
