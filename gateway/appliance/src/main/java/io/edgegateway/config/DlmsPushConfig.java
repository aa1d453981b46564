package io.edgegateway.config;

import io.edgegateway.dlms.push.PushLayout;
import io.edgegateway.dlms.push.PushObject;
import io.edgegateway.dlms.push.SystemTitle;
import io.edgegateway.dlms.security.Ciphering;

import java.time.Duration;
import java.util.List;

/**
 * {@code dlms-push}: where DLMS meters push Data-Notifications to, and which meters may. Each device's pushed values
 * become readings of a configured meter.
 *
 * @param bind           address to listen on (default the HTTP server's)
 * @param port           TCP port; 0 picks a free one (tests)
 * @param maxConnections connections served at once; more are closed at once
 * @param idleTimeout    a connection that sends nothing this long is closed
 * @param devices        the meters that push
 */
public record DlmsPushConfig(String bind, int port, int maxConnections, Duration idleTimeout, List<Device> devices) {

    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public DlmsPushConfig {
        devices = List.copyOf(devices);
    }

    /**
     * One meter that pushes.
     *
     * @param meterNo     the configured device its values belong to
     * @param systemTitle the meter's, which names it in general-glo-ciphering
     * @param keys        its block cipher and authentication keys (never shown)
     * @param layout      its push_object_list mapped to the device's points
     */
    public record Device(String meterNo, SystemTitle systemTitle, Ciphering keys, PushLayout layout) {

        public List<PushObject> objects() {
            return layout.objects();
        }

        @Override
        public String toString() {
            return "Device[meterNo=" + meterNo + ", systemTitle=" + systemTitle + ", keys hidden, "
                    + layout.objects().size() + " objects]";
        }
    }
}
