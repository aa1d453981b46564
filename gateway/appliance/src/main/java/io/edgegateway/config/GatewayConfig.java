package io.edgegateway.config;

import io.edgegateway.alert.AlertRule;
import io.edgegateway.poll.Backoff;
import io.edgegateway.profile.ProfileCatalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the gateway was told, validated.
 *
 * @param source         where it was read from, for messages
 * @param bind           address the HTTP server listens on
 * @param port           HTTP port
 * @param sse            streaming settings
 * @param tokens         access tokens; empty means no authentication
 * @param allowedOrigins CORS origins allowed to call from a browser ("*" for any)
 * @param backoff        retry backoff for failing devices
 * @param retryShare     share of a bus's time that retries of failing devices may take
 * @param stateDir       where the gateway keeps state across restarts (DLMS invocation counters, the store)
 * @param storage        the reading store
 * @param profiles       shipped profiles plus the configured profile directory
 * @param buses          buses, in file order
 * @param devices        devices, in file order
 * @param gatewayId      this gateway's name in the fleet ({@code gateway-id}, default the host name)
 * @param uplink         the MQTT uplink, when configured
 * @param dlmsPush       where DLMS meters push Data-Notifications, when configured
 * @param alerts         the config's alert rules ({@code alerts:})
 */
public record GatewayConfig(String source, String bind, int port, SseConfig sse, List<AccessToken> tokens,
                            List<String> allowedOrigins, Backoff backoff, double retryShare, Path stateDir,
                            StorageConfig storage, ProfileCatalog profiles, List<BusConfig> buses,
                            List<DeviceConfig> devices, String gatewayId, Optional<UplinkConfig> uplink,
                            Optional<DlmsPushConfig> dlmsPush, List<AlertRule> alerts) {

    public GatewayConfig {
        tokens = List.copyOf(tokens);
        allowedOrigins = List.copyOf(allowedOrigins);
        buses = List.copyOf(buses);
        devices = List.copyOf(devices);
        alerts = List.copyOf(alerts);
    }

    /** The same config with other devices (meter numbers resolved at start). */
    public GatewayConfig withDevices(List<DeviceConfig> newDevices) {
        return new GatewayConfig(source, bind, port, sse, tokens, allowedOrigins, backoff, retryShare, stateDir,
                storage, profiles, buses, newDevices, gatewayId, uplink, dlmsPush, alerts);
    }

    /** The same config with another store (the demo's, or none). */
    public GatewayConfig withStorage(StorageConfig newStorage) {
        return new GatewayConfig(source, bind, port, sse, tokens, allowedOrigins, backoff, retryShare, stateDir,
                newStorage, profiles, buses, devices, gatewayId, uplink, dlmsPush, alerts);
    }

    public Optional<BusConfig> bus(String name) {
        return buses.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Optional<DeviceConfig> device(String meterNo) {
        return devices.stream().filter(d -> d.meterNo().equals(meterNo)).findFirst();
    }

    public List<DeviceConfig> devicesOn(String busName) {
        return devices.stream().filter(d -> d.bus().equals(busName)).toList();
    }
}
