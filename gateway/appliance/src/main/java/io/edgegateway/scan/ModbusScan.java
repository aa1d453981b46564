package io.edgegateway.scan;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.modbus.ExceptionCode;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.Protocol;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Finds devices on one Modbus link, unit by unit, and says which profile each one's registers fit.
 *
 * <p>A unit is first asked for one holding register (FC03, address 0): any answer, an exception code included,
 * means a device is there. Only devices that answered are then read further, a few registers per profile (see
 * {@link Plausibility}); reads are single, small and never writes. Every read is bounded by the link's timeout.
 */
public final class ModbusScan {

    private final ModbusClient link;
    private final List<DeviceProfile> profiles;
    private final ProfileFitter fitter;
    private boolean linkWorked;

    /** @param profiles candidates; non-Modbus ones are skipped */
    public ModbusScan(ModbusClient link, List<DeviceProfile> profiles, ProfileFitter fitter) {
        this.link = link;
        this.profiles = profiles.stream().filter(p -> p.protocol() == Protocol.MODBUS).toList();
        this.fitter = fitter;
    }

    public List<DeviceProfile> profiles() {
        return profiles;
    }

    /**
     * Probes {@code unit} and, if something answered, tests every profile against it.
     *
     * @throws LinkDownException when the link itself is gone (connection refused, serial port missing): scanning on
     *                           would only report every unit silent
     */
    public UnitReport examine(int unit, BooleanSupplier stop) throws LinkDownException {
        Presence presence = probe(unit);
        if (!(presence instanceof Presence.Answered) || stop.getAsBoolean()) {
            return new UnitReport(unit, presence, List.of(), 1);
        }
        ModbusUnitSource source = new ModbusUnitSource(link, unit);
        List<ProfileFit> fits = fitter.fitAll(profiles, source, stop);
        return new UnitReport(unit, presence, fits, 1 + source.requests());
    }

    /** One read of holding register 0. */
    public Presence probe(int unit) throws LinkDownException {
        try {
            RegisterBlock b = link.read(unit, Table.HOLDING, 0, 1);
            linkWorked = true;
            int v = b.register(0);
            return new Presence.Answered(String.format(Locale.ROOT, "FC03 holding 0x0000 = %d (0x%04X)", v, v));
        } catch (DeviceException e) {
            return switch (e) {
                case RejectedException r -> {
                    linkWorked = true;
                    yield new Presence.Answered(ExceptionCode.describe(r.code()) + " to FC03 holding 0x0000");
                }
                case BadResponseException b -> {
                    linkWorked = true;
                    yield new Presence.Garbled(b.getMessage());
                }
                case NoResponseException n -> new Presence.Silent(n.getMessage());
                case LinkDownException l -> linkDown(l);
            };
        }
    }

    private Presence linkDown(LinkDownException e) throws LinkDownException {
        if (e.getCause() == null) {
            // Exception 0A from a TCP gateway: it has no path to this unit, the gateway itself is fine.
            return new Presence.Silent(e.getMessage());
        }
        // A Modbus TCP device may close the connection on a unit id it does not serve; the link reconnects for the
        // next unit. Anything else (refused, unreachable, serial port gone) ends the scan.
        if (linkWorked && link.framing() != ModbusClient.Framing.RTU && !connectFailed(e)) {
            return new Presence.Silent(e.getMessage());
        }
        throw e;
    }

    private static boolean connectFailed(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
