package org.rnnlab.kernel.magic;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands the file patterns of {@code %jars} ({@code *}, {@code ?} and {@code **} as in Java's glob syntax). */
public final class Globs {
    private Globs() {
    }

    /** The existing files a pattern names, sorted; a pattern without wildcards names itself if it exists. */
    public static List<File> expand(String pattern) throws IOException {
        String p = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        int wildcard = indexOfWildcard(p);
        List<File> out = new ArrayList<>();
        if (wildcard < 0) {
            File f = new File(p);
            if (f.exists()) {
                out.add(f.getAbsoluteFile());
            }
            return out;
        }
        int slash = p.lastIndexOf('/', wildcard);
        Path base = slash < 0 ? Path.of("").toAbsolutePath() : Path.of(p.substring(0, slash + 1)).toAbsolutePath();
        String rest = slash < 0 ? p : p.substring(slash + 1);
        if (!Files.isDirectory(base)) {
            return out;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        try (Stream<Path> files = Files.walk(base)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> matcher.matches(base.relativize(f)))
                    .sorted()
                    .forEach(f -> out.add(f.toFile()));
        }
        return out;
    }

    private static int indexOfWildcard(String p) {
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (ch == '*' || ch == '?' || ch == '[' || ch == '{') {
                return i;
            }
        }
        return -1;
    }
}
