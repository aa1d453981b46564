package io.edgegateway.point;

import io.edgegateway.dlms.ObisCode;

/**
 * A COSEM object attribute, addressed by logical name: interface class, OBIS code and attribute index.
 * Written in profiles as {@code class/obis/attribute}, e.g. {@code 3/1.0.15.8.0.255/2}.
 */
public record CosemAddress(int classId, ObisCode obis, int attribute) implements PointAddress {

    public CosemAddress {
        if (obis == null) {
            throw new IllegalArgumentException("OBIS code is required");
        }
        if (classId < 0 || classId > 0xFFFF) {
            throw new IllegalArgumentException("class id " + classId + " out of range 0..65535");
        }
        if (attribute < 1 || attribute > 127) {
            throw new IllegalArgumentException("attribute " + attribute + " out of range 1..127");
        }
    }

    /** Parses {@code 3/1.0.15.8.0.255/2}. */
    public static CosemAddress parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected class/obis/attribute such as 3/1.0.15.8.0.255/2, got '" + text + "'");
        }
        try {
            return new CosemAddress(Integer.parseInt(parts[0].trim()), ObisCode.parse(parts[1]),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected class/obis/attribute such as 3/1.0.15.8.0.255/2, got '" + text + "'");
        }
    }

    @Override
    public String describe() {
        return classId + "/" + obis + "/" + attribute;
    }

    @Override
    public String toString() {
        return describe();
    }
}
