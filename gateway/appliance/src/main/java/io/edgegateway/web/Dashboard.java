package io.edgegateway.web;

import io.edgegateway.encoding.Gzip;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Serves the live dashboard: the page at {@code /}, its script, style and icon under {@code /assets/}, and
 * Chart.js out of its WebJar. Only the files listed here are reachable, all from the jar; every other path falls
 * through to the API's 404. The files are read once when the server starts, so a jar that lacks one fails at
 * startup instead of serving a broken page.
 *
 * <p>Every response carries an ETag and {@code Cache-Control: no-cache}: browsers keep the files but ask each
 * time, and get a 304 while the gateway runs the same build. URLs carry no versions, so after an upgrade the
 * next load picks up the new files.
 */
public final class Dashboard implements HttpService {

    /** Where the page loads Chart.js from (see {@code web/index.html}). */
    public static final String CHART_JS = "/assets/chart.umd.js";

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String SVG = "image/svg+xml";

    /** The WebJar names its own version here; the bundle's path inside the jar contains it. */
    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    /**
     * The page loads only what this gateway serves (scripts, styles, streams); nothing inline, no other origin.
     * Chart.js needs nothing more: it styles its canvas through the DOM, not with style elements.
     */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Map<String, StaticFile> files;

    /** Reads the dashboard's files from this class's class loader (the gateway jar and its libraries). */
    public Dashboard() {
        this(Dashboard.class.getClassLoader());
    }

    Dashboard(ClassLoader loader) {
        Map<String, StaticFile> f = new LinkedHashMap<>();
        f.put("/", StaticFile.of(HTML, read(loader, "web/index.html")));
        f.put("/assets/dashboard.js", StaticFile.of(JS, read(loader, "web/dashboard.js")));
        f.put("/assets/dashboard.css", StaticFile.of(CSS, read(loader, "web/dashboard.css")));
        f.put("/assets/favicon.svg", StaticFile.of(SVG, read(loader, "web/favicon.svg")));
        f.put(CHART_JS, StaticFile.of(JS, read(loader, chartJsResource(loader))));
        this.files = Map.copyOf(f);
    }

    @Override
    public void routing(HttpRules rules) {
        files.forEach((path, file) -> rules.get(path, (req, res) -> serve(req, res, file)));
    }

    private static void serve(ServerRequest req, ServerResponse res, StaticFile file) {
        boolean gzip = file.gzipped() != null && Gzip.accepted(req);
        // Two encodings of one file may not share a strong tag (RFC 9110 8.8.3); If-None-Match compares weakly.
        res.header(HeaderNames.ETAG, gzip ? "W/" + file.etag() : file.etag());
        res.header(HeaderNames.VARY, "Accept-Encoding");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (file.page()) {
            res.header(HeaderNames.create("Content-Security-Policy"), PAGE_POLICY);
            // The first load may carry ?access_token=; no request from the page may pass it on as a Referer.
            res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        }
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(file::matches).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, file.contentType());
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.send(file.gzipped());
        } else {
            res.send(file.body());
        }
    }

    /** Path of Chart.js's browser bundle inside its WebJar, whichever version the build resolved. */
    static String chartJsResource(ClassLoader loader) {
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(CHART_JS_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Chart.js WebJar (org.webjars.npm:chart.js) is not on the class"
                        + " path; the dashboard cannot draw charts without it");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHART_JS_POM, e);
        }
        return "META-INF/resources/webjars/chart.js/" + pom.getProperty("version") + "/dist/chart.umd.js";
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + resource, e);
        }
    }
}
