package io.edgegateway.dlms.axdr;

import io.edgegateway.dlms.MalformedException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The 12-byte COSEM date-time: year (2), month, day of month, day of week, hour, minute, second, hundredths,
 * deviation (2, signed minutes) and clock status. 0xFF (0xFFFF for year, 0x8000 for deviation) means "not
 * specified".
 *
 * <p>Deviation follows the classic Blue Book reading: local time = UTC - deviation, so a meter on CET (UTC+1)
 * sends -60. The simulator sends UTC with deviation 0, which both readings agree on.
 */
public record CosemDateTime(int year, int month, int day, int dayOfWeek, int hour, int minute, int second,
                            int hundredths, int deviation, int clockStatus) {

    public static final int NOT_SPECIFIED = 0xFF;
    public static final int YEAR_NOT_SPECIFIED = 0xFFFF;
    public static final int DEVIATION_NOT_SPECIFIED = 0x8000;

    public static CosemDateTime fromBytes(byte[] b) {
        if (b.length != 12) {
            throw new MalformedException("a date-time has 12 bytes, got " + b.length);
        }
        int year = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int dev = ((b[9] & 0xFF) << 8) | (b[10] & 0xFF);
        int deviation = dev == DEVIATION_NOT_SPECIFIED ? DEVIATION_NOT_SPECIFIED : (short) dev;
        return new CosemDateTime(year, b[2] & 0xFF, b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF, b[6] & 0xFF, b[7] & 0xFF,
                b[8] & 0xFF, deviation, b[11] & 0xFF);
    }

    /**
     * The date-time a value carries: a 12-byte octet-string (as most meters send one) or a date-time; empty for
     * anything else.
     */
    public static Optional<CosemDateTime> fromData(DlmsData d) {
        return switch (d) {
            case DlmsData.OctetString s when s.length() == 12 -> Optional.of(fromBytes(s.value()));
            case DlmsData.DateTimeValue t when t.tag() == DataTag.DATE_TIME -> Optional.of(fromBytes(t.raw()));
            default -> Optional.empty();
        };
    }

    /** The instant in UTC with deviation 0, clock status 0 (ok). */
    public static CosemDateTime ofUtc(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return new CosemDateTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getDayOfWeek().getValue(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 10_000_000, 0, 0);
    }

    /**
     * The instant this date-time names: local time plus the deviation, or UTC when the deviation is not specified
     * (a meter without a time zone is read as keeping UTC).
     *
     * @throws MalformedException when a date or time field is not specified
     */
    public Instant toInstant() {
        if (year == YEAR_NOT_SPECIFIED || month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            throw new MalformedException("date-time has unspecified fields: " + this);
        }
        int nanos = hundredths <= 99 ? hundredths * 10_000_000 : 0;
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            int offsetMinutes = -knownDeviation();
            return local.toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        } catch (java.time.DateTimeException e) {
            throw new MalformedException("not a valid date-time: " + e.getMessage());
        }
    }

    /** The deviation in minutes, 0 (UTC) when the meter does not specify it, as {@link #toInstant()} reads it. */
    public int knownDeviation() {
        return deviation == DEVIATION_NOT_SPECIFIED ? 0 : deviation;
    }

    /** The same instant on a meter whose clock keeps {@code deviation} (local time = UTC - deviation). */
    public static CosemDateTime of(Instant instant, int deviation, int clockStatus) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.ofTotalSeconds(-deviation * 60));
        return new CosemDateTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getDayOfWeek().getValue(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 10_000_000, deviation, clockStatus);
    }

    public byte[] toBytes() {
        int dev = deviation == DEVIATION_NOT_SPECIFIED ? DEVIATION_NOT_SPECIFIED : deviation & 0xFFFF;
        return new byte[] {(byte) (year >> 8), (byte) year, (byte) month, (byte) day, (byte) dayOfWeek, (byte) hour,
                (byte) minute, (byte) second, (byte) hundredths, (byte) (dev >> 8), (byte) dev, (byte) clockStatus};
    }

    public DlmsData toData() {
        return new DlmsData.OctetString(toBytes());
    }

    /**
     * ISO-8601 text: {@code 2025-12-15T15:42:58Z} (or with hundredths / an offset); without an offset when the
     * deviation is not specified.
     *
     * @throws MalformedException when a date or time field is not specified (a wildcard, not a time)
     */
    public String toIso() {
        if (year == YEAR_NOT_SPECIFIED || month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            throw new MalformedException("date-time has unspecified fields: " + this);
        }
        int nanos = hundredths <= 99 ? hundredths * 10_000_000 : 0;
        LocalDateTime local;
        try {
            local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (java.time.DateTimeException e) {
            throw new MalformedException("not a valid date-time: " + e.getMessage());
        }
        if (deviation == DEVIATION_NOT_SPECIFIED) {
            return local.toString();
        }
        if (deviation == 0) {
            return local.toInstant(ZoneOffset.UTC).toString();
        }
        return local.atOffset(ZoneOffset.ofTotalSeconds(-deviation * 60)).toString();
    }
}
