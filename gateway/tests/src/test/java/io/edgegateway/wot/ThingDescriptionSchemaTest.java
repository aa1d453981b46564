package io.edgegateway.wot;

import com.networknt.schema.Schema;
import io.edgegateway.app.ApiHarness;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Table;
import io.edgegateway.profile.ProfileCatalog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every TD the gateway serves validates against the W3C TD 1.1 JSON Schema; a broken one does not. */
class ThingDescriptionSchemaTest {

    private static final String TOKEN = "wot-schema-test-token";
    private static final List<String> PROFILES = List.of("sdm630", "sdm120", "em24", "iem3000", "plc", "dlms-standard");
    private final Schema schema = TdSchema.thingDescription();

    /** One device per shipped profile, on buses nobody polls. */
    private static String everyProfile(boolean tokens) {
        StringBuilder yaml = new StringBuilder("""
                server: {port: 0}
                gateway-id: gw-wot
                buses:
                  - {name: m, type: modbus-tcp, host: 127.0.0.1, port: 1502}
                  - {name: d, type: dlms-tcp, host: 127.0.0.1, port: 4059}
                devices:
                """);
        int unit = 1;
        for (String p : PROFILES) {
            yaml.append("  - {meter-no: \"").append(p).append("-1\", bus: ").append(p.startsWith("dlms") ? "d" : "m")
                    .append(", unit-id: ").append(unit++).append(", profile: ").append(p).append("}\n");
        }
        if (tokens) {
            yaml.append("security:\n  tokens:\n    - {name: hes, token: ").append(TOKEN).append("}\n");
        }
        return yaml.toString();
    }

    private static String get(ApiHarness h, String path, boolean tokens, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(h.uri(path)).GET();
        if (tokens) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        HttpResponse<String> r = h.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertEquals(contentType, r.headers().firstValue("Content-Type").orElse(""), path);
        return r.body();
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @ParameterizedTest(name = "tokens {0}")
    @ValueSource(booleans = {false, true})
    void everyServedTdMeetsTheSchema(boolean tokens) throws Exception {
        try (ApiHarness h = new ApiHarness(everyProfile(tokens))) {
            var directory = Json.createReader(new StringReader(get(h, "/api/things", tokens, "application/json")))
                    .readArray();
            assertEquals(PROFILES.size(), directory.size());
            for (JsonValue entry : directory) {
                JsonObject link = entry.asJsonObject();
                String body = get(h, link.getString("href"), tokens, "application/td+json");
                assertEquals(List.of(), TdSchema.errors(schema, body), link.getString("href"));
                JsonObject td = json(body);
                String meterNo = link.getString("title");
                assertEquals(List.of("https://www.w3.org/2019/wot/td/v1", "https://www.w3.org/2022/wot/td/v1.1"),
                        strings(td.getJsonArray("@context")));
                assertEquals("urn:edge-gateway:gw-wot:" + meterNo, td.getString("id"));
                assertEquals(link.getString("id"), td.getString("id"));
                assertEquals("http://127.0.0.1:" + h.server.port() + "/", td.getString("base"));
                JsonObject security = td.getJsonObject("securityDefinitions")
                        .getJsonObject(td.getString("security"));
                assertEquals(tokens ? "bearer" : "nosec", security.getString("scheme"));
                if (tokens) {
                    assertEquals("header", security.getString("in"));
                }
                DeviceConfig device = h.config.device(meterNo).orElseThrow();
                assertEquals(device.points().size(), td.getJsonObject("properties").size(), "one property per point");
                assertEquals(Set.of("alert", "status"), td.getJsonObject("events").keySet());
            }
        }
    }

    @Test
    void aPropertyCarriesItsSchemaUnitAndForms() throws Exception {
        try (ApiHarness h = new ApiHarness(everyProfile(false))) {
            JsonObject sdm = json(get(h, "/api/things/sdm630-1", false, "application/td+json"));
            JsonObject v = sdm.getJsonObject("properties").getJsonObject("l1-voltage");
            assertEquals("L1 Voltage", v.getString("title"));
            assertEquals("number", v.getString("type"));
            assertEquals("V", v.getString("unit"));
            assertTrue(v.getBoolean("readOnly"));
            assertFalse(v.getBoolean("writeOnly"));
            assertTrue(v.getBoolean("observable"));
            var forms = v.getJsonArray("forms");
            assertEquals(2, forms.size(), "read and observe, no write: nothing is writable yet");
            JsonObject read = forms.getJsonObject(0);
            assertEquals("api/things/sdm630-1/properties/l1-voltage", read.getString("href"));
            assertEquals(List.of("readproperty"), strings(read.getJsonArray("op")));
            assertEquals("GET", read.getString("htv:methodName"));
            assertEquals("application/json", read.getString("contentType"));
            JsonObject observe = forms.getJsonObject(1);
            assertEquals(read.getString("href"), observe.getString("href"));
            assertEquals(List.of("observeproperty", "unobserveproperty"), strings(observe.getJsonArray("op")));
            assertEquals("sse", observe.getString("subprotocol"));

            JsonObject plc = json(get(h, "/api/things/plc-1", false, "application/td+json"))
                    .getJsonObject("properties");
            JsonObject mode = plc.getJsonObject("operating-mode");
            assertEquals("string", mode.getString("type"));
            assertEquals(List.of("OFF", "AUTO", "MANUAL"), strings(mode.getJsonArray("enum")));
            assertEquals("integer", plc.getJsonObject("pump-starts").getString("type"));
            assertEquals("string", plc.getJsonObject("station-tag").getString("type"));
            assertEquals("water-temperature", plc.keySet().stream().filter(k -> k.startsWith("water")).findFirst()
                    .orElseThrow());

            JsonObject alert = sdm.getJsonObject("events").getJsonObject("alert");
            JsonObject form = alert.getJsonArray("forms").getJsonObject(0);
            assertEquals("api/things/sdm630-1/events/alert", form.getString("href"));
            assertEquals("sse", form.getString("subprotocol"));
            assertEquals(List.of("subscribeevent", "unsubscribeevent"), strings(form.getJsonArray("op")));
        }
    }

    /** Writable points (the PLC's setpoints) validate too, and carry minimum, maximum and a write form. */
    @Test
    void writablePointsMeetTheSchemaWithTheirLimits() throws Exception {
        try (ApiHarness h = new ApiHarness(everyProfile(true))) {
            DeviceConfig plc = h.config.device("plc-1").orElseThrow();
            JsonObject td = new ThingDescription(h.config).of(plc, new PropertyKeys(plc.points()),
                    URI.create("http://gateway.example:8080/"));
            assertEquals(List.of(), TdSchema.errors(schema, td.toString()));
            JsonObject setpoint = td.getJsonObject("properties").getJsonObject("pump-speed-setpoint");
            assertFalse(setpoint.getBoolean("readOnly"));
            assertEquals(0, setpoint.getJsonNumber("minimum").bigDecimalValue().signum());
            assertEquals(0, new BigDecimal("100").compareTo(setpoint.getJsonNumber("maximum").bigDecimalValue()));
            assertEquals("written in steps of 0.5", setpoint.getString("description"));
            JsonObject write = setpoint.getJsonArray("forms").getJsonObject(2);
            assertEquals(List.of("writeproperty"), strings(write.getJsonArray("op")));
            assertEquals("PUT", write.getString("htv:methodName"));
            JsonObject mode = td.getJsonObject("properties").getJsonObject("operating-mode");
            assertFalse(mode.getBoolean("readOnly"));
            assertFalse(mode.containsKey("minimum"), "a labelled point is written by its labels");
            assertTrue(td.getJsonObject("properties").getJsonObject("tank-level").getBoolean("readOnly"));
        }
    }

    @Test
    void theValidatorRejectsBrokenTds() throws Exception {
        try (ApiHarness h = new ApiHarness(everyProfile(false))) {
            JsonObject td = json(get(h, "/api/things/sdm120-1", false, "application/td+json"));
            assertEquals(List.of(), TdSchema.errors(schema, td.toString()));
            assertFalse(TdSchema.errors(schema, Json.createObjectBuilder(td).remove("security").build().toString())
                    .isEmpty(), "security is required");
            JsonObject p = td.getJsonObject("properties").getJsonObject("frequency");
            JsonObject typo = Json.createObjectBuilder(td).add("properties", Json.createObjectBuilder()
                    .add("frequency", Json.createObjectBuilder(p).add("type", "float"))).build();
            assertFalse(TdSchema.errors(schema, typo.toString()).isEmpty(), "float is no JSON type");
            JsonObject noHref = Json.createObjectBuilder(td).add("properties", Json.createObjectBuilder()
                    .add("frequency", Json.createObjectBuilder(p).add("forms", Json.createArrayBuilder()
                            .add(Json.createObjectBuilder().add("op", "readproperty"))))).build();
            assertFalse(TdSchema.errors(schema, noHref.toString()).isEmpty(), "a form needs an href");
        }
    }

    @Test
    void keysAreSlugsOfDisplayNamesUniquePerThing() {
        assertEquals("l1-voltage", PropertyKeys.slug("L1 Voltage"));
        assertEquals("water-temperature-c", PropertyKeys.slug("Water Temperature (°C)"));
        assertEquals("energie-reactive", PropertyKeys.slug("Énergie réactive"));
        assertEquals("point", PropertyKeys.slug("%%"));
        Point a = Point.of("L1 Voltage", ModbusAddress.of(Table.INPUT, 0, io.edgegateway.point.DataType.FLOAT32), "V");
        Point b = Point.of("l1-voltage", ModbusAddress.of(Table.INPUT, 2, io.edgegateway.point.DataType.FLOAT32), "V");
        Point c = Point.of("L1 voltage ", ModbusAddress.of(Table.INPUT, 4, io.edgegateway.point.DataType.FLOAT32), "V");
        PropertyKeys keys = new PropertyKeys(List.of(a, b, c));
        assertEquals(List.of("l1-voltage", "l1-voltage-2", "l1-voltage-3"), List.copyOf(keys.points().keySet()));
        assertEquals("l1-voltage-2", keys.key("l1-voltage"));
        assertEquals(keys.points().keySet(), new PropertyKeys(List.of(a, b, c)).points().keySet(), "stable");
        for (String profile : PROFILES) {
            List<Point> points = ProfileCatalog.shipped().find(profile).orElseThrow().points();
            Set<String> names = new TreeSet<>(new PropertyKeys(points).points().keySet());
            assertEquals(points.size(), names.size(), profile);
            Set<String> plain = points.stream().map(p -> PropertyKeys.slug(p.name())).collect(Collectors.toSet());
            assertEquals(new HashSet<>(plain), names, profile + ": no shipped point needs a suffix");
        }
    }

    private static List<String> strings(jakarta.json.JsonArray a) {
        return a.getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
    }
}
