// An independent W3C WoT consumer of the gateway's Thing Descriptions, on Eclipse Thingweb node-wot.
// Run by ThingConsumerTest:  node consumer.js <gateway URL> <meter TD> <PLC TD> [token]
// Prints one JSON line per step ({"step":..,"ok":true|false,..}); "alert-ready" asks the test to raise an alert.
"use strict";

const { Servient } = require("@node-wot/core");
const { HttpClientFactory } = require("@node-wot/binding-http");

const [gateway, meterNo, plcNo, token] = process.argv.slice(2);
const WAIT_MS = 15000;

function report(step, fields) {
    process.stdout.write(JSON.stringify({ step, ...fields }) + "\n");
}

async function step(name, body) {
    try {
        report(name, { ok: true, ...(await body()) });
    } catch (e) {
        report(name, { ok: false, error: String(e && e.message ? e.message : e) });
    }
}

function within(ms, what, promise) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no " + what + " within " + ms + " ms")), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// With tokens, node-wot 0.9.2 signs its HTTP requests with the bearer credential, but opens EventSource without
// it and fetches a TD without credentials: the TD is fetched here with the header, and SSE forms carry the
// token as access_token, which the gateway also accepts.
async function thingDescription(WoT, servient, no) {
    const url = gateway + "/api/things/" + no;
    if (!token) {
        return WoT.requestThingDescription(url);
    }
    const res = await fetch(url, { headers: { Authorization: "Bearer " + token, Accept: "application/td+json" } });
    if (!res.ok) {
        throw new Error("GET " + url + ": " + res.status);
    }
    const td = await res.json();
    servient.addCredentials({ [td.id]: { token } });
    const forms = [];
    for (const group of [td.properties, td.events]) {
        for (const affordance of Object.values(group || {})) {
            forms.push(...affordance.forms.filter((f) => f.subprotocol === "sse"));
        }
    }
    for (const f of forms) {
        f.href += (f.href.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(token);
    }
    return td;
}

async function main() {
    const servient = new Servient();
    servient.addClientFactory(new HttpClientFactory(null));
    const WoT = await servient.start();

    let meter;
    await step("fetch", async () => {
        const td = await thingDescription(WoT, servient, meterNo);
        meter = await WoT.consume(td);
        return { id: td.id, title: td.title, security: td.security, properties: Object.keys(td.properties).length };
    });

    await step("read", async () => {
        const out = await meter.readProperty("l1-voltage");
        return { value: await out.value() }; // value() checks it against the property's schema
    });

    await step("observe", async () => {
        const values = [];
        let enough;
        const done = new Promise((resolve) => (enough = resolve));
        const sub = await meter.observeProperty("l1-voltage", async (data) => {
            values.push(await data.value());
            if (values.length >= 3) {
                enough();
            }
        });
        try {
            await within(WAIT_MS, "three notifications", done);
        } finally {
            await sub.stop();
        }
        return { values };
    });

    await step("write", async () => {
        const plc = await WoT.consume(await thingDescription(WoT, servient, plcNo));
        await plc.writeProperty("pump-speed-setpoint", 55.5);
        const out = await plc.readProperty("pump-speed-setpoint");
        return { value: await out.value() };
    });

    await step("alert", async () => {
        let received;
        const arrived = new Promise((resolve) => (received = resolve));
        const sub = await meter.subscribeEvent("alert", async (data) => received(await data.value()));
        report("alert-ready", { ok: true });
        try {
            return { data: await within(WAIT_MS, "alert", arrived) };
        } finally {
            await sub.stop();
        }
    });

    report("done", { ok: true });
    await servient.shutdown().catch(() => {});
    process.exit(0);
}

main().catch((e) => {
    report("failed", { ok: false, error: String(e && e.stack ? e.stack : e) });
    process.exit(1);
});
