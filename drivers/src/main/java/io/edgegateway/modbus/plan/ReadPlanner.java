package io.edgegateway.modbus.plan;

import io.edgegateway.profile.RequestLimits;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups points into as few reads as the limits allow. Per table, points sorted by address are swept left to
 * right and each joins the open request while the gap to it and the request's total size stay within limits;
 * for windows anchored at point starts this greedy sweep gives the fewest requests. A point is never split.
 */
public final class ReadPlanner {

    private final RequestLimits limits;

    public ReadPlanner(RequestLimits limits) {
        this.limits = limits;
    }

    /**
     * @throws IllegalArgumentException when a point is not a Modbus point or is larger than one request may be
     */
    public ReadPlan plan(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        for (Point p : sorted) {
            if (!(p.address() instanceof ModbusAddress a)) {
                throw new IllegalArgumentException(p.name() + " has no Modbus address");
            }
            if (a.size() > cap(a.table())) {
                throw new IllegalArgumentException(p.name() + " spans " + a.size() + " registers, more than the "
                        + cap(a.table()) + " this device allows in one request");
            }
        }
        sorted.sort(Comparator.comparing((Point p) -> addr(p).table())
                .thenComparingInt(p -> addr(p).address())
                .thenComparingInt(p -> addr(p).end()));

        List<ReadRequest> requests = new ArrayList<>();
        List<Point> open = new ArrayList<>();
        Table table = null;
        int start = 0;
        int end = 0;
        for (Point p : sorted) {
            ModbusAddress a = addr(p);
            boolean joins = !open.isEmpty() && a.table() == table
                    && a.address() - end - 1 <= gap(table)
                    && Math.max(end, a.end()) - start + 1 <= cap(table);
            if (!joins) {
                if (!open.isEmpty()) {
                    requests.add(new ReadRequest(table, start, end - start + 1, open));
                }
                open = new ArrayList<>();
                table = a.table();
                start = a.address();
                end = a.end();
            }
            open.add(p);
            end = Math.max(end, a.end());
        }
        if (!open.isEmpty()) {
            requests.add(new ReadRequest(table, start, end - start + 1, open));
        }
        return new ReadPlan(requests);
    }

    /** One request per point: the baseline a naive poller would send. */
    public static ReadPlan onePerPoint(List<Point> points) {
        List<ReadRequest> requests = new ArrayList<>();
        for (Point p : points) {
            ModbusAddress a = addr(p);
            requests.add(new ReadRequest(a.table(), a.address(), a.size(), List.of(p)));
        }
        return new ReadPlan(requests);
    }

    private int cap(Table t) {
        return t.isBits() ? limits.maxBits() : limits.maxRegisters();
    }

    private int gap(Table t) {
        return t.isBits() ? limits.maxBitGap() : limits.maxGap();
    }

    static ModbusAddress addr(Point p) {
        return (ModbusAddress) p.address();
    }
}
