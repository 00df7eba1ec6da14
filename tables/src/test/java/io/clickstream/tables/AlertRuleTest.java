package io.clickstream.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Alert-rule validation: a valid rule reads back field by field, an invalid one lists every problem. */
class AlertRuleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    static final String VALID = "{\"rule_id\":\"views-spike\",\"name\":\"Views spike on /p/1\",\"metric\":\"page_views\","
        + "\"filter_page\":\"/p/1\",\"filter_event_type\":\"page_view\",\"condition\":\"zscore_above\",\"threshold\":3.5,"
        + "\"baseline_windows\":30,\"window_seconds\":60,\"slide_seconds\":10,\"min_duration_seconds\":20,\"channel\":\"webhook\","
        + "\"webhook_url\":\"https://hooks.example.com/a\"}";

    @Test
    void validRuleReadsBack() throws Exception {
        AlertRule r = AlertRule.fromJson(json(VALID), null);
        assertThat(r).isEqualTo(new AlertRule("views-spike", "Views spike on /p/1", "page_views", "/p/1", null, null, "page_view",
            "zscore_above", 3.5, 30, 60, 10, 20, "webhook", "https://hooks.example.com/a", true, 0, null, null));
        // What GET returns is accepted by PUT once the service's own fields are taken out.
        com.fasterxml.jackson.databind.node.ObjectNode back = r.toJson();
        back.remove(java.util.List.of("version", "created_at", "updated_at"));
        assertThat(AlertRule.fromJson(back, "views-spike")).isEqualTo(r);
    }

    @Test
    void everyProblemIsListed() throws Exception {
        String bad = "{\"name\":\" \",\"metric\":\"clicks_per_day\",\"filter_event_type\":\"hover\",\"condition\":\"above\","
            + "\"threshold\":\"high\",\"baseline_windows\":3,\"window_seconds\":5,\"slide_seconds\":7,\"min_duration_seconds\":-1,"
            + "\"channel\":\"email\",\"webhook_url\":\"ftp://x\",\"enabled\":\"yes\",\"colour\":\"red\"}";
        assertThatThrownBy(() -> AlertRule.fromJson(json(bad), null)).isInstanceOfSatisfying(AlertRule.Invalid.class, e ->
            assertThat(e.problems).containsExactly(
                "unknown field 'colour'",
                "rule_id is required",
                "name must not be blank",
                "metric must be one of [dlq_rate, duplicate_rate, events, late_rate, page_views, purchases, unique_users]",
                "filter_event_type must be an event type: [page_view, click, add_to_cart, checkout, purchase]",
                "threshold must be a finite number",
                "baseline_windows only applies to condition zscore_above",
                "window_seconds must be between 10 and 86400",
                "slide_seconds must be between 1 and window_seconds and divide it",
                "min_duration_seconds must be between 0 and 86400",
                "channel must be one of [iceberg, kafka, webhook]",
                "webhook_url only applies to channel webhook",
                "webhook_url must be an absolute http or https URL",
                "enabled must be true or false"));
    }

    @Test
    void idsAndChannelsAreChecked() throws Exception {
        assertThatThrownBy(() -> AlertRule.fromJson(json(VALID), "other-id")).isInstanceOfSatisfying(AlertRule.Invalid.class, e ->
            assertThat(e.problems).containsExactly("rule_id 'views-spike' differs from the id in the path 'other-id'"));
        assertThatThrownBy(() -> AlertRule.fromJson(json(VALID.replace("views-spike", "Views Spike!")), null))
            .isInstanceOfSatisfying(AlertRule.Invalid.class, e ->
                assertThat(e.problems).containsExactly("rule_id must match [a-z0-9][a-z0-9_-]{0,63}"));
        assertThatThrownBy(() -> AlertRule.fromJson(json(VALID.replace(",\"webhook_url\":\"https://hooks.example.com/a\"", "")), null))
            .isInstanceOfSatisfying(AlertRule.Invalid.class, e -> assertThat(e.problems).containsExactly("channel webhook needs webhook_url"));
        assertThatThrownBy(() -> AlertRule.fromJson(json(VALID.replace(",\"baseline_windows\":30", "")), null))
            .isInstanceOfSatisfying(AlertRule.Invalid.class, e ->
                assertThat(e.problems).containsExactly("condition zscore_above needs baseline_windows between 2 and 1000"));
        assertThatThrownBy(() -> AlertRule.fromJson(json("[1]"), null)).isInstanceOfSatisfying(AlertRule.Invalid.class, e ->
            assertThat(e.problems).containsExactly("the body must be a JSON object"));
    }
}
