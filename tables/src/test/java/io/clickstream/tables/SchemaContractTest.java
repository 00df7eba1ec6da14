package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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
}
