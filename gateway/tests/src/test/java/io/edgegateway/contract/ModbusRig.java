package io.edgegateway.contract;

import io.edgegateway.device.MeterReader;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.Expectations;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** A simulated SDM120 as unit 1 of a Modbus simulator, read by the gateway's {@link ModbusMeter}. */
final class ModbusRig implements TransportContract.Rig {

    /** Opens the client of this transport with the given options. */
    interface Client extends Function<LinkOptions, ModbusClient> {
    }

    /** What the rig needs of either Modbus simulator. */
    interface Simulator extends AutoCloseable {
        Faults faults();

        void restart() throws Exception;
    }

    static final DeviceProfile PROFILE = Expectations.profile("sdm120");

    static SimulatedDevice frozenDevice() {
        SimulatedDevice d = SimulatedDevice.of(PROFILE, 7, Clock.systemUTC());
        d.freeze(true);
        return d;
    }

    private final Simulator sim;
    private final SimulatedDevice device;
    private final Client client;
    private final LinkOptions defaults;

    ModbusRig(Simulator sim, SimulatedDevice device, LinkOptions defaults, Client client) {
        this.sim = sim;
        this.device = device;
        this.defaults = defaults;
        this.client = client;
    }

    @Override
    public MeterReader reader(Duration timeout) {
        // The late-reply guard as short as the test's answers are: what matters here is that the line is cleared.
        LinkOptions o = defaults.withResponseTimeout(timeout).withConnectTimeout(Duration.ofSeconds(1))
                .withLateReplyGuard(defaults.lateReplyGuard().isZero() ? Duration.ZERO : Duration.ofMillis(300));
        ModbusClient link = client.apply(o);
        ModbusMeter meter = new ModbusMeter(link, 1, PROFILE.limits());
        return new MeterReader() {
            @Override
            public java.util.Map<Point, PointValue> read(List<Point> points) throws io.edgegateway.device.DeviceException {
                return meter.read(points);
            }

            @Override
            public void close() {
                link.close();
            }
        };
    }

    @Override
    public List<Point> points() {
        return PROFILE.points().subList(0, 4);
    }

    @Override
    public BigDecimal expected(Point p) {
        return ((PointValue.Number) Expectations.onTheWire(device, p)).value();
    }

    @Override
    public void silence(boolean on) {
        sim.faults().set(on ? FaultPlan.silence() : FaultPlan.NONE);
    }

    @Override
    public void garbage(boolean on) {
        sim.faults().set(FaultPlan.NONE.withGarbage(on));
    }

    @Override
    public void drip(int bytesPerSecond) {
        sim.faults().set(FaultPlan.NONE.withDrip(bytesPerSecond));
    }

    @Override
    public void reboot() throws Exception {
        sim.restart();
    }

    @Override
    public void close() throws Exception {
        sim.close();
    }
}
