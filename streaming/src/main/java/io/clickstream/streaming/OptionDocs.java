package io.clickstream.streaming;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

/** Lists and describes the typed options of an {@code *Options} class: the one source of {@code --help} and the docs. */
public final class OptionDocs {
    private OptionDocs() {}

    /** The {@code public static ConfigOption} fields of an options class, in declaration order. */
    public static List<ConfigOption<?>> declaredOptions(Class<?> optionsClass) {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : optionsClass.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /**
     * Parses {@code --key value} pairs into a configuration; keys may omit {@code prefix}, {@code aliases} maps short
     * forms (e.g. {@code -s}) to keys, unknown keys are an error that prints {@code help}. {@code -Dkey=value} sets a
     * Flink configuration option, as the Flink CLI does. Shared by the jobs' {@code *Options.fromArgs}.
     */
    public static org.apache.flink.configuration.Configuration parse(String[] args, String prefix, List<ConfigOption<?>> options,
            java.util.Map<String, String> aliases, java.util.function.Supplier<String> help) {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        List<String> known = options.stream().map(ConfigOption::key).toList();
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].startsWith("-D") && args[i].contains("=")) {
                String kv = args[i].substring(2);
                conf.setString(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                i--;
                continue;
            }
            String k = aliases.getOrDefault(args[i], args[i]).replaceFirst("^--", "");
            if (!k.startsWith(prefix)) {
                k = prefix + k;
            }
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "\n" + help.get());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            conf.setString(k, args[i + 1]);
        }
        return conf;
    }

    /** An option's description as plain text (for {@code --help}); {@code description().toString()} is not. */
    public static String describe(ConfigOption<?> option) {
        return new PlainText().format(option.description());
    }

    /** Flink's description formatter without HTML: text with its arguments, lists as "- item" lines. */
    private static final class PlainText extends Formatter {
        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append(description).append(" (").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append('\n');
        }

        @Override
        protected void formatText(StringBuilder state, String format, String[] elements,
                java.util.EnumSet<TextElement.TextStyle> styles) {
            state.append(String.format(format, (Object[]) elements));
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            for (String e : entries) {
                state.append("\n  - ").append(e);
            }
        }

        @Override
        protected Formatter newInstance() {
            return new PlainText();
        }
    }
}
