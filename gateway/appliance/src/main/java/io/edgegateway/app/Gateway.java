package io.edgegateway.app;

import io.edgegateway.alert.AlertWatch;
import io.edgegateway.alert.WatchedMeter;
import io.edgegateway.config.BusConfig;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.LoadProfileConfig;
import io.edgegateway.device.MeterReader;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.loadprofile.ClockWatch;
import io.edgegateway.loadprofile.ProfileCatchUp;
import io.edgegateway.poll.LineTask;
import io.edgegateway.config.UplinkConfig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.poll.BusScheduler;
import io.edgegateway.poll.BusStats;
import io.edgegateway.poll.PolledDevice;
import io.edgegateway.push.PushHealth;
import io.edgegateway.push.PushListener;
import io.edgegateway.point.Point;
import io.edgegateway.sse.ClientRegistry;
import io.edgegateway.store.EventStore;
import io.edgegateway.uplink.Uplink;
import io.edgegateway.uplink.UplinkHealth;
import io.edgegateway.write.BusWriter;
import io.edgegateway.write.PointWriter;
import io.helidon.webserver.WebServer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A running gateway: schedulers polling every bus, the event hub, the HTTP server and, with {@code dlms-push}, the
 * port meters push to. {@link #start} opens the HTTP port, then the push port, before polling starts, so a port
 * already in use fails before devices are polled (only meters with {@code meter-no: auto} are asked for their
 * number first).
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final EventStore store;
    private final EventHub hub;
    private final ClientRegistry clients;
    private final List<BusScheduler> schedulers;
    private final WebServer server;
    private final Optional<Uplink> uplink;
    private final Optional<PushListener> push;
    private final AlertWatch alerts;
    private final PointWriter writer;

    private Gateway(GatewayConfig config, EventStore store, EventHub hub, ClientRegistry clients,
                    List<BusScheduler> schedulers, WebServer server, Optional<Uplink> uplink,
                    Optional<PushListener> push, AlertWatch alerts, PointWriter writer) {
        this.config = config;
        this.store = store;
        this.hub = hub;
        this.clients = clients;
        this.schedulers = schedulers;
        this.server = server;
        this.uplink = uplink;
        this.push = push;
        this.alerts = alerts;
        this.writer = writer;
    }

    public static Gateway start(GatewayConfig configured, BusConnector connector, Clock clock) {
        GatewayConfig config = MeterNumbers.resolve(configured);
        List<String> meterNos = config.devices().stream().map(DeviceConfig::meterNo).toList();
        Map<String, List<Point>> points = new LinkedHashMap<>();
        config.devices().forEach(d -> points.put(d.meterNo(), d.points()));
        EventStore store = EventStore.open(config.storage(), points, clock);
        // Ids start from the clock so they keep growing across restarts, and beyond every id the store saw: a
        // client's id from an earlier run is then found in the store, or reads as too old, never as the future.
        EventHub hub = new EventHub(meterNos, config.sse().replaySize(), store.startRun(clock.millis() * 1000), store);
        store.latestReadings().forEach((m, r) -> {
            if (hub.knows(m)) {
                hub.restore(r);
            }
        });
        // Before any poll: alerts the last run left open are taken over, not raised again.
        AlertWatch alerts = new AlertWatch(config.alerts(), config.devices().stream()
                .map(d -> new WatchedMeter(d.meterNo(), d.profile(), d.points())).toList(), hub, store,
                ConfigLoader.alertRules(config.profiles(), config.devices()), clock);
        alerts.start();
        ClientRegistry clients = new ClientRegistry(config.sse(), clock);
        // Read by /health while buses are still being added below.
        List<BusScheduler> schedulers = new CopyOnWriteArrayList<>();
        PointWriter writer = new BusWriter(config, hub, () -> schedulers, store, clock);

        Optional<Uplink> uplink = config.uplink().map(u -> Uplink.of(u, config.gatewayId(), hub, store, clock,
                alerts::slots));
        Supplier<UplinkHealth> uplinkHealth = uplink.<Supplier<UplinkHealth>>map(u -> u::health)
                .orElse(() -> UplinkHealth.DISABLED);
        Optional<PushListener> push = config.dlmsPush().map(p -> new PushListener(p, config.source(), hub, clock));
        Supplier<PushHealth> pushHealth = push.<Supplier<PushHealth>>map(p -> p::health)
                .orElse(() -> PushHealth.DISABLED);
        WebServer server;
        try {
            server = ApiServer.start(new ApiServer.Services(config, hub, clients, () -> stats(schedulers), store,
                    uplinkHealth, pushHealth, clock, alerts, writer));
        } catch (RuntimeException e) {
            alerts.close();
            clients.close();
            store.close(hub.lastId());
            throw e;
        }
        try {
            push.ifPresent(PushListener::start);
        } catch (RuntimeException e) {
            server.stop();
            alerts.close();
            clients.close();
            store.close(hub.lastId());
            throw e;
        }
        try {
            for (BusConfig bus : config.buses()) {
                List<DeviceConfig> devices = config.devicesOn(bus.name());
                if (devices.isEmpty()) {
                    LOG.warning("bus " + bus.name() + " has no devices; not opening it");
                    continue;
                }
                BusConnector.ConnectedBus connected = connector.connect(bus, devices, config);
                List<PolledDevice> polled = new ArrayList<>();
                for (DeviceConfig d : devices) {
                    MeterReader reader = connected.readers().get(d.meterNo());
                    if (reader instanceof DlmsMeter meter && push.isPresent()) {
                        meter.onUnsolicited(push.get().fromLink(d.meterNo()));
                    }
                    polled.add(new PolledDevice(d.meterNo(), reader, d.points(), d.pollGroups(),
                            lineTasks(d, reader, hub, store, config, clock)));
                }
                BusScheduler s = new BusScheduler(bus.name(), bus.type().configName(), polled, hub, config.backoff(),
                        config.retryShare(), connected.line(), clock, bus.type().serial() || polled.size() > 1);
                schedulers.add(s);
            }
            schedulers.forEach(BusScheduler::start);
            uplink.ifPresent(Uplink::start);
        } catch (RuntimeException e) {
            schedulers.forEach(BusScheduler::stop); // all at once: each may be inside an exchange until its timeout
        schedulers.forEach(BusScheduler::close);
            push.ifPresent(PushListener::close);
            server.stop();
            alerts.close();
            clients.close();
            store.close(hub.lastId());
            throw e;
        }
        warnIfClientsOutgrowHeap(config.sse().maxClients());
        LOG.info(() -> "gateway listening on http://" + config.bind() + ":" + server.port() + " with "
                + config.devices().size() + " devices on " + schedulers.size() + " buses"
                + (config.tokens().isEmpty() ? " (no access tokens: open to anyone who can reach the port)" : ""));
        config.uplink().ifPresent(u -> LOG.info("uplink to " + u.url() + " as " + u.format().configName()
                + ", gateway id " + config.gatewayId()));
        config.uplink().flatMap(UplinkConfig::warning).ifPresent(LOG::warning);
        return new Gateway(config, store, hub, clients, List.copyOf(schedulers), server, uplink, push, alerts,
                writer);
    }

    /** A DLMS device's load profiles and clock check, run by its bus thread between polls. */
    private static List<LineTask> lineTasks(DeviceConfig d, MeterReader reader, EventHub hub, EventStore store,
                                            GatewayConfig config, Clock clock) {
        if (!(reader instanceof DlmsMeter meter)) {
            return List.of();
        }
        List<LineTask> tasks = new ArrayList<>();
        for (LoadProfileConfig p : d.loadProfiles()) {
            tasks.add(new ProfileCatchUp(d.meterNo(), meter, p, d.points(), hub, store::lastEntry,
                    config.storage().enabled() ? config.storage().retention() : p.backfill(), clock));
        }
        if (d.clock() != null) {
            tasks.add(new ClockWatch(d.meterNo(), meter, d.clock(), clock));
        }
        return tasks;
    }

    /**
     * An idle SSE connection holds about 25 KB of heap (Helidon's 8 KB socket read buffer, the stacks of its two
     * parked virtual threads, Helidon's connection and request objects; measured with bin/bench sse), 32 KB with a
     * margin. Say so at start rather than run out of memory at the thousandth dashboard.
     */
    private static void warnIfClientsOutgrowHeap(int maxClients) {
        long needMb = 64 + maxClients * 32L / 1024;
        long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        if (needMb > heapMb) {
            LOG.warning("sse.max-clients " + maxClients + " may need about " + needMb + " MB of heap, but the JVM has "
                    + heapMb + " MB: raise -Xmx (GATEWAY_JAVA_OPTS) or lower sse.max-clients");
        }
    }

    private static List<BusStats> stats(List<BusScheduler> schedulers) {
        return schedulers.stream().map(BusScheduler::stats).toList();
    }

    public int port() {
        return server.port();
    }

    public EventHub hub() {
        return hub;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public GatewayConfig config() {
        return config;
    }

    public List<BusStats> stats() {
        return stats(schedulers);
    }

    public EventStore store() {
        return store;
    }

    /** The alert rules and their alerts. */
    public AlertWatch alerts() {
        return alerts;
    }

    /** The running bus schedulers: for tests that write through a writer with waits of their own. */
    List<BusScheduler> buses() {
        return schedulers;
    }

    /** The one door for writes to points: the REST route's, and the WoT forms'. */
    public PointWriter writer() {
        return writer;
    }

    /** The uplink's state, DISABLED when none is configured. */
    public UplinkHealth uplink() {
        return uplink.map(Uplink::health).orElse(UplinkHealth.DISABLED);
    }

    /** The DLMS push listener's state and counters (its bound port too), DISABLED without {@code dlms-push}. */
    public PushHealth push() {
        return push.map(PushListener::health).orElse(PushHealth.DISABLED);
    }

    /** Stops polling, ends the streams, then saves what is queued and records a clean stop (no lost window). */
    @Override
    public void close() {
        push.ifPresent(PushListener::close); // no reading reaches the hub after this
        schedulers.forEach(BusScheduler::close);
        alerts.close(); // no alert after this, so the uplink and the store see every one
        uplink.ifPresent(Uplink::close); // before the store closes, so its cursor goes with the last commit
        clients.close();
        server.stop();
        store.close(hub.lastId());
    }
}
