package io.edgegateway.bench.soak;

import io.edgegateway.sim.dlms.DlmsFaults;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.fault.Faults;

import java.time.Duration;
import java.util.List;

/**
 * The hostile devices' misbehaviour, one phase at a time and all of them in turn: a Modbus unit that drips its
 * answers, answers garbage, resets the connection, answers exception 04, then goes silent; a DLMS meter that drips,
 * answers garbage, goes silent and answers too late.
 */
final class HostileCycle {

    private static final List<String> MODBUS = List.of("drip", "garbage", "reset", "exception", "silent");
    private static final List<String> DLMS = List.of("drip", "garbage", "silent", "late");

    private final List<Faults> modbus;
    private final int unit;
    private final DlmsFaults dlms;
    private int phase;

    /** @param modbus the fault switches of the simulators the hostile {@code unit} is on */
    HostileCycle(List<Faults> modbus, int unit, DlmsFaults dlms) {
        this.modbus = List.copyOf(modbus);
        this.unit = unit;
        this.dlms = dlms;
    }

    /** Moves every hostile device to its next behaviour; returns a description for the log. */
    String next() {
        String m = MODBUS.get(phase % MODBUS.size());
        FaultPlan plan = switch (m) {
            case "drip" -> FaultPlan.NONE.withDrip(2);
            case "garbage" -> FaultPlan.NONE.withGarbage(true);
            case "reset" -> FaultPlan.NONE.withDropEvery(1);
            case "exception" -> FaultPlan.exception(4);
            default -> FaultPlan.silence();
        };
        modbus.forEach(f -> f.set(unit, plan));
        String d = DLMS.get(phase % DLMS.size());
        dlms.drip(0).garbage(false).silence(false).delay(Duration.ZERO);
        switch (d) {
            case "drip" -> dlms.drip(2);
            case "garbage" -> dlms.garbage(true);
            case "silent" -> dlms.silence(true);
            default -> dlms.delay(Duration.ofSeconds(5));
        }
        phase++;
        return "modbus " + m + ", dlms " + d;
    }
}
