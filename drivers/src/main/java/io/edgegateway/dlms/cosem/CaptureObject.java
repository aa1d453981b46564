package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;

import java.util.ArrayList;
import java.util.List;

/**
 * One column of a Profile Generic buffer (capture_object_definition): which attribute of which object is
 * captured, and for a structured attribute which element (data_index, 0 for the whole attribute).
 */
public record CaptureObject(int classId, ObisCode obis, int attribute, int dataIndex) {

    /** The Clock class. */
    public static final int CLOCK_CLASS = 8;
    public static final ObisCode CLOCK = new ObisCode(0, 0, 1, 0, 0, 255);

    public CaptureObject {
        if (obis == null) {
            throw new IllegalArgumentException("an OBIS code is required");
        }
    }

    public static CaptureObject clock() {
        return new CaptureObject(CLOCK_CLASS, CLOCK, 2, 0);
    }

    /** A clock column: the buffer's time stamp. */
    public boolean isClock() {
        return classId == CLOCK_CLASS && attribute == 2;
    }

    /** A register's value (Register, Extended register, Demand register): scaled by its scaler_unit. */
    public boolean isRegisterValue() {
        return (classId == 3 || classId == 4) && attribute == 2 || classId == 5 && (attribute == 2 || attribute == 3);
    }

    /**
     * structure {class_id long-unsigned, logical_name octet-string, attribute_index integer,
     * data_index long-unsigned}.
     */
    public DlmsData toData() {
        return DlmsData.Structure.of(DlmsData.Int.of(DataTag.LONG_UNSIGNED, classId),
                new DlmsData.OctetString(obis.toBytes()), DlmsData.Int.of(DataTag.INTEGER, attribute),
                DlmsData.Int.of(DataTag.LONG_UNSIGNED, dataIndex));
    }

    public static CaptureObject fromData(DlmsData d) {
        if (!(d instanceof DlmsData.Structure s) || s.elements().size() != 4
                || !(s.elements().get(0) instanceof DlmsData.Int classId)
                || !(s.elements().get(1) instanceof DlmsData.OctetString name) || name.value().length != 6
                || !(s.elements().get(2) instanceof DlmsData.Int attribute)
                || !(s.elements().get(3) instanceof DlmsData.Int dataIndex)) {
            throw new MalformedException("not a capture_object_definition: " + d);
        }
        return new CaptureObject((int) classId.value(), ObisCode.fromBytes(name.value(), 0), (int) attribute.value(),
                (int) dataIndex.value());
    }

    /** capture_objects (attribute 3): an array of definitions. */
    public static List<CaptureObject> listFromData(DlmsData d) {
        if (!(d instanceof DlmsData.Array a)) {
            throw new MalformedException("capture_objects is not an array: " + d);
        }
        List<CaptureObject> out = new ArrayList<>(a.elements().size());
        for (DlmsData e : a.elements()) {
            out.add(fromData(e));
        }
        return out;
    }

    public static DlmsData listToData(List<CaptureObject> objects) {
        return new DlmsData.Array(objects.stream().map(CaptureObject::toData).toList());
    }

    /** "3/1.0.1.8.0.255/2", as profiles write an attribute. */
    @Override
    public String toString() {
        return classId + "/" + obis + "/" + attribute + (dataIndex == 0 ? "" : "#" + dataIndex);
    }
}
