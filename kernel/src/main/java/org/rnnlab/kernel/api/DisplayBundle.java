package org.rnnlab.kernel.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rendered value: the same object in several MIME types (for example {@code image/png} and
 * {@code text/plain}), as Jupyter's display messages carry it. Binary data ({@code image/png}) is held
 * base64-encoded. Returned by {@link Notebook#render(Object)}; a cell whose value is a bundle shows it as is.
 */
public final class DisplayBundle {
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    /** Adds (or replaces) the representation for one MIME type. */
    public DisplayBundle put(String mimeType, Object value) {
        data.put(mimeType, value);
        return this;
    }

    /** Adds display metadata for one MIME type, e.g. the display width of an image. */
    public DisplayBundle putMetadata(String mimeType, Map<String, Object> value) {
        metadata.put(mimeType, value);
        return this;
    }

    /** The representations by MIME type, in insertion order. */
    public Map<String, Object> data() {
        return Collections.unmodifiableMap(data);
    }

    /** The metadata by MIME type. */
    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Whether a representation exists for the given MIME type. */
    public boolean has(String mimeType) {
        return data.containsKey(mimeType);
    }

    /** The representation for a MIME type, or {@code null}. */
    public Object get(String mimeType) {
        return data.get(mimeType);
    }

    /** Keeps only the given MIME types (all when none are given). */
    public DisplayBundle retain(String... mimeTypes) {
        if (mimeTypes == null || mimeTypes.length == 0) {
            return this;
        }
        DisplayBundle kept = new DisplayBundle();
        for (String mime : mimeTypes) {
            if (data.containsKey(mime)) {
                kept.data.put(mime, data.get(mime));
                if (metadata.containsKey(mime)) {
                    kept.metadata.put(mime, metadata.get(mime));
                }
            }
        }
        return kept;
    }

    @Override
    public String toString() {
        Object text = data.get("text/plain");
        return text != null ? text.toString() : "DisplayBundle" + data.keySet();
    }
}
