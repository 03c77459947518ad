package org.rnnlab.kernel;

import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

import java.util.List;

/** The kernel_info reply, with the {@code status} field the protocol requires (the base library omits it). */
final class KernelInfo extends KernelInfoReply {
    @SuppressWarnings("unused")
    private final String status = "ok";

    KernelInfo(String protocolVersion, String name, String version, LanguageInfo language, String banner,
               List<HelpLink> links) {
        super(protocolVersion, name, version, language, banner, links);
    }
}
