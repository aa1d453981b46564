package io.edgegateway.sim.modbus;

import io.edgegateway.modbus.ExceptionCode;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Answers request PDUs for the units behind one port, applying the faults. Shared by every connection of a
 * simulator; thread-safe (units are, and counters are adders).
 *
 * <p>Unit id rules: on an RTU bus (serial, or RTU over TCP, which is a bus behind a device server) a unit nobody
 * serves stays silent, as on real RS-485, and unit 0 is a broadcast: writes go to every unit, nothing answers.
 * Behind plain Modbus TCP the simulator acts as a gateway: an unknown unit gets exception 0B (gateway target
 * device failed to respond), which lets bus scans move on at once; and unit 0 or 255, the ids meant for "the
 * device itself", reach the only unit when there is one.
 */
final class ModbusResponder {

    private final Map<Integer, ModbusUnit> units;
    private final Faults faults;
    private final boolean bus;
    private final Consumer<String> log;
    private final LongAdder requests = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder exceptions = new LongAdder();
    private final LongAdder silent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Map<Integer, LongAdder> perUnit = new ConcurrentHashMap<>();

    /**
     * @param bus true for RTU framings (unknown units silent, unit 0 broadcast)
     * @param log receives one line per request, or null
     */
    ModbusResponder(Map<Integer, ModbusUnit> units, Faults faults, boolean bus, Consumer<String> log) {
        this.units = Map.copyOf(units);
        this.faults = faults;
        this.bus = bus;
        this.log = log;
    }

    Map<Integer, ModbusUnit> units() {
        return units;
    }

    Set<Integer> unitIds() {
        return Collections.unmodifiableSet(new TreeSet<>(units.keySet()));
    }

    /** The device behind {@code unit}; names the units served when there is none. */
    SimulatedDevice device(int unit) {
        ModbusUnit u = units.get(unit);
        if (u == null) {
            throw new IllegalArgumentException("no unit " + unit + " here (units: " + unitIds() + ")");
        }
        return u.device();
    }

    Answer answer(int unitId, byte[] pdu, boolean firstOnConnection) {
        requests.increment();
        perUnit.computeIfAbsent(unitId, k -> new LongAdder()).increment();
        Faults.Decision decision = faults.decide(unitId, firstOnConnection);
        if (decision.silent()) {
            silent.increment();
            log(unitId, pdu, "(silent: fault)");
            return Answer.SILENCE;
        }
        if (decision.drop()) {
            dropped.increment();
            log(unitId, pdu, "(connection dropped: fault)");
            return Answer.DROP;
        }
        Pdu.Request request = Pdu.decode(pdu);
        ModbusUnit unit = units.get(unitId);
        if (bus && unitId == 0) {
            if (request.isWrite()) {
                for (ModbusUnit u : units.values()) {
                    try {
                        execute(u, request, pdu);
                    } catch (ModbusUnit.Refusal ignored) {
                        // a broadcast has no answer to carry the refusal
                    }
                }
            }
            silent.increment();
            log(unitId, pdu, "(broadcast: no answer)");
            return Answer.SILENCE;
        }
        if (unit == null && !bus && (unitId == 0 || unitId == 255) && units.size() == 1) {
            unit = units.values().iterator().next();
        }
        byte[] out;
        String note = "";
        if (unit == null) {
            if (bus) {
                silent.increment();
                log(unitId, pdu, "(no such unit: silent)");
                return Answer.SILENCE;
            }
            out = Pdu.exception(request.function(), Pdu.GATEWAY_TARGET_FAILED);
        } else if (decision.exceptionCode() != 0) {
            out = Pdu.exception(request.function(), decision.exceptionCode());
            note = " (fault)";
        } else {
            try {
                out = execute(unit, request, pdu);
            } catch (ModbusUnit.Refusal r) {
                out = Pdu.exception(request.function(), r.code);
                note = ": " + r.getMessage();
            }
        }
        if ((out[0] & 0x80) != 0) {
            exceptions.increment();
        } else {
            answered.increment();
        }
        if (log != null) {
            log(unitId, pdu, (out[0] & 0x80) != 0 ? ExceptionCode.describe(out[1]) + note : (out.length - 1) + " bytes");
        }
        return new Answer.Reply(out, decision.delay(), decision.corruptCrc(), decision.drip(), decision.garbage());
    }

    private static byte[] execute(ModbusUnit unit, Pdu.Request request, byte[] pdu) throws ModbusUnit.Refusal {
        return switch (request) {
            case Pdu.ReadBits r -> Pdu.bitsAnswer(r.function(), unit.readBits(r.table(), r.start(), r.count()));
            case Pdu.ReadRegisters r -> Pdu.registersAnswer(r.function(),
                    unit.readRegisters(r.table(), r.start(), r.count()));
            case Pdu.WriteCoil w -> {
                unit.writeCoils(w.address(), new boolean[] {w.on()});
                yield Pdu.writeAnswer(pdu);
            }
            case Pdu.WriteRegister w -> {
                unit.writeRegisters(w.address(), new byte[] {(byte) (w.value() >> 8), (byte) w.value()});
                yield Pdu.writeAnswer(pdu);
            }
            case Pdu.WriteCoils w -> {
                unit.writeCoils(w.start(), w.values());
                yield Pdu.writeAnswer(pdu);
            }
            case Pdu.WriteRegisters w -> {
                unit.writeRegisters(w.start(), w.data());
                yield Pdu.writeAnswer(pdu);
            }
            case Pdu.Malformed m -> Pdu.exception(m.function(), m.exceptionCode());
        };
    }

    private void log(int unitId, byte[] pdu, String outcome) {
        if (log == null) {
            return;
        }
        String what = pdu.length >= 5 ? String.format(Locale.ROOT, "FC%02d 0x%04X+%d", pdu[0] & 0xFF,
                Pdu.u16(pdu, 1), Pdu.u16(pdu, 3)) : String.format(Locale.ROOT, "FC%02d", pdu.length > 0 ? pdu[0] & 0xFF : 0);
        log.accept("unit " + unitId + " " + what + " -> " + outcome);
    }

    void countDropped() {
        dropped.increment();
    }

    long requests(int unitId) {
        LongAdder a = perUnit.get(unitId);
        return a == null ? 0 : a.sum();
    }

    SimulatorStats stats(long crcErrors, long connections) {
        return new SimulatorStats(requests.sum(), answered.sum(), exceptions.sum(), silent.sum(), dropped.sum(),
                crcErrors, connections);
    }
}
