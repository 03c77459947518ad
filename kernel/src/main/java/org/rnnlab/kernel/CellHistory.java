package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The cells executed in this kernel session, for Jupyter's history requests (tail, range and glob search). */
final class CellHistory implements HistoryManager {
    static final int SESSION = 1;

    private final List<HistoryEntry> entries = new ArrayList<>();

    synchronized void add(int count, String input, String output) {
        entries.add(new HistoryEntry(SESSION, count, input, output));
    }

    private static HistoryEntry shaped(HistoryEntry e, Set<ResultFlag> flags) {
        return flags.contains(ResultFlag.INCLUDE_OUTPUT)
                ? new HistoryEntry(e.getSession(), e.getCellNumber(), e.getInput(), e.getOutput() == null ? "" : e.getOutput())
                : new HistoryEntry(e.getSession(), e.getCellNumber(), e.getInput(), null);
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        for (int i = Math.max(0, entries.size() - length); i < entries.size(); i++) {
            out.add(shaped(entries.get(i), flags));
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        for (HistoryEntry e : entries) {
            if ((session == SESSION || session <= 0) && e.getCellNumber() >= start && e.getCellNumber() < stop) {
                out.add(shaped(e, flags));
            }
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int length, Set<ResultFlag> flags) {
        Pattern pattern = globToRegex(glob == null ? "*" : glob);
        List<HistoryEntry> newestFirst = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int limit = length <= 0 ? Integer.MAX_VALUE : length;
        for (int i = entries.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            HistoryEntry e = entries.get(i);
            if (!pattern.matcher(e.getInput()).matches()) {
                continue;
            }
            if (flags.contains(ResultFlag.UNIQUE) && !seen.add(e.getInput())) {
                continue;
            }
            newestFirst.add(shaped(e, flags));
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            out.add(newestFirst.get(i));
        }
        return out;
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
