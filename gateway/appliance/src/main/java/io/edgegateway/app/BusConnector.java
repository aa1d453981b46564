package io.edgegateway.app;

import io.edgegateway.config.BusConfig;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.device.MeterReader;
import io.edgegateway.device.SharedLine;

import java.util.List;
import java.util.Map;

/** Attaches protocol drivers to a configured bus. Must not block on the network: readers connect on first use. */
public interface BusConnector {

    /**
     * @return the bus's shared line (closed when the gateway stops; null if each reader owns its connection) and a
     *         reader per device, keyed by meter number
     */
    ConnectedBus connect(BusConfig bus, List<DeviceConfig> devices, GatewayConfig config);

    record ConnectedBus(SharedLine line, Map<String, MeterReader> readers) {
    }
}
