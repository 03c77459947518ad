package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;

import java.util.ArrayList;
import java.util.List;

/**
 * The history reply as the protocol defines it: {@code status} plus entries as
 * {@code [session, line, input]} or {@code [session, line, [input, output]]} arrays. (The base library's
 * reply omits {@code status} and serialises entries as objects.)
 */
final class HistoryAnswer implements ContentType<HistoryAnswer> {
    @SuppressWarnings("unused")
    private final String status = "ok";
    @SuppressWarnings("unused")
    private final List<List<Object>> history = new ArrayList<>();

    HistoryAnswer(List<HistoryEntry> entries) {
        for (HistoryEntry e : entries) {
            List<Object> row = new ArrayList<>();
            row.add(e.getSession());
            row.add(e.getCellNumber());
            row.add(e.getOutput() == null ? e.getInput() : List.of(e.getInput(), e.getOutput()));
            history.add(row);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MessageType<HistoryAnswer> getType() {
        return (MessageType) HistoryReply.MESSAGE_TYPE;
    }
}
