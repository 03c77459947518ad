package org.rnnlab.kernel.magic;

/** {@code %lsmagic}: lists the magics registered, with their help texts. */
final class LsMagic implements Magic.Line {
    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String help() {
        return "list the magics";
    }

    @Override
    public Object run(MagicContext context, String args) {
        System.out.print(context.magics().describe());
        return null;
    }
}
