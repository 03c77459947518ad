package org.rnnlab.kernel.magic;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code %load} runs: a {@code .jsh}/{@code .java} file as one cell, or the code cells of a notebook
 * ({@code .ipynb}) one after another.
 */
public final class LoadSources {
    private LoadSources() {
    }

    /** The cells a file contributes, in order. */
    public static List<String> cells(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!file.getFileName().toString().endsWith(".ipynb")) {
            return List.of(text);
        }
        return notebookCodeCells(text);
    }

    /** The sources of the code cells of a notebook document (nbformat 4). */
    public static List<String> notebookCodeCells(String json) {
        JsonElement doc = JsonParser.parseString(json);
        if (!doc.isJsonObject() || !doc.getAsJsonObject().has("cells")) {
            throw new IllegalArgumentException("not a notebook: the file has no \"cells\" list");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement c : doc.getAsJsonObject().getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!cell.has("cell_type") || !"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            JsonElement src = cell.get("source");
            if (src == null || src.isJsonNull()) {
                continue;
            }
            if (src.isJsonArray()) {
                StringBuilder sb = new StringBuilder();
                for (JsonElement line : src.getAsJsonArray()) {
                    sb.append(line.getAsString());
                }
                out.add(sb.toString());
            } else {
                out.add(src.getAsString());
            }
        }
        return out;
    }
}
