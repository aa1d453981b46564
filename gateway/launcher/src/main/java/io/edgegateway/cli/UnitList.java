package io.edgegateway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Unit ids to scan, from "1-247", "5" or "1,2,10-20": sorted, each once. */
record UnitList(List<Integer> ids) {

    UnitList {
        ids = List.copyOf(ids);
    }

    static UnitList parse(String text, int min, int max) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("--units: empty entry in '" + text + "'");
            }
            int dash = p.indexOf('-');
            int from;
            int to;
            try {
                from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--units wants ids and ranges such as 1-247 or 1,2,10-20, got '"
                        + text + "'");
            }
            if (from > to) {
                throw new IllegalArgumentException("--units: range " + p + " runs backwards");
            }
            if (from < min || to > max) {
                throw new IllegalArgumentException("--units: ids must be " + min + ".." + max + " here, got " + p);
            }
            for (int i = from; i <= to; i++) {
                ids.add(i);
            }
        }
        return new UnitList(new ArrayList<>(ids));
    }

    int size() {
        return ids.size();
    }

    /** "1-10", "1,2,5-7". */
    String describe() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < ids.size()) {
            int j = i;
            while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
                j++;
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(ids.get(i));
            if (j > i) {
                b.append('-').append(ids.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }
}
