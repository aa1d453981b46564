package io.edgegateway.cli;

import io.edgegateway.command.Options;
import io.edgegateway.serial.Parity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit lists, targets, durations and the progress line: the small parsers the field tools share. */
class OptionParsingTest {

    @Test
    void unitLists() {
        assertEquals(List.of(1, 2, 3), UnitList.parse("1-3", 1, 247).ids());
        assertEquals(List.of(1, 2, 10, 11, 12), UnitList.parse("10-12, 2,1,2", 1, 247).ids());
        assertEquals("1-2,10-12", UnitList.parse("10-12,2,1", 1, 247).describe());
        assertEquals(247, UnitList.parse("1-247", 1, 247).size());
        assertThrows(IllegalArgumentException.class, () -> UnitList.parse("0-5", 1, 247));
        assertThrows(IllegalArgumentException.class, () -> UnitList.parse("1,,2", 1, 247));
        assertThrows(IllegalArgumentException.class, () -> UnitList.parse("a-b", 1, 247));
    }

    private static Target target(String... args) {
        return Target.parse(Options.parse(List.of(args), Target.VALUED, Target.FLAGS), true);
    }

    @Test
    void targets() {
        assertEquals(new Target.ModbusTcp("10.0.0.5", 502), target("--tcp", "10.0.0.5"));
        assertEquals(new Target.ModbusTcp("meter.local", 5020), target("--tcp", "meter.local:5020"));
        assertEquals(new Target.ModbusTcp("::1", 502), target("--tcp", "::1"));
        assertEquals(new Target.ModbusTcp("fe80::1", 1502), target("--tcp", "[fe80::1]:1502"));
        assertEquals(new Target.RtuOverTcp("10.0.0.9", 4001), target("--rtu-over-tcp", "10.0.0.9:4001"));
        Target.ModbusSerial s = (Target.ModbusSerial) target("--serial", "/dev/ttyUSB0", "--baud", "19200",
                "--parity", "even", "--stop-bits", "1");
        assertEquals("rtu /dev/ttyUSB0 19200 8E1", s.describe());
        assertEquals(Parity.EVEN, s.serial().parity());
        assertEquals(new Target.DlmsTcp("10.0.0.7", 4059, true), target("--dlms-tcp", "10.0.0.7", "--hdlc"));
        assertEquals("dlms 10.0.0.7:4059 (wrapper)", target("--dlms-tcp", "10.0.0.7").describe());
        assertThrows(IllegalArgumentException.class, () -> target("--tcp", "h:0"));
        assertThrows(IllegalArgumentException.class, () -> target("--tcp", "h:http"));
        assertThrows(IllegalArgumentException.class, () -> target("--hdlc", "--tcp", "h"));
        assertThrows(IllegalArgumentException.class, () -> target("--mode-e", "--dlms-tcp", "h"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse(Options.parse(List.of("--dlms-tcp", "h"),
                Target.VALUED, Target.FLAGS), false));
    }

    @Test
    void durations() {
        Options o = Options.parse(List.of("--timeout", "250"), Target.VALUED, Target.FLAGS);
        assertEquals(Duration.ofMillis(250), Target.timeout(o, Duration.ZERO), "a bare timeout is milliseconds");
        assertEquals(Duration.ofSeconds(2), OptionText.duration("--poll", "2", false), "a bare interval is seconds");
        assertEquals(Duration.ofMillis(1500), OptionText.duration("--poll", "1.5s", false));
        assertEquals("200 ms", OptionText.show(Duration.ofMillis(200)));
        assertEquals("1.5 s", OptionText.show(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> Target.timeout(
                Options.parse(List.of("--timeout", "5ms"), Target.VALUED, Target.FLAGS), Duration.ZERO));
    }

    @Test
    void progressLineRewritesOneLineOnATerminalAndPrintsNowAndThenElsewhere() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(b, true, StandardCharsets.UTF_8);
        ProgressLine line = new ProgressLine(err, ProgressLine.Mode.LINE, 0, now::get);
        line.show("unit 1");
        line.show("unit 2"); // within 100 ms: skipped
        now.addAndGet(200_000_000L);
        line.show("unit 3");
        line.clear();
        assertEquals("\runit 1\033[K\runit 3\033[K\r\033[K", b.toString(StandardCharsets.UTF_8));

        b.reset();
        ProgressLine plain = new ProgressLine(err, ProgressLine.Mode.PLAIN, 5_000_000_000L, now::get);
        plain.show("unit 1");
        now.addAndGet(1_000_000_000L);
        plain.show("unit 2");
        now.addAndGet(5_000_000_000L);
        plain.show("unit 9");
        plain.clear();
        assertEquals("unit 1\nunit 9\n", b.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        assertTrue(ProgressLine.Mode.auto(err) == ProgressLine.Mode.PLAIN, "a captured stream is never a terminal");
    }
}
