package org.rnnlab.notebook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a notebook shows for one value: text per MIME type ({@code image/png} as Base64, {@code text/html},
 * {@code text/plain}), and metadata per MIME type (an image's display size). Independent of every kernel, so
 * that one set of renderers ({@link NotebookRenderers}) serves them all.
 */
public final class MimeBundle {
    private final Map<String, String> data = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> metadata = new LinkedHashMap<>();

    MimeBundle put(String mimeType, String value) {
        data.put(mimeType, value);
        return this;
    }

    MimeBundle putMetadata(String mimeType, Map<String, Object> value) {
        metadata.put(mimeType, value);
        return this;
    }

    /** MIME type to text, in the order they were added. */
    public Map<String, String> data() {
        return Collections.unmodifiableMap(data);
    }

    /** MIME type to its metadata ({@code image/png}: {@code width} and {@code height} in CSS pixels). */
    public Map<String, Map<String, Object>> metadata() {
        return Collections.unmodifiableMap(metadata);
    }
}
