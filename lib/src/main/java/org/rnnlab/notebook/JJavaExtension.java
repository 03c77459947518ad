package org.rnnlab.notebook;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * The library's plug-in for JJava: JJava installs every {@link Extension} listed in a jar's
 * {@code META-INF/services/org.dflib.jjava.jupyter.Extension} when {@code %maven}, {@code %jars} or
 * {@code %classpath} adds the jar, so {@code %maven org.rnnlab:rnnlab-lib:0.1.0} alone makes charts, tables,
 * matrices and {@code TextHeat} render. JJava brings the {@code Extension} API itself; the library only
 * compiles against it.
 */
public final class JJavaExtension implements Extension {
    /** Called by JJava's service loader. */
    public JJavaExtension() {
    }

    /**
     * Registers the library's renderers with the kernel's renderer.
     *
     * @throws IllegalStateException when the kernel's renderer does not have the expected API
     */
    @Override
    public void install(BaseKernel kernel) {
        try {
            BaseKernelRenderers.registerInto(kernel.getRenderer());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("RNN Lab could not register its renderers with JJava: " + e, e);
        }
    }
}
