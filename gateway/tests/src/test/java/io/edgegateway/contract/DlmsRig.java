package io.edgegateway.contract;

import io.edgegateway.device.MeterReader;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.dlms.DlmsSimulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** A simulated DLMS meter (the dlms-standard profile, public client), read by the gateway's {@link DlmsMeter}. */
final class DlmsRig implements TransportContract.Rig {

    private final DlmsSimulator sim;
    private final Function<Duration, DlmsSettings> settings;
    private final AutoCloseable also;

    /**
     * @param settings the client's settings for a timeout
     * @param also     closed after the simulator (a pty), or null
     */
    DlmsRig(DlmsSimulator sim, Function<Duration, DlmsSettings> settings, AutoCloseable also) {
        this.sim = sim;
        this.settings = settings;
        this.also = also;
        sim.device().freeze(true);
    }

    @Override
    public MeterReader reader(Duration timeout) {
        return new DlmsMeter(settings.apply(timeout));
    }

    @Override
    public List<Point> points() {
        return sim.device().profile().points().subList(0, 4);
    }

    @Override
    public BigDecimal expected(Point p) {
        BigDecimal v = ((PointValue.Number) sim.device().value(p)).value();
        return v.setScale(p.decimals(), RoundingMode.HALF_UP);
    }

    @Override
    public void silence(boolean on) {
        sim.faults().silence(on);
    }

    @Override
    public void garbage(boolean on) {
        sim.faults().garbage(on);
    }

    @Override
    public void drip(int bytesPerSecond) {
        sim.faults().drip(bytesPerSecond);
    }

    @Override
    public void reboot() throws Exception {
        sim.restart();
    }

    @Override
    public void close() throws Exception {
        sim.close();
        if (also != null) {
            also.close();
        }
    }
}
