package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * Cosem-Attribute-Descriptor: which attribute of which object a GET or SET names (class id, logical name,
 * attribute index), and Cosem-Method-Descriptor for ACTION (the same fields, the index naming a method).
 */
public record AttributeDescriptor(int classId, ObisCode instance, int attribute) {

    public AttributeDescriptor {
        if (instance == null) {
            throw new IllegalArgumentException("an OBIS code is required");
        }
        if (classId < 0 || classId > 0xFFFF) {
            throw new IllegalArgumentException("class id " + classId + " out of range 0..65535");
        }
        if (attribute < -128 || attribute > 127) {
            throw new IllegalArgumentException("attribute " + attribute + " out of range -128..127");
        }
    }

    void encode(AxdrWriter w) {
        w.u16(classId).bytes(instance.toBytes()).u8(attribute & 0xFF);
    }

    static AttributeDescriptor decode(AxdrReader r) {
        int classId = r.u16();
        ObisCode obis = ObisCode.fromBytes(r.bytes(6), 0);
        int attr = (byte) r.u8();
        try {
            return new AttributeDescriptor(classId, obis, attr);
        } catch (IllegalArgumentException e) {
            throw new MalformedException(e.getMessage());
        }
    }

    /** "3/1.0.1.8.0.255/2", as profiles write an attribute. */
    @Override
    public String toString() {
        return classId + "/" + instance + "/" + attribute;
    }
}
