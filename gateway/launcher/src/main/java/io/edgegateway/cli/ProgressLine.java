package io.edgegateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on stderr, kept apart from its results on stdout: on a terminal one line rewritten
 * in place ({@code \r}), anywhere else (a log file, a CI job) a plain line now and then, since a captured
 * {@code \r} line would pile up as one endless line.
 */
final class ProgressLine {

    enum Mode {
        /** One line, rewritten in place. */
        LINE,
        /** A line every so often. */
        PLAIN,
        /** Nothing. */
        NONE;

        static Mode parse(String text, PrintStream err) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> auto(err);
                case "line" -> LINE;
                case "plain" -> PLAIN;
                case "none", "off" -> NONE;
                default -> throw new IllegalArgumentException("--progress must be auto, line, plain or none, got '"
                        + text + "'");
            };
        }

        /** LINE when {@code err} is this process's stderr and that is a terminal, else PLAIN. */
        static Mode auto(PrintStream err) {
            return err == System.err && stderrIsTerminal() ? LINE : PLAIN;
        }
    }

    /** Erase from the cursor to the end of the line (ANSI, understood by every terminal in use). */
    private static final String ERASE = "\033[K";
    /** A terminal redraw at most this often: a fast TCP scan would otherwise spend its time printing. */
    private static final long LINE_EVERY_NANOS = 100_000_000L;

    private final PrintStream err;
    private final Mode mode;
    private final long plainEveryNanos;
    private final LongSupplier nanoTime;
    private long lastShown;
    private boolean shown;
    private boolean visible;

    ProgressLine(PrintStream err, Mode mode, long plainEveryNanos, LongSupplier nanoTime) {
        this.err = err;
        this.mode = mode;
        this.plainEveryNanos = plainEveryNanos;
        this.nanoTime = nanoTime;
    }

    /** Plain lines every 5 s. */
    ProgressLine(PrintStream err, Mode mode) {
        this(err, mode, 5_000_000_000L, System::nanoTime);
    }

    /** Shows {@code text} if it is time to (first call, then throttled). */
    void show(String text) {
        long now = nanoTime.getAsLong();
        switch (mode) {
            case NONE -> {
                return;
            }
            case LINE -> {
                if (shown && now - lastShown < LINE_EVERY_NANOS) {
                    return;
                }
                err.print("\r" + text + ERASE);
                visible = true;
            }
            case PLAIN -> {
                if (shown && now - lastShown < plainEveryNanos) {
                    return;
                }
                err.println(text);
            }
        }
        err.flush();
        shown = true;
        lastShown = now;
    }

    /** Removes the line from the terminal, before a result goes to stdout (which shares the screen) or at the end. */
    void clear() {
        if (mode == Mode.LINE && visible) {
            err.print("\r" + ERASE);
            err.flush();
            visible = false;
            shown = false; // redraw at the next show(), or the line stays blank until the throttle passes
        }
    }

    private static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // no /proc (not Linux): plain lines are always safe
        }
    }
}
