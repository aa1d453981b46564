package io.edgegateway.cli;

import io.edgegateway.device.DeviceException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.dlms.cosem.ProfileColumn;
import io.edgegateway.dlms.cosem.ProfileRow;
import io.edgegateway.point.PointValue;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/gateway read DLMS-TARGET --profile-generic OBIS [--from T] [--to T]}: a field engineer's look at a
 * meter's load profile or event log, by range on the clock, as the gateway would read it. Prints the profile's
 * shape, then one line per row: capture time (UTC) and the columns, scaled, in the meter's units.
 */
final class ProfileGenericRead {

    private ProfileGenericRead() {
    }

    /** Parses {@code --from}/{@code --to}: ISO-8601 UTC; --to defaults to now, --from to a day before --to. */
    static Instant time(String option, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 UTC time such as 2026-12-01T00:00:00Z, "
                    + "got '" + text + "'");
        }
    }

    /** @return 0, or 1 when the meter did not answer or refused */
    static int run(DlmsSettings settings, ObisCode obis, Instant from, Instant to, PrintStream out, PrintStream err) {
        try (DlmsMeter meter = new DlmsMeter(settings)) {
            // Asked in the meter's local time, as the gateway's catch-up asks.
            int dev = meter.readClock(Clock.systemUTC()).meterTime().knownDeviation();
            LoadProfile p = meter.readProfile(obis, BufferSelection.ByRange.ofClock(CosemDateTime.of(from, dev, 0xFF),
                    CosemDateTime.of(to, dev, 0xFF)));
            out.println("# " + obis + ": capture period " + p.capturePeriod().toSeconds() + " s, " + p.entriesInUse()
                    + " of " + p.profileEntries() + " entries in use, sort method " + p.sortMethod() + "; "
                    + p.rows().size() + " rows from " + from + " to " + to);
            List<String> header = new ArrayList<>();
            for (ProfileColumn c : p.columns()) {
                header.add(c.object() + (c.unitSymbol().isEmpty() ? "" : " [" + c.unitSymbol() + "]"));
            }
            out.println(String.join("  ", header));
            for (ProfileRow r : p.rows()) {
                List<String> cells = new ArrayList<>();
                for (PointValue v : r.values()) {
                    cells.add(switch (v) {
                        case PointValue.Number n -> n.value().toPlainString();
                        case PointValue.Flag f -> String.valueOf(f.on());
                        case PointValue.Text t -> t.text();
                        case PointValue.Invalid i -> "(" + i.reason() + ")";
                    });
                }
                if (r.clockStatus() != ProfileRow.STATUS_NOT_SPECIFIED && r.clockStatus() != 0) {
                    cells.add(String.format("clock status 0x%02X", r.clockStatus()));
                }
                out.println(String.join("  ", cells));
            }
            return 0;
        } catch (DeviceException e) {
            err.println("gateway read: " + e.getMessage());
            return 1;
        }
    }
}
