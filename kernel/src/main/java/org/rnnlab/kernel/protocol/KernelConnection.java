package org.rnnlab.kernel.protocol;

import org.dflib.jjava.jupyter.channels.HeartbeatChannel;
import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The kernel's five ZeroMQ sockets, bound only to the address in the connection file. Same as the base
 * library's {@link JupyterConnection} (whose message-handler table it reuses) but with
 * {@link FastShellChannel}s for shell and control: no polling sleep, bad signatures dropped.
 */
public final class KernelConnection extends JupyterConnection {
    private final KernelConnectionProperties props;
    private final ZMQ.Context context;
    private final HeartbeatChannel heartbeatChannel;
    private final FastShellChannel shellChannel;
    private final FastShellChannel controlChannel;
    private final KernelStdinChannel stdinChannel;
    private final IOPubChannel iopubChannel;
    private boolean connected;

    /**
     * @param props the parsed connection file
     * @throws NoSuchAlgorithmException when the signature scheme is not supported by this JVM
     * @throws InvalidKeyException      when the key cannot be used for that scheme
     */
    public KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        // the sockets the base class made are replaced by ours below; free them (they were never bound)
        super.close();
        this.props = props;
        this.context = ZMQ.context(1);
        HMACGenerator hmac = props.createHMACGenerator();
        this.heartbeatChannel = new HeartbeatChannel(context, hmac, 20);
        this.shellChannel = new FastShellChannel(context, hmac, false, this);
        this.controlChannel = new FastShellChannel(context, hmac, true, this);
        this.stdinChannel = new KernelStdinChannel(context, hmac);
        this.iopubChannel = new IOPubChannel(context, hmac);
    }

    private List<JupyterSocket> sockets() {
        return List.of(heartbeatChannel, iopubChannel, stdinChannel, controlChannel, shellChannel);
    }

    @Override
    public synchronized void connect() {
        if (connected) {
            return;
        }
        for (JupyterSocket socket : sockets()) {
            socket.bind(props);
        }
        iopubChannel.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    /** The stdin channel, on which a running cell asks the notebook for a line of input. */
    public KernelStdinChannel stdin() {
        return stdinChannel;
    }

    /** Work for the shell thread when no request has arrived for a moment (it is the thread that runs cells). */
    public void setShellIdleTask(Runnable task) {
        shellChannel.setIdleTask(task);
    }

    @Override
    public IOPubChannel getIOPub() {
        return iopubChannel;
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
        return new KernelReplyEnvironment(shell, stdinChannel, iopubChannel, context);
    }

    @Override
    public void close() {
        for (JupyterSocket socket : sockets()) {
            try {
                socket.close();
            } catch (RuntimeException alreadyClosed) {
                // closing twice is harmless
            }
        }
        context.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
    }

    /** Opens the protected constructor of the base library's reply environment. */
    private static final class KernelReplyEnvironment extends ShellReplyEnvironment {
        KernelReplyEnvironment(ShellChannel shell, StdinChannel stdin, JupyterSocket iopub, MessageContext context) {
            super(shell, stdin, iopub, context);
        }
    }
}
