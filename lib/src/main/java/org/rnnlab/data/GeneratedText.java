package org.rnnlab.data;

import java.util.Random;

/**
 * Synthetic structured text, and the two properties of each character that interpretability lessons look
 * for in a trained language model's cells: how deeply nested in brackets it is, and whether it is inside
 * a quoted string.
 *
 * <p>{@link #generate} writes JSON-like records, one per line, such as
 * <pre>{"id": 42, "tags": ["red fox", "blue"], "pos": {"x": 7, "next": null}}</pre>
 * with objects and arrays nested up to {@value #MAX_DEPTH} deep and strings of a few words. A character
 * model trained on it must keep track of open brackets (to close them in the right order) and of whether
 * it is inside a string (where words follow instead of keys and punctuation). After training, some cells
 * often do exactly that; correlate their activations with {@link #bracketDepth} and {@link #insideQuotes}
 * to find them.
 */
public final class GeneratedText {

    /** The deepest nesting of brackets that {@link #generate} writes. */
    public static final int MAX_DEPTH = 4;

    private static final String[] KEYS = {
        "id", "name", "type", "tags", "items", "value", "pos", "size", "color", "next", "data", "note",
    };
    private static final String[] WORDS = {
        "red", "blue", "green", "fox", "owl", "river", "stone", "light", "dark", "quick", "slow", "small",
        "big", "old", "new", "north", "south", "tree", "cloud", "rain", "sun", "moon", "wind", "road",
    };
    private static final String[] CONSTANTS = {"true", "false", "null"};

    private GeneratedText() {
    }

    /** Exactly {@code length} characters of JSON-like lines (at least 1; the last line is cut off), the same for the same seed. */
    public static String generate(int length, long seed) {
        Check.atLeast("length", length, 1);
        Random rng = new Random(seed);
        StringBuilder sb = new StringBuilder(length + 200);
        while (sb.length() < length) {
            object(sb, 1, rng);
            sb.append('\n');
        }
        sb.setLength(length);
        return sb.toString();
    }

    private static void object(StringBuilder sb, int depth, Random rng) {
        sb.append('{');
        int fields = 1 + rng.nextInt(3);
        int first = rng.nextInt(KEYS.length);
        int stride = 1 + rng.nextInt(KEYS.length / fields - 1);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(KEYS[(first + i * stride) % KEYS.length]).append("\": ");
            value(sb, depth, rng);
        }
        sb.append('}');
    }

    private static void array(StringBuilder sb, int depth, Random rng) {
        sb.append('[');
        int items = 1 + rng.nextInt(3);
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            value(sb, depth, rng);
        }
        sb.append(']');
    }

    private static void value(StringBuilder sb, int depth, Random rng) {
        double nest = depth < MAX_DEPTH ? 0.6 / depth : 0;
        double r = rng.nextDouble();
        if (r < nest / 2) {
            object(sb, depth + 1, rng);
        } else if (r < nest) {
            array(sb, depth + 1, rng);
        } else if (r < nest + (1 - nest) * 0.5) {
            sb.append('"');
            int words = 1 + rng.nextInt(4);
            for (int i = 0; i < words; i++) {
                sb.append(i > 0 ? " " : "").append(WORDS[rng.nextInt(WORDS.length)]);
            }
            sb.append('"');
        } else if (r < nest + (1 - nest) * 0.85) {
            sb.append(rng.nextInt(100));
        } else {
            sb.append(CONSTANTS[rng.nextInt(CONSTANTS.length)]);
        }
    }

    /**
     * The bracket depth after each character: <code>(</code>, <code>[</code> and <code>{</code> add one,
     * <code>)</code>, <code>]</code> and <code>}</code> take one away (never below 0). Brackets inside quoted strings (see
     * {@link #insideQuotes}) do not count.
     */
    public static int[] bracketDepth(String text) {
        boolean[] quoted = insideQuotes(text);
        int[] depth = new int[text.length()];
        int d = 0;
        for (int i = 0; i < depth.length; i++) {
            char c = text.charAt(i);
            if (!quoted[i]) {
                if (c == '(' || c == '[' || c == '{') {
                    d++;
                } else if ((c == ')' || c == ']' || c == '}') && d > 0) {
                    d--;
                }
            }
            depth[i] = d;
        }
        return depth;
    }

    /**
     * For each character, whether the reader is inside a double-quoted string after reading it: true from
     * the opening quote up to (not including) the closing quote. A backslash inside a string escapes the
     * next character, and a line break ends any open string (strings in JSON and Java do not span lines).
     */
    public static boolean[] insideQuotes(String text) {
        boolean[] inside = new boolean[text.length()];
        boolean open = false;
        boolean escaped = false;
        for (int i = 0; i < inside.length; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                open = false;
                escaped = false;
            } else if (!open) {
                open = c == '"';
            } else if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                open = false;
            }
            inside[i] = open;
        }
        return inside;
    }
}
