package io.edgegateway.app;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.device.DeviceException;
import io.edgegateway.dlms.client.DlmsMeter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Resolves {@code meter-no: auto}: reads each such DLMS meter's serial number (0.0.96.1.0.255) once, at start,
 * all meters in parallel, each bounded by its bus's timeouts. Dashboards subscribe by meter number, so it cannot
 * change while the gateway runs: a meter that does not answer now gets a provisional number until the next start.
 */
final class MeterNumbers {

    private static final Logger LOG = Logger.getLogger(MeterNumbers.class.getName());

    private MeterNumbers() {
    }

    static GatewayConfig resolve(GatewayConfig config) {
        if (config.devices().stream().noneMatch(d -> d.meterNo().equals(DeviceConfig.AUTO))) {
            return config;
        }
        List<Future<String>> reads = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DeviceConfig d : config.devices()) {
                reads.add(d.meterNo().equals(DeviceConfig.AUTO) ? pool.submit(() -> read(d)) : null);
            }
        }
        Set<String> taken = new HashSet<>();
        config.devices().stream().map(DeviceConfig::meterNo).filter(m -> !m.equals(DeviceConfig.AUTO)).forEach(taken::add);
        List<DeviceConfig> out = new ArrayList<>();
        for (int i = 0; i < config.devices().size(); i++) {
            DeviceConfig d = config.devices().get(i);
            if (reads.get(i) == null) {
                out.add(d);
                continue;
            }
            String provisional = "auto-" + d.bus() + "-" + d.unitId();
            String number = outcome(reads.get(i), d, provisional);
            if (!taken.add(number)) {
                LOG.warning("meter on bus " + d.bus() + " reports serial number " + number
                        + ", which another meter already has; using " + provisional);
                number = provisional;
                taken.add(number);
            }
            out.add(d.withMeterNo(number));
        }
        return config.withDevices(out);
    }

    private static String read(DeviceConfig d) throws DeviceException {
        try (DlmsMeter meter = new DlmsMeter(d.dlms())) {
            return meter.readSerialNumber();
        }
    }

    private static String outcome(Future<String> read, DeviceConfig d, String provisional) {
        try {
            String serial = read.get();
            // Meter numbers appear in URLs; keep what a serial number may hold that they may not out of them.
            String number = serial.strip().replaceAll("[^A-Za-z0-9._:-]", "_");
            if (number.isEmpty()) {
                LOG.warning("meter on bus " + d.bus() + " reports an empty serial number; using " + provisional);
                return provisional;
            }
            LOG.info("meter on bus " + d.bus() + " unit " + d.unitId() + " is meterNo " + number
                    + " (its serial number)");
            return number;
        } catch (ExecutionException e) {
            LOG.warning("meter on bus " + d.bus() + " unit " + d.unitId() + " did not give its serial number ("
                    + e.getCause().getMessage() + "); using " + provisional + " until the gateway restarts");
            return provisional;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return provisional;
        }
    }
}
