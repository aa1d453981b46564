package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.profile.Protocol;
import io.edgegateway.scan.DlmsPointSource;
import io.edgegateway.scan.Evidence;
import io.edgegateway.scan.ModbusScan;
import io.edgegateway.scan.Plausibility;
import io.edgegateway.scan.Presence;
import io.edgegateway.scan.ProfileFit;
import io.edgegateway.scan.ProfileFitter;
import io.edgegateway.scan.UnitReport;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code bin/gateway scan}: which unit ids answer on a line, and which profile fits each. */
final class ScanCommand implements Command {

    /** Exit code after Ctrl-C, as shells report a process ended by SIGINT. */
    static final int INTERRUPTED = 130;

    private static final Set<String> VALUED = OptionText.union(Target.VALUED, Set.of("units", "profiles", "progress",
            "client", "server-logical", "server-physical"));
    private static final Set<String> FLAGS = OptionText.union(Target.FLAGS, Set.of("verbose"));

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String summary() {
        return "find the unit ids answering on a line or host, and which profile fits each";
    }

    @Override
    public String help() {
        return """
                bin/gateway scan TARGET [--units 1-247] [--timeout T] [--profiles DIR] [--verbose]
                  Asks every unit id for one holding register (FC03, address 0); any answer, an exception code
                  included, means a device is there. Each device that answered is then read a few registers
                  per profile (never written) to see which shipped profile fits it: frequency 45-65 Hz, phase
                  voltages 80-500 V, a name tag, currents, power factors and enums in range, each in the
                  profile's own table, encoding and word order. The evidence is printed with the verdict.
                  Results go to stdout; progress goes to stderr (one line rewritten in place on a terminal,
                  a line every 5 s otherwise). Ctrl-C stops after the current request, with what was found.
                  Exit code: 0 when a device answered, 1 when none did or the link failed, 2 for bad options,
                  130 after Ctrl-C.
                TARGET, one of:
                  --tcp HOST[:PORT]        Modbus TCP (port 502); a TCP gateway to RS-485 answers for its bus
                  --rtu-over-tcp HOST:PORT RTU frames through a serial device server (transparent mode)
                  --serial DEVICE          RTU on RS-485/RS-232, e.g. /dev/ttyUSB0
                    --baud N               default 9600
                    --parity none|even|odd default none (8 data bits)
                    --stop-bits 1|2        default 1
                  --dlms-tcp HOST[:PORT]   one DLMS/COSEM meter, TCP wrapper (port 4059); --hdlc for HDLC
                                           over TCP. Associates as public client 16, prints the serial number
                                           (0.0.96.1.0.255) and whether dlms-standard fits
                  --dlms-serial DEVICE     the same over HDLC on a serial line (--baud, --parity; --mode-e for
                                           optical heads with the IEC 62056-21 sign-on)
                Options:
                  --units LIST             unit ids to try: 1-247 (default), 5, or 1,2,10-20 (Modbus TCP: 0-255)
                  --timeout T              answer timeout per request: default 200ms on Modbus TCP, 300ms on
                                           serial and RTU over TCP, 3s for DLMS (a bare number is ms). Slow
                                           meters or radio links need more; a full serial scan takes about
                                           (timeout + 120 ms) x units with nothing there
                  --profiles DIR           also try the *.yaml profiles in DIR
                  --client N               DLMS client address (default 16, public)
                  --server-logical N       DLMS server logical address (default 1)
                  --server-physical N      DLMS HDLC physical address (default 0)
                  --progress MODE          auto (default), line, plain or none
                  --verbose                also show what each unit answered and why each profile does or
                                           does not fit
                Examples:
                  bin/gateway scan --serial /dev/ttyUSB0 --baud 9600 --parity even
                  bin/gateway scan --tcp 192.168.1.50 --units 1-10
                  bin/gateway scan --rtu-over-tcp 192.168.1.60:4001 --units 1-32 --timeout 500ms --verbose
                  bin/gateway scan --dlms-tcp 192.168.1.70:4059
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(args, VALUED, FLAGS).positionalCount(0, 0, "");
        Target target = Target.parse(o, true);
        ProgressLine.Mode mode = ProgressLine.Mode.parse(o.value("progress", "auto"), err);
        ProfileCatalog catalog;
        try {
            catalog = ProfilesCommand.catalog(o);
        } catch (ConfigException e) {
            err.println("gateway scan: " + e.getMessage());
            return CommandSet.USAGE;
        }
        String noFit = o.has("profiles") ? "no profile fits (shipped or from " + o.required("profiles") + ")"
                : "no shipped profile fits";
        return switch (target) {
            case Target.Modbus m -> {
                for (String dlmsOnly : List.of("client", "server-logical", "server-physical")) {
                    if (o.has(dlmsOnly)) {
                        throw new IllegalArgumentException("--" + dlmsOnly + " is for DLMS targets");
                    }
                }
                Duration dflt = m.bus() ? Duration.ofMillis(300) : Duration.ofMillis(200);
                yield scanModbus(m, o, Target.timeout(o, dflt), catalog, noFit, new ProgressLine(err, mode), out, err);
            }
            case Target.Dlms d -> {
                if (o.has("units")) {
                    throw new IllegalArgumentException("--units is for Modbus targets; a DLMS target is one meter "
                            + "(choose it with --server-logical / --server-physical)");
                }
                yield probeDlms(d, o, Target.timeout(o, d.readTimeout()), catalog, noFit, out, err);
            }
        };
    }

    // ---- Modbus ------------------------------------------------------------------------------------------

    private int scanModbus(Target.Modbus target, Options o, Duration timeout, ProfileCatalog catalog, String noFit,
                           ProgressLine progress, PrintStream out, PrintStream err) {
        UnitList units = UnitList.parse(o.value("units", "1-247"), target.bus() ? 1 : 0, target.bus() ? 247 : 255);
        // A short late-reply guard: each request here goes to another unit id, and the link checks the id of every
        // answer, so a late answer shows as garbled rather than as the next unit's. The guard only lets it finish
        // arriving, so that it is discarded instead.
        LinkOptions options = target.defaults().withResponseTimeout(timeout)
                .withConnectTimeout(timeout.compareTo(Duration.ofSeconds(1)) > 0 ? timeout : Duration.ofSeconds(1))
                .withLateReplyGuard(target.bus() ? min(timeout.dividedBy(2), Duration.ofMillis(100)) : Duration.ZERO);
        boolean verbose = o.has("verbose");
        List<DeviceProfile> profiles = catalog.all().stream().filter(p -> p.protocol() == Protocol.MODBUS).toList();
        long started = System.nanoTime();
        List<UnitReport> found = new ArrayList<>();
        int garbled = 0;
        int done = 0;
        out.println("Scanning " + target.describe() + ", units " + units.describe() + ", timeout "
                + OptionText.show(timeout) + "; profiles: "
                + profiles.stream().map(DeviceProfile::name).collect(Collectors.joining(", ")));
        out.flush();
        try (StopSignal stop = StopSignal.onShutdown(timeout.multipliedBy(4).plusSeconds(2));
             ModbusClient link = target.open(options)) {
            ModbusScan scan = new ModbusScan(link, profiles, new ProfileFitter(new Plausibility()));
            for (int unit : units.ids()) {
                if (stop.stopped()) {
                    break;
                }
                progress.show(String.format(Locale.ROOT, "scan: unit %d (%d of %d), %d found, %s", unit, done + 1,
                        units.size(), found.size(), elapsed(started)));
                UnitReport r;
                try {
                    r = scan.examine(unit, stop::stopped);
                } catch (LinkDownException e) {
                    progress.clear();
                    err.println("gateway scan: " + e.getMessage());
                    summary(out, found, done, units, started, false);
                    return 1;
                }
                done++;
                if (r.presence() instanceof Presence.Garbled) {
                    garbled++;
                }
                if (r.present()) {
                    progress.clear();
                    print(r, noFit, verbose, out);
                    if (r.presence() instanceof Presence.Answered) {
                        found.add(r);
                    }
                } else if (verbose) {
                    progress.clear();
                    out.println("unit " + unit + ": no answer (" + ((Presence.Silent) r.presence()).reason() + ")");
                }
                out.flush();
            }
            progress.clear();
            boolean interrupted = done < units.size();
            summary(out, found, done, units, started, interrupted);
            if (garbled > 0) {
                out.println(garbled + (garbled == 1 ? " unit" : " units") + " answered garbled: check baud rate, "
                        + "parity and stop bits, and that no two devices share an id");
            }
            if (!target.bus() && units.size() >= 4 && found.size() == units.size()) {
                out.println("note: every unit id answered; a Modbus TCP device that ignores the unit id does that "
                        + "(try --units 1 or --units 255)");
            }
            out.flush();
            if (interrupted) {
                return INTERRUPTED;
            }
            return found.isEmpty() ? 1 : 0;
        }
    }

    private static void print(UnitReport r, String noFit, boolean verbose, PrintStream out) {
        switch (r.presence()) {
            case Presence.Garbled g -> out.println("unit " + r.unit() + ": garbled answer (" + g.problem() + ")");
            case Presence.Silent s -> {
            }
            case Presence.Answered a -> {
                List<ProfileFit> best = r.best();
                if (best.isEmpty()) {
                    out.println("unit " + r.unit() + ": answers (" + a.answer() + "); " + noFit);
                } else {
                    String names = best.stream().map(f -> f.profile().name() + " (" + f.profile().description() + ")")
                            .collect(Collectors.joining(" or "));
                    out.println("unit " + r.unit() + ": " + names + (best.size() > 1 ? ", cannot tell which" : ""));
                    out.println("    " + evidence(best.get(0)));
                    List<ProfileFit> also = r.alsoFitting();
                    if (!also.isEmpty()) {
                        out.println("    also fits, with fewer telling values: "
                                + also.stream().map(f -> f.profile().name()).collect(Collectors.joining(", ")));
                    }
                }
                if (verbose) {
                    out.println("    probe: " + a.answer() + "; " + r.requests() + " requests");
                    for (ProfileFit f : r.fits()) {
                        String verdict = switch (f.match()) {
                            case FITS -> "fits: " + evidence(f);
                            case CONSISTENT -> "nothing against it, nothing telling for it: " + evidence(f);
                            case CONTRADICTED -> "no: " + f.reason();
                        };
                        out.printf(Locale.ROOT, "    %-14s %s%n", f.profile().name(), verdict);
                    }
                }
            }
        }
    }

    private static String evidence(ProfileFit f) {
        return f.evidence().stream().map(Evidence::describe).collect(Collectors.joining(", "));
    }

    private static void summary(PrintStream out, List<UnitReport> found, int done, UnitList units, long started,
                                boolean interrupted) {
        String what = found.stream().map(r -> r.unit() + (r.best().isEmpty() ? " (no profile)" : " "
                + r.best().stream().map(f -> f.profile().name()).collect(Collectors.joining("/"))))
                .collect(Collectors.joining(", "));
        String scanned = interrupted ? "interrupted after " + done + " of " + units.size() + " unit ids"
                : done + (done == 1 ? " unit id" : " unit ids");
        if (found.isEmpty()) {
            out.println("No device answered (" + scanned + ", " + elapsed(started) + ")"
                    + (interrupted ? "" : ": check power, wiring (A/B swapped?), baud rate, parity and --timeout"));
        } else {
            out.println("Found " + found.size() + (found.size() == 1 ? " device" : " devices") + " (" + scanned + ", "
                    + elapsed(started) + "): " + what);
        }
    }

    // ---- DLMS --------------------------------------------------------------------------------------------

    private int probeDlms(Target.Dlms target, Options o, Duration timeout, ProfileCatalog catalog, String noFit,
                          PrintStream out, PrintStream err) {
        int client = o.integer("client", 16, 1, 127);
        DlmsSettings settings = target.settings(timeout).client(client)
                .server(o.integer("server-logical", 1, 0, 0x3FFF), o.integer("server-physical", 0, 0, 0x3FFF), 0)
                .build();
        List<DeviceProfile> profiles = catalog.all().stream().filter(p -> p.protocol() == Protocol.DLMS).toList();
        out.println("Probing " + target.describe() + ", client " + client + ", server " + settings.serverLogical()
                + (settings.serverPhysical() != 0 ? "/" + settings.serverPhysical() : "") + ", timeout "
                + OptionText.show(timeout));
        out.flush();
        try (StopSignal stop = StopSignal.onShutdown(timeout.multipliedBy(3).plusSeconds(2));
             DlmsMeter meter = new DlmsMeter(settings)) {
            try {
                meter.connection();
            } catch (DeviceException e) {
                err.println("gateway scan: no DLMS association: " + e.getMessage());
                return 1;
            }
            String serial;
            try {
                serial = "serial number " + meter.readSerialNumber();
            } catch (DeviceException e) {
                serial = "serial number not readable (" + e.getMessage() + ")";
            }
            out.println("meter answers as client " + client + ": " + serial);
            ProfileFitter fitter = new ProfileFitter(new Plausibility());
            List<ProfileFit> fits = fitter.fitAll(profiles, new DlmsPointSource(meter), stop::stopped);
            boolean any = false;
            for (ProfileFit f : fits) {
                if (f.match() == ProfileFit.Match.FITS) {
                    out.println("    " + f.profile().name() + " fits (" + f.profile().description() + "): "
                            + evidence(f));
                    any = true;
                } else if (o.has("verbose")) {
                    out.println("    " + f.profile().name() + ": no: " + f.reason());
                }
            }
            if (!any) {
                out.println("    " + noFit + (fits.isEmpty() ? "" : " ("
                        + fits.get(0).profile().name() + ": " + fits.get(0).reason() + ")"));
            }
            out.flush();
            return stop.stopped() ? INTERRUPTED : 0;
        }
    }

    // ---- small things ------------------------------------------------------------------------------------

    private static String elapsed(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
