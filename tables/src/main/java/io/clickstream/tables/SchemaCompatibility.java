package io.clickstream.tables;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The backward-compatibility rule of the event contracts ({@link EventSchemas}): a new version must
 * accept every event that was valid under the previous one, and keep every field readers and tables
 * rely on. Allowed: adding an optional field, widening a field (allowing null, a longer maximum, more
 * enum values). Breaking, each reported with the field and why:
 * <ul>
 *   <li>{@link Kind#REMOVED}: a field of the previous version is gone (a rename is a removal plus an
 *       addition, and is named as a likely rename);</li>
 *   <li>{@link Kind#TYPE_CHANGED}: a field's JSON type no longer includes every type it had (also the
 *       value type of a map);</li>
 *   <li>{@link Kind#NEW_REQUIRED}: a field that did not exist is required (old events lack it);</li>
 *   <li>{@link Kind#NOW_REQUIRED}: an optional field became required;</li>
 *   <li>{@link Kind#NARROWED}: a constraint accepts less than before (shorter {@code maxLength}, larger
 *       {@code minLength}, fewer {@code enum} values, fewer {@code maxProperties}).</li>
 * </ul>
 * It runs in the build: {@code SchemaContractTest} checks every shipped version against the previous.
 */
public final class SchemaCompatibility {
    private SchemaCompatibility() {}

    /** Kinds of breaking change. */
    public enum Kind { REMOVED, TYPE_CHANGED, NEW_REQUIRED, NOW_REQUIRED, NARROWED }

    /** One breaking change: the field, its kind and a message that says why it breaks. */
    public record Violation(String field, Kind kind, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    /** Thrown by {@link #requireBackwardCompatible}: lists every violation, one per line. */
    public static final class IncompatibleSchemaException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<Violation> violations;

        IncompatibleSchemaException(String header, List<Violation> violations) {
            super(header + "\n  " + String.join("\n  ", violations.stream().map(Violation::message).toList()));
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }

    /** Throws if {@code next} (version {@code nextVersion}) cannot read events of {@code previous}. */
    public static void requireBackwardCompatible(JsonNode previous, int previousVersion, JsonNode next, int nextVersion) {
        List<Violation> v = check(previous, previousVersion, next, nextVersion);
        if (!v.isEmpty()) {
            throw new IncompatibleSchemaException("click event v" + nextVersion + " is not backward compatible with v"
                + previousVersion + " (only optional fields may be added; no removal, rename or type change):", v);
        }
    }

    /** Every breaking change from {@code previous} to {@code next}, in field order of {@code previous}, then new fields. */
    public static List<Violation> check(JsonNode previous, int previousVersion, JsonNode next, int nextVersion) {
        String pv = "v" + previousVersion;
        String nv = "v" + nextVersion;
        JsonNode oldProps = previous.path("properties");
        JsonNode newProps = next.path("properties");
        Set<String> oldRequired = strings(previous.path("required"));
        Set<String> newRequired = strings(next.path("required"));
        List<Violation> out = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (Iterator<String> it = newProps.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!oldProps.has(f)) {
                added.add(f);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = oldProps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            JsonNode was = e.getValue();
            JsonNode is = newProps.get(f);
            if (is == null) {
                List<String> sameType = added.stream().filter(a -> types(newProps.get(a)).containsAll(types(was))).toList();
                out.add(new Violation(f, Kind.REMOVED, "field '" + f + "' of " + pv + " is missing in " + nv
                    + (sameType.isEmpty() ? "" : " (renamed to '" + String.join("' or '", sameType) + "'?)")
                    + ": readers, tables and queries of " + pv + " events use it; removing or renaming a field is a breaking change"));
                continue;
            }
            compareField(f, was, is, pv, nv, out);
            if (!oldRequired.contains(f) && newRequired.contains(f)) {
                out.add(new Violation(f, Kind.NOW_REQUIRED, "field '" + f + "' is optional in " + pv + " but required in "
                    + nv + ": " + pv + " events without it would be rejected"));
            }
        }
        for (String f : added) {
            if (newRequired.contains(f)) {
                out.add(new Violation(f, Kind.NEW_REQUIRED, "field '" + f + "' is new in " + nv + " and required: "
                    + pv + " events do not have it; a new field must be optional"));
            }
        }
        return out;
    }

    private static void compareField(String f, JsonNode was, JsonNode is, String pv, String nv, List<Violation> out) {
        Set<String> oldTypes = types(was);
        Set<String> newTypes = types(is);
        if (!newTypes.containsAll(oldTypes)) {
            out.add(new Violation(f, Kind.TYPE_CHANGED, "field '" + f + "' changes type from " + describe(oldTypes) + " in "
                + pv + " to " + describe(newTypes) + " in " + nv + ": " + pv + " values would no longer be accepted or stored"));
            return;
        }
        JsonNode oldItems = was.path("additionalProperties");
        JsonNode newItems = is.path("additionalProperties");
        if (oldItems.isObject() && newItems.isObject() && !types(newItems).containsAll(types(oldItems))) {
            out.add(new Violation(f, Kind.TYPE_CHANGED, "field '" + f + "' changes its value type from "
                + describe(types(oldItems)) + " in " + pv + " to " + describe(types(newItems)) + " in " + nv
                + ": " + pv + " values would no longer be accepted or stored"));
            return;
        }
        String label = "field '" + f + "'";
        narrowed(f, label, "maxLength", was, is, true, pv, nv, out);
        narrowed(f, label, "minLength", was, is, false, pv, nv, out);
        narrowed(f, label, "maxProperties", was, is, true, pv, nv, out);
        if (oldItems.isObject() && newItems.isObject()) {
            narrowed(f, "the values of field '" + f + "'", "maxLength", oldItems, newItems, true, pv, nv, out);
        }
        if (was.has("enum")) {
            Set<String> oldEnum = strings(was.get("enum"));
            Set<String> removed = new TreeSet<>(oldEnum);
            if (is.has("enum")) {
                removed.removeAll(strings(is.get("enum")));
            } else {
                removed.clear();
            }
            if (!removed.isEmpty()) {
                out.add(new Violation(f, Kind.NARROWED, "field '" + f + "' no longer allows " + removed + " in " + nv
                    + ": " + pv + " events with these values would be rejected"));
            }
        }
    }

    /** Reports a bound that accepts less: a smaller maximum ({@code upper}) or a larger minimum. */
    private static void narrowed(String f, String label, String keyword, JsonNode was, JsonNode is, boolean upper, String pv,
            String nv, List<Violation> out) {
        boolean had = was.has(keyword);
        boolean has = is.has(keyword);
        if (!has) {
            return;
        }
        long now = is.get(keyword).asLong();
        boolean narrower = !had ? (upper || now > 0) : upper ? now < was.get(keyword).asLong() : now > was.get(keyword).asLong();
        if (narrower) {
            out.add(new Violation(f, Kind.NARROWED, label + ": " + keyword + " changes from "
                + (had ? was.get(keyword).asText() : "none") + " in " + pv + " to " + now + " in " + nv + ": "
                + pv + " events beyond it would be rejected"));
        }
    }

    /** The JSON types a field allows ({@code type} as a string or an array). */
    static Set<String> types(JsonNode field) {
        JsonNode t = field == null ? null : field.get("type");
        Set<String> out = new LinkedHashSet<>();
        if (t == null) {
            out.add("any");
        } else if (t.isArray()) {
            t.forEach(x -> out.add(x.asText()));
        } else {
            out.add(t.asText());
        }
        if (out.contains("any")) {
            out.addAll(List.of("string", "integer", "number", "boolean", "object", "array", "null"));
        }
        if (out.contains("number")) {
            out.add("integer");
        }
        return out;
    }

    private static String describe(Set<String> types) {
        return types.size() == 1 ? types.iterator().next() : types.toString();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
