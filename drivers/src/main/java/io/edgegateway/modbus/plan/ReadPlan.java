package io.edgegateway.modbus.plan;

import java.util.List;

/** The requests that read a set of points, in address order. */
public record ReadPlan(List<ReadRequest> requests) {

    public ReadPlan {
        requests = List.copyOf(requests);
    }

    public int pointCount() {
        return requests.stream().mapToInt(r -> r.points().size()).sum();
    }

    /** Registers and bits transferred per cycle, including gap filler. */
    public int unitsRead() {
        return requests.stream().mapToInt(ReadRequest::count).sum();
    }

    /** Human-readable plan, one request a line with its points. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (ReadRequest r : requests) {
            b.append(r.describe()).append('\n');
            r.points().forEach(p -> b.append("    ").append(p.address().describe()).append("  ").append(p.name()).append('\n'));
        }
        b.append(requests.size()).append(requests.size() == 1 ? " request, " : " requests, ")
                .append(pointCount()).append(" points, ").append(unitsRead()).append(" registers/bits per cycle\n");
        return b.toString();
    }
}
