package org.rnnlab.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A shell (or control) channel that waits on the socket instead of polling it.
 *
 * <p>The base library's {@link ShellChannel} polls without waiting and then sleeps 50 ms, which adds up to
 * 50 ms to every request (a trivial cell took about 100 ms, mostly sleeping). This channel blocks in
 * {@code poll} until a message arrives, so a request is handled as soon as it is received.
 *
 * <p>It also keeps serving after a bad message: a message whose HMAC signature does not match the
 * connection key (or that is unsigned) is dropped and logged, never handled; the base library's loop would
 * end on the {@link SecurityException} and leave the kernel deaf.
 */
public final class FastShellChannel extends ShellChannel {
    private static final Logger LOG = Logger.getLogger("rnnlab.kernel.protocol");
    private static final int POLL_TIMEOUT_MS = 100;

    private final boolean isControl;
    private final JupyterConnection connection;
    private volatile Thread loop;
    private volatile boolean running;
    private volatile Runnable idleTask;

    /**
     * @param context    the ZeroMQ context of the connection
     * @param hmac       the signature generator for the connection key
     * @param isControl  whether this is the control channel (interrupts, shutdown)
     * @param connection the connection that owns the message handlers
     */
    public FastShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean isControl, JupyterConnection connection) {
        super(context, hmac, isControl, connection, 0);
        this.isControl = isControl;
        this.connection = connection;
    }

    /** Work to do on this channel's thread when no message has arrived for a moment. */
    public void setIdleTask(Runnable task) {
        this.idleTask = task;
    }

    private String channelName() {
        return isControl ? "control" : "shell";
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        if (loop != null) {
            throw new IllegalStateException("the " + channelName() + " channel is already bound");
        }
        String address = formatAddress(props.getTransport(), props.getIp(),
                isControl ? props.getControlPort() : props.getShellPort());
        super.bind(address);
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        Thread t = new Thread(() -> serve(poller), "jupyter-" + channelName());
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    private void serve(ZMQ.Poller poller) {
        while (running) {
            int events;
            try {
                events = poller.poll(POLL_TIMEOUT_MS);
            } catch (RuntimeException closed) {
                if (running) {
                    LOG.log(Level.WARNING, "polling the " + channelName() + " channel failed", closed);
                }
                break;
            }
            if (!running) {
                continue;
            }
            if (events <= 0) {
                runIdleTask();
                continue;
            }
            handleOne();
        }
    }

    private void runIdleTask() {
        Runnable task = idleTask;
        if (task != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "idle work on the " + channelName() + " channel failed", e);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handleOne() {
        Message<?> message;
        try {
            message = readMessage();
        } catch (SecurityException badSignature) {
            LOG.warning("dropped a message on the " + channelName() + " channel: its HMAC signature does not match "
                    + "the connection key (unsigned or forged); it was not executed");
            return;
        } catch (RuntimeException malformed) {
            LOG.warning("dropped a malformed message on the " + channelName() + " channel: " + malformed);
            return;
        }
        if (message == null) {
            return;
        }
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.fine(() -> "no handler for " + message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "handling " + message.getHeader().getType().getName() + " failed", e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            running = false;
            connection.close();
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2 * POLL_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
