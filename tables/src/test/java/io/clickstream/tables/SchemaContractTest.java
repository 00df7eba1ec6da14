package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * The build's compatibility gate: every shipped version of the click event contract
 * ({@code schemas/click_event/v<N>.schema.json}) must be backward compatible with the previous one.
 * An incompatible new file fails this test (and {@code make test}) with the field and the reason.
 */
class SchemaContractTest {
    @Test
    void everyVersionIsBackwardCompatibleWithThePreviousOne() {
        List<EventSchemas.Version> versions = EventSchemas.clickEvent();
        assertThat(versions).extracting(EventSchemas.Version::version).containsExactly(1, 2, 3);
        for (int i = 1; i < versions.size(); i++) {
            EventSchemas.Version prev = versions.get(i - 1);
            EventSchemas.Version next = versions.get(i);
            SchemaCompatibility.requireBackwardCompatible(prev.schema(), prev.version(), next.schema(), next.version());
        }
    }

    /** The parser implements exactly the contracts: same versions, fields, required fields and limits. */
    @Test
    void parserImplementsEveryContract() {
        List<EventSchemas.Version> versions = EventSchemas.clickEvent();
        assertThat(versions).extracting(EventSchemas.Version::version)
            .containsExactlyInAnyOrderElementsOf(ClickEventSchema.SUPPORTED_VERSIONS);
        assertThat(versions.get(versions.size() - 1).version()).isEqualTo(ClickEventSchema.LATEST_VERSION);
        for (EventSchemas.Version v : versions) {
            JsonNode props = v.schema().get("properties");
            List<String> fields = new ArrayList<>();
            props.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as("fields of v%d", v.version()).containsExactlyElementsOf(ClickEventSchema.fieldsOf(v.version()));
            List<String> required = new ArrayList<>();
            v.schema().get("required").forEach(n -> required.add(n.asText()));
            assertThat(required).as("required fields of v%d", v.version()).containsExactlyElementsOf(ClickEventSchema.V1_FIELDS);
            for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                JsonNode p = props.get(f);
                JsonNode len = f.equals(ClickEventSchema.PROPERTIES) ? p.get("additionalProperties").get("maxLength") : p.get("maxLength");
                assertThat(len == null ? -1 : len.asInt()).as("maxLength of %s in v%d", f, v.version())
                    .isEqualTo(f.equals(ClickEventSchema.EVENT_TYPE) ? -1 : ClickEventSchema.maxLength(f));
            }
            if (props.has(ClickEventSchema.PROPERTIES)) {
                assertThat(props.get(ClickEventSchema.PROPERTIES).get("maxProperties").asInt()).isEqualTo(ClickEventSchema.MAX_PROPERTIES);
                assertThat(props.get(ClickEventSchema.PROPERTIES).get("propertyNames").get("maxLength").asInt())
                    .isEqualTo(ClickEventSchema.MAX_ID_LENGTH);
            }
            List<String> types = new ArrayList<>();
            props.get(ClickEventSchema.EVENT_TYPE).get("enum").forEach(n -> types.add(n.asText()));
            assertThat(types).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList());
        }
    }
}
