package io.edgegateway.web;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInfo;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard in a real browser: headless Chromium, driven by chromedriver, opens the page of a gateway polling
 * simulated meters, and the test changes the meters and the gateway underneath it. Screenshots go to
 * {@code target/dashboard-screenshots/}. Skipped when Chromium or chromedriver is not installed.
 */
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");
    private static final String TOKEN = "web-0123456789abcdef";
    private static final String VIEWER = "viewer-0123456789abc";
    private static final String VOLTAGE = "L1 Voltage";
    private static HeadlessChromium chromium;

    private final ProfileCatalog profiles = ProfileCatalog.shipped();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HeadlessChromium.Session browser;
    private Gateway gateway;
    private String testName;

    @BeforeAll
    static void startDriver() throws Exception {
        var install = HeadlessChromium.installed();
        ExternalTools.require(install.isPresent(), "Chromium and chromedriver are not installed (Debian: apt-get"
                + " install chromium chromium-driver): the dashboard's browser test needs them");
        chromium = HeadlessChromium.start(install.get(), SHOTS.resolve("chromedriver.log"));
    }

    @AfterAll
    static void stopDriver() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openBrowser(TestInfo info) throws Exception {
        testName = info.getTestMethod().orElseThrow().getName();
        browser = chromium.session();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void showsLiveValuesAndMeterStatusAndCarriesOnAcrossAGatewayRestart() throws Exception {
        SimulatedDevice m1 = frozen(1);
        m1.pin(VOLTAGE, number("230.5"));
        ModbusTcpSimulator sim1 = simulator(m1);
        ModbusTcpSimulator sim2 = simulator(frozen(2));
        String yaml = config(sim1, sim2, "");
        gateway = start(yaml, 0);
        String page = "http://127.0.0.1:" + gateway.port() + "/";
        browser.open(page);

        await("the snapshot's value", () -> value("m1", VOLTAGE), "230.5 V"::equals);
        await("the stream badge", this::streamBadge, "LIVE"::equals);
        await("m2's status", () -> status("m2"), "CONNECTED"::equals);

        m1.pin(VOLTAGE, number("241.0"));
        await("the changed value", () -> value("m1", VOLTAGE), "241.0 V"::equals);
        await("the trend of the first point (L1 Voltage of m1)", () -> browser.text(
                "const c = Chart.getChart(document.getElementById('chart'));"
                        + " return c ? String(c.data.datasets[0].data.some(p => p.y === 241)) : 'no chart';"),
                "true"::equals);
        await("the connection statistics", () -> browser.text(
                "return document.querySelector('#client-table tbody').textContent;"), t -> t.contains("this page"));
        shot("live");
        assertEquals(List.of(), browser.consoleErrors(), "no script errors, CSP violations or failed loads");
        // Chromium asks for gzip: the values above came through the compressor, each change flushed at once.
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(page + "metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.lines().anyMatch(l -> l.matches("gateway_sse_compressed_streams [1-9]\\d*")),
                "the page's stream is gzipped");

        sim2.stop();
        await("m2's status after its simulator stopped", () -> status("m2"), "DISCONNECTED"::equals);
        assertEquals("CONNECTED", status("m1"), "the other meter is not affected");
        shot("meter-disconnected");
        sim2.restart();
        await("m2's status after its simulator came back", () -> status("m2"), "CONNECTED"::equals);

        // The gateway restarts on the same port: EventSource reconnects with a Last-Event-ID of the old run, which
        // the restarted gateway finds in its store: the page resumes without a gap and carries on.
        int port = gateway.port();
        gateway.close();
        gateway = null;
        await("the stream badge while the gateway is down", this::streamBadge,
                s -> s.equals("RECONNECTING") || s.equals("DISCONNECTED"));
        shot("gateway-down");
        m1.pin(VOLTAGE, number("235.5"));
        gateway = start(yaml, port);
        await("the value read by the restarted gateway", () -> value("m1", VOLTAGE), "235.5 V"::equals);
        await("the stream badge", this::streamBadge, "LIVE"::equals);
        assertFalse(browser.text("return document.getElementById('notices').textContent;").contains("no longer"),
                "resumed from the store: no replay gap");
    }

    @Test
    void withATokenTheFormOpensTheDashboardAndTheTokenLeavesTheAddressBar() throws Exception {
        SimulatedDevice m1 = frozen(3);
        m1.pin(VOLTAGE, number("229.9"));
        ModbusTcpSimulator sim1 = simulator(m1);
        ModbusTcpSimulator sim2 = simulator(frozen(4));
        gateway = start(config(sim1, sim2, """
                security:
                  tokens: [{name: control-room, token: %s}]
                """.formatted(TOKEN)), 0);
        String page = "http://127.0.0.1:" + gateway.port() + "/";

        browser.open(page);
        assertEquals("Access token needed", browser.text("return document.querySelector('h1').textContent;"));
        shot("sign-in");
        browser.type("input[name=access_token]", TOKEN);
        browser.click("button[type=submit]");

        await("the value, streamed with the cookie", () -> value("m1", VOLTAGE), "229.9 V"::equals);
        await("the stream badge", this::streamBadge, "LIVE"::equals);
        assertEquals(page, browser.url(), "the token is gone from the address bar");
        assertFalse(Objects.toString(browser.text("return document.cookie;"), "").contains(TOKEN),
                "the cookie is HttpOnly: scripts cannot read the token");
        await("the statistics, fetched with the cookie", () -> browser.text(
                "return document.querySelector('#client-table tbody').textContent;"), t -> t.contains("control-room"));
        m1.pin(VOLTAGE, number("231.5"));
        await("the changed value", () -> value("m1", VOLTAGE), "231.5 V"::equals);
        shot("with-token");
        assertEquals(List.of(), browser.consoleErrors().stream().filter(e -> !e.startsWith("network:")).toList(),
                "no script errors or CSP violations (the sign-in page's 401 is logged as a failed load)");
    }

    @Test
    void aFreshPageChartsStoredHistorySwitchesRangesAndExportsCsv() throws Exception {
        SimulatedDevice m1 = frozen(5);
        m1.pin(VOLTAGE, number("226.5"));
        ModbusTcpSimulator sim1 = simulator(m1);
        ModbusTcpSimulator sim2 = simulator(frozen(6));
        gateway = start(config(sim1, sim2, ""), 0);
        Thread.sleep(1500);
        m1.pin(VOLTAGE, number("238.5"));
        Thread.sleep(1500);
        gateway.store().flush();
        long opened = System.currentTimeMillis();
        browser.open("http://127.0.0.1:" + gateway.port() + "/");

        // The page opened after 226.5 V had gone: only the store can have told it.
        await("the stored value before the page opened, on the chart", () -> browser.text("""
                const c = Chart.getChart(document.getElementById('chart'));
                return c ? String(c.data.datasets[0].data.some(p => p.y === 226.5 && p.x < arguments[0])) : 'no chart';""",
                String.valueOf(opened)), "true"::equals);
        shot("history-1h");

        browser.script("const s = document.getElementById('chart-range'); s.value = '24h';"
                + " s.dispatchEvent(new Event('change'));");
        await("a 24-hour axis", () -> browser.text("""
                const c = Chart.getChart(document.getElementById('chart'));
                return String(Math.round((c.options.scales.x.max - c.options.scales.x.min) / 3600000));"""), "24"::equals);
        await("the 5-minute bucket's average of the stored values, on the chart", () -> browser.text("""
                const c = Chart.getChart(document.getElementById('chart'));
                return String(c.data.datasets[0].data.some(p => p.y > 226.5 && p.y < 238.5 && p.x < arguments[0]));""",
                String.valueOf(opened)), "true"::equals);
        shot("history-24h");

        browser.click("#chart-export");
        Path csv = null;
        long until = System.nanoTime() + WAIT.toNanos();
        while (csv == null && System.nanoTime() < until) {
            try (var files = java.nio.file.Files.list(browser.downloads())) {
                csv = files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElse(null);
            }
            Thread.sleep(100);
        }
        if (csv == null) {
            fail("no CSV was downloaded to " + browser.downloads());
        }
        String text = java.nio.file.Files.readString(csv);
        assertTrue(csv.getFileName().toString().startsWith("m1-"), csv.getFileName().toString());
        assertTrue(text.startsWith("timestamp,L1 Voltage [V],"), text.lines().findFirst().orElse(""));
        assertTrue(text.contains(",226.5,") && text.contains(",238.5,"), text);
        assertEquals(List.of(), browser.consoleErrors(), "no script errors, CSP violations or failed loads");
    }

    @Test
    void alertsShowByColourAreAcknowledgedAndClearAndAWriteTokenSetsAPlcSetpoint() throws Exception {
        SimulatedDevice m1 = frozen(7);
        m1.pin(VOLTAGE, number("230.0"));
        ModbusTcpSimulator meter = simulator(m1);
        SimulatedDevice tank = SimulatedDevice.of(profiles.find("plc").orElseThrow(), 8, Clock.systemUTC());
        tank.freeze(true);
        ModbusTcpSimulator plc = simulator(tank);
        gateway = start("""
                server: {port: %%d}
                sse: {retry: 300ms}
                buses:
                  - {name: b1, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms}
                  - {name: b2, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms}
                devices:
                  - {meter-no: m1, bus: b1, unit-id: 1, profile: sdm120, interval: 300ms}
                  - {meter-no: plc1, bus: b2, unit-id: 1, profile: plc, interval: 300ms}
                alerts:
                  - {id: overvoltage, meters: [m1], point: L1 Voltage, condition: gt, value: 253, severity: critical}
                security:
                  tokens:
                    - {name: operator, token: %s, write: true}
                    - {name: viewer, token: %s}
                """.formatted(meter.port(), plc.port(), TOKEN, VIEWER), 0);
        String page = "http://127.0.0.1:" + gateway.port() + "/";
        browser.open(page + "?access_token=" + TOKEN);
        await("the stream badge", this::streamBadge, "LIVE"::equals);
        await("the page's rights", () -> browser.text("return document.body.dataset.session || null;"),
                "may-write"::equals);
        await("no alert yet", () -> browser.text("return String(!document.getElementById('no-alerts').hidden);"),
                "true"::equals);

        m1.pin(VOLTAGE, number("254.0"));
        await("the raised alert in the alerts panel", () -> alertRow("m1"), r -> r.contains("critical")
                && r.contains("L1 Voltage") && r.contains("254") && r.contains("raised"));
        assertEquals("sev sev-critical", browser.text(
                "return document.querySelector('#alert-table tbody tr .sev').className;"), "critical in red");
        shot("alert-raised");
        browser.click("#alert-table tbody tr button.ack");
        await("the acknowledgement, with who made it", () -> alertRow("m1"),
                r -> r.contains("acknowledged") && r.contains("by operator"));
        m1.pin(VOLTAGE, number("230.0"));
        await("the active list once the alert cleared", () -> browser.text(
                "return String(document.querySelectorAll('#alert-table tbody tr').length);"), "0"::equals);
        await("the clear in the history", () -> browser.text(
                "return document.getElementById('alert-history').textContent;"),
                t -> t.contains("overvoltage on m1") && t.contains("cleared")
                        && t.contains("acknowledged by operator"));
        shot("alert-cleared");

        String setpoint = "Pump Speed Setpoint";
        await("the write control of a writable point", () -> browser.text("""
                const card = [...document.querySelectorAll('#value-cards .card')].find(c => c.dataset.meter === 'plc1');
                const row = card && [...card.querySelectorAll('tr')].find(r => r.dataset.point === arguments[0]);
                return row && row.querySelector('button.write') ? 'yes' : null;""", setpoint), "yes"::equals);
        assertEquals("0", browser.text("""
                const card = [...document.querySelectorAll('#value-cards .card')].find(c => c.dataset.meter === 'plc1');
                const row = [...card.querySelectorAll('tr')].find(r => r.dataset.point === 'Tank Level');
                return String(row.querySelectorAll('button.write').length);"""), "none for a process value");
        browser.script("""
                const card = [...document.querySelectorAll('#value-cards .card')].find(c => c.dataset.meter === 'plc1');
                [...card.querySelectorAll('tr')].find(r => r.dataset.point === arguments[0])
                    .querySelector('button.write').click();""", setpoint);
        assertEquals("true", browser.text("return String(document.getElementById('write-send').disabled);"),
                "nothing is written before the confirmation");
        browser.script("document.getElementById('write-value').value = '55.5';");
        browser.click("#write-confirm");
        shot("write-confirm");
        browser.click("#write-send");
        await("the value the device holds after the write", () -> browser.text(
                "return document.getElementById('write-result').textContent;"), t -> t.contains("55.5 %"));
        browser.click("#write-close");
        await("the written setpoint in the values", () -> value("plc1", setpoint), "55.5 %"::equals);
        PointValue held = tank.value(profiles.find("plc").orElseThrow().points().stream()
                .filter(p -> p.name().equals(setpoint)).findFirst().orElseThrow());
        assertEquals(0, new BigDecimal("55.5").compareTo(((PointValue.Number) held).value()), "the PLC holds it");
        assertEquals(List.of(), browser.consoleErrors(), "no script errors, CSP violations or failed loads");

        // The same page with a token that may not write: no write control anywhere.
        browser.open(page + "?access_token=" + VIEWER);
        await("the PLC's values for the read-only token", () -> value("plc1", setpoint), "55.5 %"::equals);
        await("the page's rights", () -> browser.text("return document.body.dataset.session || null;"),
                "read-only"::equals);
        assertEquals("0", browser.text("return String(document.querySelectorAll('button.write').length);"),
                "a read-only token's page shows no write control");
        shot("read-only");
    }

    private String alertRow(String meterNo) throws Exception {
        return browser.text("""
                const row = [...document.querySelectorAll('#alert-table tbody tr')]
                    .find(r => r.children[1].textContent === arguments[0]);
                return row ? row.textContent : null;""", meterNo);
    }

    // --- the page, as a user sees it

    private String value(String meterNo, String point) throws Exception {
        return browser.text("""
                const card = [...document.querySelectorAll('#value-cards .card')].find(c => c.dataset.meter === arguments[0]);
                const row = card && [...card.querySelectorAll('tr')].find(r => r.dataset.point === arguments[1]);
                return row ? row.querySelector('td').textContent : null;""", meterNo, point);
    }

    private String status(String meterNo) throws Exception {
        return browser.text("""
                const row = [...document.querySelectorAll('#meter-table tbody tr')].find(r => r.dataset.meter === arguments[0]);
                return row ? row.querySelector('.status').textContent : null;""", meterNo);
    }

    private String streamBadge() throws Exception {
        return browser.text("return document.getElementById('stream-state').textContent;");
    }

    private interface Probe {
        String read() throws Exception;
    }

    private void await(String what, Probe probe, Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = probe.read();
            if (last != null && expected.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        shot("failed");
        fail(what + " did not show as expected within " + WAIT.toSeconds() + " s; last shown: " + last);
    }

    private void shot(String name) throws Exception {
        browser.screenshot(SHOTS.resolve(testName + "-" + name + ".png"));
    }

    // --- simulated meters and the gateway

    private SimulatedDevice frozen(long seed) {
        SimulatedDevice d = SimulatedDevice.of(profiles.find("sdm120").orElseThrow(), seed, Clock.systemUTC());
        d.freeze(true);
        return d;
    }

    private ModbusTcpSimulator simulator(SimulatedDevice device) throws Exception {
        ModbusTcpSimulator s = ModbusTcpSimulator.builder().port(0).unit(1, device).build().start();
        closing.add(s);
        return s;
    }

    private static PointValue number(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    /** Two meters on their own simulators, polled fast, failures noticed fast, EventSource told to retry soon. */
    private static String config(ModbusTcpSimulator sim1, ModbusTcpSimulator sim2, String extra) {
        return """
                server: {port: %%d}
                sse: {retry: 300ms}
                polling: {backoff-base: 200ms, backoff-max: 1s}
                buses:
                  - {name: b1, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms, connect-timeout: 300ms}
                  - {name: b2, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms, connect-timeout: 300ms}
                devices:
                  - {meter-no: m1, bus: b1, unit-id: 1, profile: sdm120, interval: 300ms}
                  - {meter-no: m2, bus: b2, unit-id: 1, profile: sdm120, interval: 300ms}
                """.formatted(sim1.port(), sim2.port()) + extra;
    }

    @TempDir
    Path state;

    private Gateway start(String yaml, int port) {
        return Gateway.start(ConfigLoader.loadYaml("state-dir: \"" + state + "\"\n" + yaml.formatted(port),
                "dashboard-test.yaml", Path.of(".")), new ProtocolConnector(), Clock.systemUTC());
    }
}
