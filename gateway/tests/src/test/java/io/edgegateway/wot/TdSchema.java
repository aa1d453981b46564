package io.edgegateway.wot;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The W3C TD 1.1 JSON Schema (a test resource, see its README), and any data schema of a TD, as validators. */
final class TdSchema {

    private static final SchemaRegistry DRAFT_7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    private TdSchema() {
    }

    static Schema thingDescription() {
        try (InputStream in = TdSchema.class.getResourceAsStream("/wot/td-json-schema-validation.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource /wot/td-json-schema-validation.json is missing");
            }
            return DRAFT_7.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TD's data schema (a property, an event's data) read as a JSON Schema. */
    static Schema dataSchema(String json) {
        return DRAFT_7.getSchema(json, InputFormat.JSON);
    }

    static List<String> errors(Schema schema, String json) {
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
