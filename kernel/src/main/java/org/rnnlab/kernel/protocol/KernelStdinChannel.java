package org.rnnlab.kernel.protocol;

import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.reply.InputReply;
import org.dflib.jjava.jupyter.messages.request.InputRequest;
import org.zeromq.ZMQ;

/**
 * The stdin channel, on which the kernel asks the notebook for a line the user types ({@code input_request} /
 * {@code input_reply}).
 *
 * <p>The base library's {@link StdinChannel#getInput} waits for the answer in a blocking receive. A cell that
 * reads {@code System.in} would then hang in JeroMQ until the user answers, and interrupting the cell (which
 * interrupts, and at last stops, its thread) could break the socket. {@link #ask} instead polls in short steps and
 * gives up when told to, and is meant to run on a thread of its own that nobody interrupts. A reply that arrives
 * after its question was given up on is dropped before the next question is sent, as ipykernel does (clients do
 * not all set the reply's parent header, so it cannot be told apart otherwise).
 */
public final class KernelStdinChannel extends StdinChannel {
    private static final Logger LOG = Logger.getLogger(KernelStdinChannel.class.getName());
    private static final int POLL_MS = 50;

    public KernelStdinChannel(ZMQ.Context context, HMACGenerator hmac) {
        super(context, hmac);
    }

    /**
     * Sends an {@code input_request} in the context of {@code request} (the execute request of the running cell)
     * and waits for its {@code input_reply}.
     *
     * @param cancelled polled while waiting; when it returns true the question is given up on
     * @return the line the user entered, without a line break, or null when given up on
     */
    public String ask(MessageContext request, String prompt, boolean password, BooleanSupplier cancelled) {
        Message<InputRequest> question = new Message<>(request, InputRequest.MESSAGE_TYPE,
                new InputRequest(prompt, password));
        String id = question.getHeader().getId();
        ZMQ.Poller poller = ctx.poller(1);
        try {
            poller.register(this, ZMQ.Poller.POLLIN);
            while (poller.poll(0) > 0) {
                readQuietly();                                       // late answers to questions given up on
            }
            sendMessage(question);
            while (!cancelled.getAsBoolean()) {
                if (poller.poll(POLL_MS) <= 0) {
                    continue;
                }
                Message<?> answer = readQuietly();
                if (answer != null && answer.getContent() instanceof InputReply && answers(answer, id)) {
                    return ((InputReply) answer.getContent()).getValue();
                }
                if (answer != null) {
                    LOG.log(Level.FINE, "dropped a stdin message that answers no open question: {0}",
                            answer.getHeader().getType());
                }
            }
            return null;
        } finally {
            poller.close();
        }
    }

    /** True unless the reply names, as its parent, another question than {@code id} (an empty parent is fine). */
    private static boolean answers(Message<?> reply, String id) {
        String parent = reply.hasParentHeader() ? reply.getParentHeader().getId() : null;
        return parent == null || parent.equals(id);
    }

    /** The next message on the socket, or null (and a log line) when its signature does not check out. */
    private Message<?> readQuietly() {
        try {
            return readMessage();
        } catch (SecurityException badSignature) {
            LOG.warning("dropped a message on the stdin channel: " + badSignature.getMessage());
            return null;
        }
    }
}
