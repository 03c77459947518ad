package org.rnnlab.kernel.magic;

import java.util.List;

/** {@code %mavenRepo id url}: adds a repository for {@code %maven}. */
final class MavenRepoMagic implements Magic.Line {
    @Override
    public String name() {
        return "mavenRepo";
    }

    @Override
    public String help() {
        return "add a Maven repository for %maven: %mavenRepo id url";
    }

    @Override
    public Object run(MagicContext context, String args) {
        List<String> a = CellParser.splitArgs(args);
        if (a.size() != 2) {
            throw new IllegalArgumentException("write %mavenRepo id url, e.g. %mavenRepo local file:///tmp/repo");
        }
        context.resolver().addRepository(a.get(0), a.get(1));
        return null;
    }
}
