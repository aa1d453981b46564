package io.edgegateway.sim.dlms;

import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.CaptureObject;
import io.edgegateway.dlms.cosem.ClockReading;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.dlms.cosem.ProfileColumn;
import io.edgegateway.dlms.cosem.ProfileRow;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.testing.HandClock;
import io.edgegateway.testing.VirtualSerialCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A head-end's reads of the simulator's Profile Generic objects and clock with our own client, over real sockets
 * (and a socat pty): shape, range and entry selections, blocks, the clock read and set, and the buffer faults. The
 * simulator runs on a clock the test moves by hand, so every row time is exact.
 */
@Timeout(120)
class ProfileGenericTest {

    static final ObisCode LOAD_PROFILE = ObisCode.parse("1.0.99.1.0.255");
    static final ObisCode DAILY = ObisCode.parse("1.0.99.2.0.255");
    static final ObisCode EVENT_LOG = ObisCode.parse("0.0.99.98.0.255");
    static final Instant START = Instant.parse("2026-11-03T10:07:00Z");
    static final Instant NOV_1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final byte[] CLIENT_TITLE = HexFormat.of().parseHex("4D4D4D0000BC614E");

    @TempDir
    Path state;

    private final HandClock clock = new HandClock(START);
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private DlmsSimulator start(DlmsSimulator.Builder b) throws Exception {
        DlmsSimulator sim = b.clock(clock).build().start();
        cleanup.add(sim);
        return sim;
    }

    private DlmsMeter meter(DlmsSettings.Builder b) {
        DlmsMeter m = new DlmsMeter(b.responseTimeout(Duration.ofSeconds(5)).build());
        cleanup.add(m);
        return m;
    }

    private DlmsMeter wrapperMeter(DlmsSimulator sim) {
        return meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()));
    }

    private static BufferSelection.ByRange day(Instant from) {
        return BufferSelection.ByRange.ofClock(CosemDateTime.ofUtc(from),
                CosemDateTime.ofUtc(from.plus(Duration.ofDays(1)).minusSeconds(1)));
    }

    private static BigDecimal number(ProfileRow row, int column) {
        return assertInstanceOf(PointValue.Number.class, row.values().get(column), "column " + column).value();
    }

    @Test
    void describeProfileGivesTheColumnsPeriodAndEntries() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = wrapperMeter(sim);

        LoadProfile lp = m.describeProfile(LOAD_PROFILE);
        assertEquals(List.of("8/0.0.1.0.0.255/2", "1/0.0.96.10.1.255/2", "3/1.0.1.8.0.255/2", "3/1.0.2.8.0.255/2",
                        "3/1.0.3.8.0.255/2", "3/1.0.4.8.0.255/2", "3/1.0.32.7.0.255/2", "3/1.0.1.7.0.255/2"),
                lp.columns().stream().map(c -> c.object().toString()).toList());
        assertEquals(Duration.ofMinutes(15), lp.capturePeriod());
        assertEquals(1, lp.sortMethod(), "FIFO");
        assertEquals(96 * 92, lp.entriesInUse(), "92 days of quarter hours at start");
        assertEquals(96 * 92, lp.profileEntries());
        // Every captured register has its scaler_unit, the reactive ones too (not points of dlms-standard).
        List<ProfileColumn> c = lp.columns();
        assertEquals("Wh", c.get(2).unitSymbol());
        assertEquals(1, c.get(2).scaler());
        assertEquals("varh", c.get(4).unitSymbol());
        assertEquals("varh", c.get(5).unitSymbol());
        assertEquals("V", c.get(6).unitSymbol());
        assertEquals(-1, c.get(6).scaler());
        assertEquals("W", c.get(7).unitSymbol());

        LoadProfile daily = m.describeProfile(DAILY);
        assertEquals(6, daily.columns().size());
        assertEquals(Duration.ofDays(1), daily.capturePeriod());
        assertEquals(92, daily.entriesInUse());
        assertEquals(400, daily.profileEntries());

        LoadProfile events = m.describeProfile(EVENT_LOG);
        assertEquals(List.of("8/0.0.1.0.0.255/2", "1/0.0.96.11.0.255/2"),
                events.columns().stream().map(x -> x.object().toString()).toList());
        assertEquals(Duration.ZERO, events.capturePeriod());
        assertEquals(500, events.profileEntries());
        assertTrue(events.entriesInUse() > 20, "power failures and a cover opening: " + events.entriesInUse());
        LoadProfile all = m.readProfile(EVENT_LOG, null);
        List<Long> codes = all.rows().stream().map(r -> number(r, 1).longValueExact()).toList();
        assertTrue(codes.contains(1L) && codes.contains(2L) && codes.contains(40L) && codes.contains(41L), "" + codes);
        for (int i = 1; i < all.rows().size(); i++) {
            assertTrue(!all.rows().get(i).time().isBefore(all.rows().get(i - 1).time()), "events in time order");
        }
        // The quarter hour of a past power failure says so in its AMR status ("power down", 0x80).
        Instant up = all.rows().stream().filter(r -> number(r, 1).intValueExact() == 2).reduce((a, b) -> b)
                .orElseThrow().time();
        Instant closing = Instant.ofEpochSecond((up.getEpochSecond() / 900 + 1) * 900);
        LoadProfile quarter = m.readProfile(LOAD_PROFILE, BufferSelection.ByRange.ofClock(
                CosemDateTime.ofUtc(closing.minusSeconds(900)), CosemDateTime.ofUtc(closing)));
        assertEquals(List.of(0, 0x80), quarter.rows().stream().map(r -> number(r, 1).intValueExact()).toList());
    }

    @Test
    void aMeterWithAWrongClockStampsRowsByItsOwnClock() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp().clockOffset(Duration.ofMinutes(-5)));
        DlmsMeter m = wrapperMeter(sim);
        assertEquals(START.minus(Duration.ofMinutes(5)), sim.meterTime());
        BufferSelection.ByEntry newest = new BufferSelection.ByEntry(8832, 0, 1, 0);
        assertEquals(Instant.parse("2026-11-03T10:00:00Z"), m.readProfile(LOAD_PROFILE, newest).rows().getFirst()
                .time());
        clock.advance(Duration.ofMinutes(10)); // 10:17, but the meter shows 10:12: no 10:15 row yet
        assertEquals(Instant.parse("2026-11-03T10:00:00Z"), m.readProfile(LOAD_PROFILE, newest).rows().getFirst()
                .time());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Instant.parse("2026-11-03T10:15:00Z"), m.readProfile(LOAD_PROFILE, newest).rows().getFirst()
                .time());
    }

    enum Link { WRAPPER, HDLC_TCP, HDLC_PTY }

    @ParameterizedTest
    @EnumSource(Link.class)
    void aDayByRangeIsNinetySixQuarterHoursWithEnergyThatNeverFalls(Link link) throws Exception {
        DlmsSimulator.Builder sb = DlmsSimulator.builder();
        DlmsSettings.Builder cb = DlmsSettings.builder().maxPduSize(512);
        switch (link) {
            case WRAPPER -> sb.wrapperTcp();
            case HDLC_TCP -> sb.hdlcTcp();
            case HDLC_PTY -> {
                VirtualSerialCable pty = new VirtualSerialCable(state);
                cleanup.add(pty);
                sb.hdlcSerial(SerialSettings.of(pty.a(), 9600));
                cb.hdlcSerial(SerialSettings.of(pty.b(), 9600));
            }
        }
        DlmsSimulator sim = start(sb);
        switch (link) {
            case WRAPPER -> cb.wrapperTcp("127.0.0.1", sim.port());
            case HDLC_TCP -> cb.hdlcTcp("127.0.0.1", sim.port());
            case HDLC_PTY -> { }
        }
        DlmsMeter m = meter(cb);
        LoadProfile lp = m.readProfile(LOAD_PROFILE, day(NOV_1));
        assertEquals(96, lp.rows().size());
        for (int i = 0; i < 96; i++) {
            ProfileRow r = lp.rows().get(i);
            assertEquals(NOV_1.plus(Duration.ofMinutes(15L * i)), r.time());
            assertEquals(0, r.clockStatus());
            assertTrue(r.trustworthy());
            if (i > 0) {
                ProfileRow before = lp.rows().get(i - 1);
                for (int col : new int[] {2, 3, 4, 5}) {
                    assertTrue(number(r, col).compareTo(number(before, col)) >= 0, "column " + col + " at " + i);
                }
            }
            BigDecimal volts = number(r, 6);
            assertTrue(volts.compareTo(new BigDecimal("225")) > 0 && volts.compareTo(new BigDecimal("235")) < 0,
                    "" + volts);
        }
        assertTrue(number(lp.rows().get(95), 2).compareTo(number(lp.rows().get(0), 2)) > 0, "a day uses energy");

        LoadProfile daily = m.readProfile(DAILY, BufferSelection.ByRange.ofClock(CosemDateTime.ofUtc(NOV_1),
                CosemDateTime.ofUtc(NOV_1)));
        assertEquals(1, daily.rows().size());
        assertEquals(number(lp.rows().get(0), 2), number(daily.rows().getFirst(), 2), "daily = load profile at 0:00");
    }

    @Test
    void rowsCapturedLaterContinueFromTheLiveRegister() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = wrapperMeter(sim);
        Point imported = sim.device().profile().point("Import active energy").orElseThrow();

        LoadProfile before = m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8832, 0, 1, 0));
        ProfileRow newest = before.rows().getFirst();
        assertEquals(Instant.parse("2026-11-03T10:00:00Z"), newest.time());
        BigDecimal liveKwh = ((PointValue.Number) m.read(List.of(imported)).get(imported)).value();
        assertTrue(number(newest, 2).compareTo(liveKwh.movePointRight(3)) <= 0, newest + " vs live " + liveKwh);

        clock.advance(Duration.ofMinutes(40)); // 10:47: the 10:15, 10:30 and 10:45 boundaries have passed
        LoadProfile after = m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8829, 0, 1, 0));
        assertEquals(8832, after.entriesInUse(), "full: the oldest rows went");
        List<Instant> times = after.rows().stream().map(ProfileRow::time).toList();
        assertEquals(List.of("2026-11-03T10:00:00Z", "2026-11-03T10:15:00Z", "2026-11-03T10:30:00Z",
                "2026-11-03T10:45:00Z"), times.stream().map(Instant::toString).toList());
        assertEquals(number(newest, 2), number(after.rows().getFirst(), 2), "the stored row did not change");
        BigDecimal previous = liveKwh.movePointRight(3);
        for (ProfileRow r : after.rows().subList(1, 4)) {
            assertTrue(number(r, 2).compareTo(previous) >= 0, r + " after " + previous);
            previous = number(r, 2);
        }
        BigDecimal liveNow = ((PointValue.Number) m.read(List.of(imported)).get(imported)).value();
        assertTrue(previous.compareTo(liveNow.movePointRight(3)) <= 0);
    }

    @Test
    void entriesAndSelectedColumns() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = wrapperMeter(sim);
        Instant oldest = Instant.parse("2026-11-03T10:00:00Z").minus(Duration.ofMinutes(15L * 8831));

        LoadProfile first = m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(1, 96, 1, 0));
        assertEquals(96, first.rows().size());
        assertEquals(oldest, first.rows().getFirst().time());
        assertEquals(8, first.columns().size());

        LoadProfile energy = m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8830, 0, 3, 4));
        assertEquals(3, energy.rows().size());
        assertEquals(List.of("3/1.0.1.8.0.255/2", "3/1.0.2.8.0.255/2"),
                energy.columns().stream().map(c -> c.object().toString()).toList());
        assertEquals(2, energy.rows().getFirst().values().size());

        assertEquals(0, m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(9000, 0, 1, 0)).rows().size(),
                "past the end: no rows");
        assertEquals(2, m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8831, 9999, 1, 0)).rows().size());

        CaptureObject imported = new CaptureObject(3, ObisCode.parse("1.0.1.8.0.255"), 2, 0);
        CaptureObject volts = new CaptureObject(3, ObisCode.parse("1.0.32.7.0.255"), 2, 0);
        BufferSelection.ByRange picked = new BufferSelection.ByRange(CaptureObject.clock(),
                CosemDateTime.ofUtc(NOV_1).toData(), CosemDateTime.ofUtc(NOV_1.plusSeconds(3600)).toData(),
                List.of(CaptureObject.clock(), volts, imported));
        LoadProfile some = m.readProfile(LOAD_PROFILE, picked);
        assertEquals(5, some.rows().size(), "00:00 to 01:00, both ends included");
        assertEquals(List.of(CaptureObject.clock(), volts, imported),
                some.columns().stream().map(ProfileColumn::object).toList());
        LoadProfile whole = m.readProfile(LOAD_PROFILE, day(NOV_1));
        assertEquals(number(whole.rows().get(4), 2), number(some.rows().get(4), 2));
        assertEquals(number(whole.rows().get(4), 6), number(some.rows().get(4), 1));

        // Wildcards: hundredths and day of week not specified, deviation not specified (the meter's own).
        CosemDateTime from = new CosemDateTime(2026, 11, 1, 0xFF, 0, 0, 0, 0xFF, CosemDateTime.DEVIATION_NOT_SPECIFIED,
                0xFF);
        CosemDateTime to = new CosemDateTime(2026, 11, 1, 0xFF, 0, 30, 0xFF, 0xFF,
                CosemDateTime.DEVIATION_NOT_SPECIFIED, 0xFF);
        assertEquals(3, m.readProfile(LOAD_PROFILE, BufferSelection.ByRange.ofClock(from, to)).rows().size());
    }

    @Test
    void anotherSelectorOrRestrictingColumnIsOtherReason() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = wrapperMeter(sim);
        AttributeDescriptor buffer = new AttributeDescriptor(7, LOAD_PROFILE, 2);
        GetResult r = m.connection().get(buffer, new io.edgegateway.dlms.apdu.AccessSelection(3,
                DlmsData.Int.of(DataTag.UNSIGNED, 1)));
        assertEquals(DataAccessResult.OTHER_REASON, assertInstanceOf(GetResult.Failure.class, r).result());
        BufferSelection.ByRange byEnergy = new BufferSelection.ByRange(
                new CaptureObject(3, ObisCode.parse("1.0.1.8.0.255"), 2, 0),
                DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0), DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 10),
                List.of());
        RejectedException e = assertThrows(RejectedException.class, () -> m.readProfile(LOAD_PROFILE, byEnergy));
        assertTrue(e.getMessage().contains("other-reason"), e.getMessage());
        GetResult period = m.connection().get(new AttributeDescriptor(7, LOAD_PROFILE, 4),
                new BufferSelection.ByEntry(1, 1, 1, 0).toAccess());
        assertInstanceOf(GetResult.Failure.class, period, "selective access on capture_period");
    }

    @Test
    void bufferLargerThanThePduComesInBlocks() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).maxPduSize(256));
        m.describeProfile(DAILY);
        long before = sim.served().services();
        LoadProfile daily = m.readProfile(DAILY, null);
        assertEquals(92, daily.rows().size());
        long gets = sim.served().services() - before;
        // 92 rows of 38 bytes in blocks of under 256: at least 14 GETs, plus the entries_in_use read
        assertTrue(gets >= 15, gets + " GETs");

        before = sim.served().services();
        LoadProfile lp = m.readProfile(LOAD_PROFILE, day(NOV_1));
        assertEquals(96, lp.rows().size());
        assertTrue(sim.served().services() - before > 10, "a day by range in blocks too");

        DlmsMeter big = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).maxPduSize(0xFFFF));
        assertEquals(8832, big.readProfile(LOAD_PROFILE, null).rows().size(), "the whole buffer");
    }

    @Test
    void theClockDriftsKeepsItsDeviationAndIsSetByLlsAndHlsOnly() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp().clockOffset(Duration.ofSeconds(30))
                .deviation(-60));
        DlmsMeter pub = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()));
        ClockReading reading = pub.readClock(clock);
        assertEquals(Duration.ofSeconds(30), reading.drift());
        assertEquals(-60, reading.meterTime().deviation());
        assertEquals(11, reading.meterTime().hour(), "10:07 UTC is 11:07 local on CET");
        GetResult zone = pub.connection().get(new AttributeDescriptor(8, CaptureObject.CLOCK, 3));
        assertEquals(DlmsData.Int.of(DataTag.LONG, -60), ((GetResult.Value) zone).data());

        RejectedException denied = assertThrows(RejectedException.class,
                () -> pub.setClock(clock.instant(), -60));
        assertEquals(DataAccessResult.READ_WRITE_DENIED.code(), denied.code());
        assertEquals(Duration.ofSeconds(30), sim.clockOffset(), "the public client changed nothing");

        long sets = sim.served().sets();
        DlmsMeter lls = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).client(32).lls("12345678"));
        Instant wanted = clock.instant().plusSeconds(3600);
        lls.setClock(wanted, -60);
        assertEquals(wanted, sim.meterTime());
        assertEquals(Duration.ofHours(1), lls.readClock(clock).drift());
        assertTrue(sim.served().sets() > sets);

        LoadProfile events = lls.readProfile(EVENT_LOG, BufferSelection.ByRange.ofClock(
                CosemDateTime.ofUtc(START), CosemDateTime.ofUtc(START.plusSeconds(7200))));
        assertEquals(List.of(4L, 5L), events.rows().stream().map(r -> number(r, 1).longValueExact()).toList());
        assertEquals(START.plusSeconds(30), events.rows().get(0).time(), "4: the old time");
        assertEquals(wanted, events.rows().get(1).time(), "5: the new time");

        DlmsMeter hls = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).client(48)
                .hlsGmac(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY, CLIENT_TITLE)
                .stateDirectory(state));
        hls.setClock(clock.instant(), -60);
        assertEquals(Duration.ZERO, hls.readClock(clock).drift());
        assertEquals(Duration.ZERO, sim.clockOffset());

        // Rows after the set fall on the new clock's boundaries and say "clock adjusted" (0x20).
        clock.advance(Duration.ofMinutes(10));
        LoadProfile lp = hls.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8832, 0, 1, 2));
        assertEquals(Instant.parse("2026-11-03T10:15:00Z"), lp.rows().getFirst().time());
        assertEquals(0x20, number(lp.rows().getFirst(), 1).intValueExact());
    }

    @Test
    void setInDataBlocksIsReassembled() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp().maxPduSize(64));
        DlmsMeter lls = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).client(32).lls("12345678"));
        long sets = sim.served().sets();
        DlmsData big = new DlmsData.OctetString(new byte[300]);
        // Reassembled, then refused for what it is: not a date-time for the clock, a read-only serial number.
        assertEquals(DataAccessResult.TYPE_UNMATCHED, lls.set(new AttributeDescriptor(8, CaptureObject.CLOCK, 2), big));
        assertTrue(sim.served().sets() - sets >= 5, "300 bytes in blocks of under 64: " + (sim.served().sets() - sets));
        assertEquals(DataAccessResult.READ_WRITE_DENIED,
                lls.set(new AttributeDescriptor(1, ObisCode.parse("0.0.96.1.0.255"), 2), big));
        assertEquals(DataAccessResult.OBJECT_UNDEFINED,
                lls.set(new AttributeDescriptor(1, ObisCode.parse("0.0.96.99.9.255"), 2), DlmsData.Null.INSTANCE));
        assertEquals(DataAccessResult.SUCCESS, lls.set(new AttributeDescriptor(8, CaptureObject.CLOCK, 2),
                CosemDateTime.ofUtc(START.plusSeconds(60)).toData()));
        assertEquals(START.plusSeconds(60), sim.meterTime());
    }

    @Test
    void gapsDuplicatesAndOutagesChangeWhatTheBufferShows() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = wrapperMeter(sim);
        Instant six = NOV_1.plus(Duration.ofHours(6));

        sim.faults().profileGap(six, six.plus(Duration.ofHours(2)));
        LoadProfile gap = m.readProfile(LOAD_PROFILE, day(NOV_1));
        assertEquals(96 - 9, gap.rows().size(), "06:00 to 08:00 missing, both ends");
        assertTrue(gap.rows().stream().noneMatch(r -> !r.time().isBefore(six)
                && !r.time().isAfter(six.plus(Duration.ofHours(2)))));
        assertEquals(96 * 92 - 9, m.describeProfile(LOAD_PROFILE).entriesInUse());

        sim.faults().clear().duplicateRow(NOV_1.plus(Duration.ofHours(12)));
        LoadProfile dup = m.readProfile(LOAD_PROFILE, day(NOV_1));
        assertEquals(97, dup.rows().size());
        assertEquals(dup.rows().get(48).time(), dup.rows().get(49).time());
        assertEquals(number(dup.rows().get(48), 2), number(dup.rows().get(49), 2));

        sim.faults().clear().powerOutage(six.plusSeconds(300), six.plusSeconds(70 * 60));
        LoadProfile out = m.readProfile(LOAD_PROFILE, day(NOV_1));
        assertEquals(96 - 4, out.rows().size(), "06:15, 06:30, 06:45 and 07:00 lost");
        ProfileRow after = out.rows().stream().filter(r -> r.time().equals(six.plusSeconds(75 * 60))).findFirst()
                .orElseThrow();
        assertEquals(0x80, number(after, 1).intValueExact(), "power down in the 07:15 row");
        LoadProfile events = m.readProfile(EVENT_LOG, BufferSelection.ByRange.ofClock(CosemDateTime.ofUtc(six),
                CosemDateTime.ofUtc(six.plus(Duration.ofHours(2)))));
        assertEquals(List.of(1L, 2L), events.rows().stream().map(r -> number(r, 1).longValueExact()).toList());
        assertEquals(six.plusSeconds(300), events.rows().get(0).time());
        assertEquals(six.plusSeconds(70 * 60), events.rows().get(1).time());

        sim.faults().clear();
        assertEquals(96, m.readProfile(LOAD_PROFILE, day(NOV_1)).rows().size(), "clear() brings the rows back");
    }

    @Test
    void aClockJumpStampsLaterRowsWithTheJumpedClock() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = wrapperMeter(sim);
        sim.faults().clockJump(Duration.ofDays(1));
        assertEquals(START.plus(Duration.ofDays(1)), sim.meterTime());
        clock.advance(Duration.ofMinutes(20));
        LoadProfile lp = m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8831, 0, 1, 0));
        assertEquals(Instant.parse("2026-11-03T10:00:00Z"), lp.rows().get(0).time(), "before the jump");
        assertEquals(Instant.parse("2026-11-04T10:15:00Z"), lp.rows().get(1).time(), "a day in the future");
        assertTrue(lp.rows().get(1).time().isAfter(clock.instant()));

        // Cleared, the clock jumps back a day: the next row (10:30) is older than the future row before it.
        sim.faults().clear();
        clock.advance(Duration.ofMinutes(15));
        LoadProfile back = m.readProfile(LOAD_PROFILE, new BufferSelection.ByEntry(8830, 0, 1, 0));
        assertEquals(List.of("2026-11-03T10:00:00Z", "2026-11-04T10:15:00Z", "2026-11-03T10:30:00Z"),
                back.rows().stream().map(r -> r.time().toString()).toList());
    }

    @Test
    void theInvocationCounterObjectTellsTheNextCounterTheMeterAccepts() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter pub = wrapperMeter(sim);
        AttributeDescriptor counter = new AttributeDescriptor(1, ObisCode.parse("0.0.43.1.0.255"), 2);
        assertEquals(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0),
                ((GetResult.Value) pub.connection().get(counter)).data(), "none seen: any counter");

        DlmsMeter hls = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).client(48)
                .hlsGmac(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY, CLIENT_TITLE)
                .stateDirectory(state));
        hls.readSerialNumber();
        long last = sim.lastClientCounter(CLIENT_TITLE);
        assertTrue(last >= 0);
        GetResult next = pub.connection().get(counter);
        assertEquals(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, last + 1), ((GetResult.Value) next).data());
        assertInstanceOf(GetResult.Value.class, pub.connection().get(new CosemAddress(3,
                ObisCode.parse("1.0.3.8.0.255"), 3)), "a captured register outside the profile has its scaler_unit");
    }

    @Test
    void lineTimingPacesFramesAsTheBaudRateWould() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp().lineTiming(19200).history(Duration.ofDays(10)));
        DlmsMeter m = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()));
        m.describeProfile(DAILY);
        long t0 = System.nanoTime();
        LoadProfile daily = m.readProfile(DAILY, null);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(10, daily.rows().size());
        // 10 rows of 38 bytes plus headers: at least 380 bytes at 1920 bytes a second
        assertTrue(took.compareTo(Duration.ofMillis(380 * 1000 / 1920)) >= 0, "took " + took);
    }
}
