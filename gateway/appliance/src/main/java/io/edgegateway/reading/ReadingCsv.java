package io.edgegateway.reading;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.util.List;

/**
 * Readings as a spreadsheet opens them: a header {@code timestamp,<display name> [<unit>],...} and one row per
 * reading with plain numbers as the reading rounds them, labels and text as text, and an empty cell where a
 * value is missing or invalid. Lines end with CRLF (RFC 4180).
 */
public final class ReadingCsv {

    private ReadingCsv() {
    }

    public static String header(List<Point> columns) {
        StringBuilder b = new StringBuilder("timestamp");
        for (Point p : columns) {
            b.append(',').append(cell(p.name() + (p.unit().isEmpty() ? "" : " [" + p.unit() + "]")));
        }
        return b.append("\r\n").toString();
    }

    public static String row(Reading reading, List<Point> columns) {
        StringBuilder b = new StringBuilder(ReadingJson.timestamp(reading.timestamp()));
        for (Point p : columns) {
            b.append(',');
            Reading.Entry e = reading.values().get(p.name());
            if (e != null) {
                b.append(cell(plain(e.point(), e.value())));
            }
        }
        return b.append("\r\n").toString();
    }

    private static String plain(Point p, PointValue v) {
        return switch (v) {
            case PointValue.Number n -> {
                String label = p.label(n.value());
                yield label != null ? label : p.number(n.value());
            }
            case PointValue.Flag f -> p.display(f);
            case PointValue.Text t -> t.text();
            case PointValue.Invalid i -> "";
        };
    }

    private static String cell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
