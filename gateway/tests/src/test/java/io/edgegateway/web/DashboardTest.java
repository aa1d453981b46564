package io.edgegateway.web;

import io.edgegateway.app.ApiHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's files as HTTP serves them, and what a browser without a token is told. */
class DashboardTest {

    private static final String TOKEN = "page-0123456789abcdef";
    private static final String SECURED = """
            security:
              tokens: [{name: control-room, token: %s}]
            """.formatted(TOKEN);
    /** What Chromium sends when it navigates to a page. */
    private static final String BROWSER_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private ApiHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    @Test
    void thePageAndEveryFileItLoadsComeFromTheJarWithTheirContentTypes() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        HttpResponse<String> page = get("/", "Accept", BROWSER_ACCEPT);
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
        assertTrue(page.body().contains("<title>Edge gateway</title>"), page.body());
        assertTrue(header(page, "Content-Security-Policy").contains("script-src 'self'"));
        assertEquals("no-referrer", header(page, "Referrer-Policy"), "a first load with ?access_token= leaks nothing");
        assertEquals("nosniff", header(page, "X-Content-Type-Options"));

        // Everything the page references is served, with the type its extension says.
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"").matcher(page.body());
        while (m.find()) {
            refs.add(m.group(1));
        }
        assertEquals(List.of("/assets/favicon.svg", "/assets/dashboard.css", Dashboard.CHART_JS, "/assets/dashboard.js"),
                refs);
        for (String ref : refs) {
            HttpResponse<String> r = get(ref);
            assertEquals(200, r.statusCode(), ref);
            String expected = ref.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : ref.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
            assertEquals(expected, header(r, "Content-Type"), ref);
            assertEquals("no-cache", header(r, "Cache-Control"), ref);
            assertFalse(header(r, "ETag").isEmpty(), ref);
        }
        HttpResponse<String> chart = get(Dashboard.CHART_JS);
        assertTrue(chart.body().startsWith("/*!\n * Chart.js v4."), "the UMD bundle out of the WebJar");
        assertTrue(chart.body().length() > 100_000, "the whole library: " + chart.body().length() + " characters");
    }

    @Test
    void aBrowserRevalidatesWithItsETagAndGetsA304() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        String etag = header(get(Dashboard.CHART_JS), "ETag");
        HttpResponse<String> again = get(Dashboard.CHART_JS, "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(etag, header(again, "ETag"));
        assertEquals(304, get(Dashboard.CHART_JS, "If-None-Match", "\"other\", W/" + etag).statusCode());
        assertEquals(200, get(Dashboard.CHART_JS, "If-None-Match", "\"other\"").statusCode());
        assertFalse(etag.equals(header(get("/"), "ETag")), "each file has its own tag");
    }

    @Test
    void onlyTheListedFilesAreServed() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        for (String path : List.of("/assets/nope.js", "/assets/", "/assets", "/index.html", "/web/index.html",
                "/web/dashboard.js", "/assets/dashboard.js/", "/assets/chart.js",
                "/META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js",
                "/webjars/chart.js/4.4.7/dist/chart.umd.js", "/logging.properties", "/assets/../logging.properties",
                "/io/edgegateway/web/Dashboard.class")) {
            HttpResponse<String> r = get(path, "Accept", BROWSER_ACCEPT);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.body().contains("\"not-found\""), path + ": " + r.body());
        }
    }

    @Test
    void aJarWithoutTheDashboardFailsAtStartupNotAtTheFirstRequest() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Dashboard(empty));
            assertTrue(e.getMessage().contains("web/index.html"), e.getMessage());
        }
    }

    @Test
    void withTokensABrowserWithoutOneGetsAnHtmlPageAndApiClientsKeepTheJson() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));

        HttpResponse<String> page = get("/", "Accept", BROWSER_ACCEPT);
        assertEquals(401, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
        assertEquals("Bearer realm=\"gateway\"", header(page, "WWW-Authenticate"));
        assertEquals("no-store", header(page, "Cache-Control"));
        assertTrue(page.body().contains("?access_token="), page.body());
        assertTrue(page.body().contains("<form method=\"get\" action=\"/\">"), page.body());
        assertTrue(page.body().contains("name=\"access_token\""), page.body());
        assertTrue(page.body().contains("requires an access token"), page.body());

        HttpResponse<String> wrong = get("/?access_token=not-the-right-token", "Accept", BROWSER_ACCEPT);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("is not valid"), wrong.body());
        assertFalse(wrong.body().contains("not-the-right-token"), "nothing from the request is echoed");
        assertTrue(header(wrong, "Set-Cookie").isEmpty());

        // API clients: no Accept, fetch's default, EventSource's, and anything that is not a GET.
        for (String accept : List.of("", "*/*", "text/event-stream", "application/json")) {
            HttpResponse<String> r = accept.isEmpty() ? get("/api/meters") : get("/api/sse/meters", "Accept", accept);
            assertEquals(401, r.statusCode(), accept);
            assertEquals("application/json", header(r, "Content-Type"), accept);
            assertTrue(r.body().contains("\"unauthorized\""), accept);
        }
        HttpResponse<String> post = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                .header("Accept", BROWSER_ACCEPT).POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, post.statusCode());
        assertEquals("application/json", header(post, "Content-Type"));
    }

    @Test
    void withTokensTheQueryTokenOpensThePageAndSetsTheCookieThatOpensItAgain() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        HttpResponse<String> first = get("/?access_token=" + TOKEN, "Accept", BROWSER_ACCEPT);
        assertEquals(200, first.statusCode());
        assertTrue(first.body().contains("<title>Edge gateway</title>"));
        String cookie = header(first, "Set-Cookie");
        assertTrue(cookie.startsWith("gateway_token=" + TOKEN), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertEquals("no-referrer", header(first, "Referrer-Policy"));

        String sent = "gateway_token=" + TOKEN;
        assertEquals(200, get("/", "Accept", BROWSER_ACCEPT, "Cookie", sent).statusCode());
        assertEquals(200, get(Dashboard.CHART_JS, "Cookie", sent).statusCode());
        assertEquals(200, get("/api/sse/clients", "Cookie", sent).statusCode());
        assertEquals(401, get(Dashboard.CHART_JS).statusCode(), "the files need the token like everything else");
    }
}
