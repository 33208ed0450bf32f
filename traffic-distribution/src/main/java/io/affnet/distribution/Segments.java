package io.affnet.distribution;

import java.util.List;

/**
 * The segments a click is counted in. Statistics are kept for the whole link ({@link #GLOBAL}) and
 * for each context dimension on its own, not for every combination: combinations would split
 * traffic into cells too thin to learn from, while per-dimension cells combine additively in the
 * contextual policy.
 */
public final class Segments {

    public static final String GLOBAL = "*";

    /** Hours are grouped in 6-hour blocks (night, morning, afternoon, evening). */
    public static final int HOURS_PER_BLOCK = 6;

    public enum Dimension {
        COUNTRY("cc"), DEVICE("dev"), SOURCE("src"), HOUR("hr");

        private final String prefix;

        Dimension(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }

        public String key(Context context) {
            return switch (this) {
                case COUNTRY -> prefix + "=" + context.country();
                case DEVICE -> prefix + "=" + context.deviceClass();
                case SOURCE -> prefix + "=" + context.source();
                case HOUR -> prefix + "=" + context.hourOfDay() / HOURS_PER_BLOCK;
            };
        }

        public boolean owns(String segmentKey) {
            return segmentKey.startsWith(prefix + "=");
        }
    }

    private Segments() {
    }

    /** The global segment first, then one key per dimension. */
    public static List<String> of(Context context) {
        Dimension[] dims = Dimension.values();
        String[] keys = new String[dims.length + 1];
        keys[0] = GLOBAL;
        for (int i = 0; i < dims.length; i++) {
            keys[i + 1] = dims[i].key(context);
        }
        return List.of(keys);
    }
}
