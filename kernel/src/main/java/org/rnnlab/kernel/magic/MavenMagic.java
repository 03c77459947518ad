package org.rnnlab.kernel.magic;

import org.rnnlab.kernel.maven.MavenResolver;

import java.io.File;
import java.util.List;

/** {@code %maven g:a:v ...}: resolves artifacts and their runtime dependencies onto the class path. */
final class MavenMagic implements Magic.Line {
    private boolean toldProblems;

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public String help() {
        return "add Maven artifacts and their dependencies: %maven group:artifact:version ...";
    }

    @Override
    public Object run(MagicContext context, String args) throws Exception {
        List<String> coords = CellParser.splitArgs(args);
        if (coords.isEmpty()) {
            throw new IllegalArgumentException("give coordinates, e.g. %maven tech.tablesaw:tablesaw-core:0.44.4");
        }
        MavenResolver resolver = context.resolver();
        if (!toldProblems && !resolver.settings().problems().isEmpty()) {
            toldProblems = true;
            System.err.println("Maven settings " + resolver.settings().files() + ": "
                    + String.join("; ", resolver.settings().problems()));
        }
        for (String c : coords) {
            List<File> files = resolver.resolve(c);
            int added = context.addToClasspath(files);
            for (String warning : resolver.warnings()) {
                System.err.println("Warning: " + warning);
            }
            System.out.println("Added " + c + " (" + added + " new jar" + (added == 1 ? "" : "s") + " on the class path)");
        }
        return null;
    }
}
