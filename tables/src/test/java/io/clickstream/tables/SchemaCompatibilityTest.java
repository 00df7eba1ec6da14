package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The compatibility check rejects each kind of breaking change with a message naming the field and
 * why, and accepts the changes that are allowed. Each case derives a candidate v4 from the shipped v3
 * contract by one edit; the expected messages are written out here, not computed by the checker.
 */
class SchemaCompatibilityTest {
    private static final int LAST = 3;

    private static ObjectNode v3() {
        EventSchemas.Version last = EventSchemas.clickEvent().get(LAST - 1);
        assertThat(last.version()).isEqualTo(LAST);
        return (ObjectNode) last.schema().deepCopy();
    }

    private static List<SchemaCompatibility.Violation> v4(Consumer<ObjectNode> edit) {
        ObjectNode next = v3();
        next.put(EventSchemas.VERSION_KEYWORD, 4);
        edit.accept(next);
        return SchemaCompatibility.check(v3(), 3, next, 4);
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    @Test
    void removedFieldIsRejected() {
        assertThat(v4(s -> props(s).remove("device"))).containsExactly(new SchemaCompatibility.Violation("device",
            SchemaCompatibility.Kind.REMOVED, "field 'device' of v3 is missing in v4: readers, tables and queries of v3 "
                + "events use it; removing or renaming a field is a breaking change"));
    }

    @Test
    void renamedFieldIsRejectedAsARemovalNamingTheLikelyNewName() {
        assertThat(v4(s -> props(s).set("campaign_name", props(s).remove("campaign")))).containsExactly(
            new SchemaCompatibility.Violation("campaign", SchemaCompatibility.Kind.REMOVED, "field 'campaign' of v3 is missing "
                + "in v4 (renamed to 'campaign_name'?): readers, tables and queries of v3 events use it; removing or "
                + "renaming a field is a breaking change"));
    }

    @Test
    void typeChangeIsRejected() {
        assertThat(v4(s -> props(s).putObject("event_time").put("type", "string"))).containsExactly(
            new SchemaCompatibility.Violation("event_time", SchemaCompatibility.Kind.TYPE_CHANGED, "field 'event_time' changes "
                + "type from integer in v3 to string in v4: v3 values would no longer be accepted or stored"));
        assertThat(v4(s -> ((ObjectNode) props(s).get("country")).put("type", "string"))).as("null no longer allowed")
            .extracting(SchemaCompatibility.Violation::message).containsExactly("field 'country' changes type from "
                + "[string, null] in v3 to string in v4: v3 values would no longer be accepted or stored");
        assertThat(v4(s -> ((ObjectNode) props(s).get("properties").get("additionalProperties")).put("type", "integer")))
            .extracting(SchemaCompatibility.Violation::message).containsExactly("field 'properties' changes its value type "
                + "from string in v3 to integer in v4: v3 values would no longer be accepted or stored");
    }

    @Test
    void newRequiredFieldIsRejected() {
        assertThat(v4(s -> {
            props(s).putObject("tenant").put("type", "string");
            ((ArrayNode) s.get("required")).add("tenant");
        })).containsExactly(new SchemaCompatibility.Violation("tenant", SchemaCompatibility.Kind.NEW_REQUIRED, "field 'tenant' "
            + "is new in v4 and required: v3 events do not have it; a new field must be optional"));
    }

    @Test
    void optionalFieldBecomingRequiredIsRejected() {
        assertThat(v4(s -> ((ArrayNode) s.get("required")).add("referrer"))).containsExactly(new SchemaCompatibility.Violation(
            "referrer", SchemaCompatibility.Kind.NOW_REQUIRED, "field 'referrer' is optional in v3 but required in v4: v3 "
                + "events without it would be rejected"));
    }

    @Test
    void narrowedConstraintsAreRejected() {
        assertThat(v4(s -> ((ObjectNode) props(s).get("page")).put("maxLength", 512)))
            .extracting(SchemaCompatibility.Violation::message).containsExactly("field 'page': maxLength changes from 1024 in v3 "
                + "to 512 in v4: v3 events beyond it would be rejected");
        assertThat(v4(s -> ((ArrayNode) props(s).get("event_type").get("enum")).remove(4)))
            .extracting(SchemaCompatibility.Violation::message).containsExactly("field 'event_type' no longer allows [purchase] "
                + "in v4: v3 events with these values would be rejected");
    }

    @Test
    void everyViolationIsReportedInOneMessage() {
        ObjectNode next = v3();
        props(next).remove("device");
        props(next).putObject("event_time").put("type", "string");
        assertThatThrownBy(() -> SchemaCompatibility.requireBackwardCompatible(v3(), 3, next, 4))
            .isInstanceOf(SchemaCompatibility.IncompatibleSchemaException.class)
            .hasMessage("click event v4 is not backward compatible with v3 (only optional fields may be added; no removal, "
                + "rename or type change):\n"
                + "  field 'event_time' changes type from integer in v3 to string in v4: v3 values would no longer be accepted or stored\n"
                + "  field 'device' of v3 is missing in v4: readers, tables and queries of v3 events use it; removing or renaming "
                + "a field is a breaking change");
    }

    @Test
    void addingOptionalFieldsAndWideningAreAllowed() {
        assertThat(v4(s -> {
            props(s).putObject("locale").putArray("type").add("string").add("null");
            ((ObjectNode) props(s).get("page")).put("maxLength", 2048);
            ((ArrayNode) props(s).get("event_type").get("enum")).add("share");
            ((ObjectNode) props(s).get("event_id")).remove("maxLength");
        })).isEmpty();
    }
}
