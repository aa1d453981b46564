package io.edgegateway.web;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A headless Chromium driven by chromedriver through the W3C WebDriver protocol: plain JSON over HTTP with the
 * JDK client, so the tests need no Selenium. One driver process serves the test class; each {@link Session} is a
 * fresh browser with its own empty profile.
 */
final class HeadlessChromium implements AutoCloseable {

    /** What WebDriver calls an element reference in JSON. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    /**
     * As root on this network Chromium needs no sandbox, and must not phone home: with background networking on,
     * its connections are refused and it stalls. Every session also gets its own new profile directory.
     */
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1700");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Process driver;
    private final String browser;
    private final URI base;

    private HeadlessChromium(Process driver, String browser, URI base) {
        this.driver = driver;
        this.browser = browser;
        this.base = base;
    }

    /** Chromium and chromedriver as found on this machine, or empty when either is missing. */
    record Install(String browser, String driver) {
    }

    static Optional<Install> installed() {
        Optional<String> driver = executable("chromedriver");
        // Debian's /usr/bin/chromium is a shell wrapper; the binary behind it starts without it.
        Optional<String> browser = Stream.of("/usr/lib/chromium/chromium").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().or(() -> executable("chromium")).or(() -> executable("chromium-browser"));
        return driver.isPresent() && browser.isPresent()
                ? Optional.of(new Install(browser.get(), driver.get())) : Optional.empty();
    }

    private static Optional<String> executable(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    static HeadlessChromium start(Install install, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(install.driver(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HeadlessChromium c = new HeadlessChromium(p, install.browser(), URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                if (c.call("GET", "/status", null).asJsonObject().getBoolean("ready", false)) {
                    return c;
                }
            } catch (IOException | IllegalStateException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    c.close();
                    throw new IOException("chromedriver did not start; see " + log, e);
                }
            }
            Thread.sleep(100);
        }
    }

    /** Starts a browser with a new empty profile. */
    Session session() throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("dashboard-chromium");
        Path downloads = Files.createDirectories(profile.resolve("downloads"));
        JsonArrayBuilder args = Json.createArrayBuilder(ARGS).add("--user-data-dir=" + profile);
        JsonObject caps = Json.createObjectBuilder().add("capabilities", Json.createObjectBuilder()
                .add("alwaysMatch", Json.createObjectBuilder()
                        .add("browserName", "chrome")
                        // chromedriver's own extension: keep the page's console for consoleErrors()
                        .add("goog:loggingPrefs", Json.createObjectBuilder().add("browser", "ALL"))
                        .add("goog:chromeOptions", Json.createObjectBuilder().add("binary", browser).add("args", args)
                                .add("prefs", Json.createObjectBuilder()
                                        .add("download.default_directory", downloads.toString())
                                        .add("download.prompt_for_download", false)))))
                .build();
        String id = call("POST", "/session", caps).asJsonObject().getString("sessionId");
        return new Session(id, profile, downloads);
    }

    private JsonValue call(String method, String path, JsonObject body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonValue value = Json.createReader(new StringReader(r.body())).readObject().get("value");
        if (r.statusCode() != 200) {
            JsonObject e = value.asJsonObject();
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + e.getString("error", "?") + ": "
                    + e.getString("message", ""));
        }
        return value;
    }

    @Override
    public void close() {
        driver.destroy();
        try {
            driver.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One browser window. */
    final class Session implements AutoCloseable {

        private final String id;
        private final Path profile;
        private final Path downloads;

        private Session(String id, Path profile, Path downloads) {
            this.id = id;
            this.profile = profile;
            this.downloads = downloads;
        }

        /** Where this browser saves what it downloads. */
        Path downloads() {
            return downloads;
        }

        private JsonValue call(String method, String command, JsonObject body) throws IOException, InterruptedException {
            return HeadlessChromium.this.call(method, "/session/" + id + command, body);
        }

        /** Navigates and waits for the page to load (not for its streams, which never end). */
        void open(String url) throws IOException, InterruptedException {
            call("POST", "/url", Json.createObjectBuilder().add("url", url).build());
        }

        String url() throws IOException, InterruptedException {
            return ((JsonString) call("GET", "/url", null)).getString();
        }

        /** Runs a function body in the page; {@code arguments[i]} are the given strings. */
        JsonValue script(String body, String... arguments) throws IOException, InterruptedException {
            return call("POST", "/execute/sync", Json.createObjectBuilder().add("script", body)
                    .add("args", Json.createArrayBuilder(List.of(arguments))).build());
        }

        /** The script's result as text, or null when it returned null or undefined. */
        String text(String body, String... arguments) throws IOException, InterruptedException {
            JsonValue v = script(body, arguments);
            return switch (v.getValueType()) {
                case NULL -> null;
                case STRING -> ((JsonString) v).getString();
                default -> v.toString();
            };
        }

        /** Types into the element that the CSS selector finds, as a user would. */
        void type(String css, String keys) throws IOException, InterruptedException {
            call("POST", "/element/" + element(css) + "/value", Json.createObjectBuilder().add("text", keys).build());
        }

        void click(String css) throws IOException, InterruptedException {
            call("POST", "/element/" + element(css) + "/click", Json.createObjectBuilder().build());
        }

        private String element(String css) throws IOException, InterruptedException {
            return call("POST", "/element", Json.createObjectBuilder().add("using", "css selector").add("value", css)
                    .build()).asJsonObject().getString(ELEMENT);
        }

        /**
         * Errors the page's console received since the last call, as "source: message": script exceptions, CSP
         * violations ("security"), failed loads ("network"). Through chromedriver's log extension, not W3C.
         */
        List<String> consoleErrors() throws IOException, InterruptedException {
            return call("POST", "/se/log", Json.createObjectBuilder().add("type", "browser").build()).asJsonArray()
                    .stream().map(JsonValue::asJsonObject).filter(e -> e.getString("level", "").equals("SEVERE"))
                    .map(e -> e.getString("source", "?") + ": " + e.getString("message", "")).toList();
        }

        void screenshot(Path png) throws IOException, InterruptedException {
            String b64 = ((JsonString) call("GET", "/screenshot", null)).getString();
            Files.createDirectories(png.getParent());
            Files.write(png, Base64.getDecoder().decode(b64));
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                call("DELETE", "", null);
            } finally {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
