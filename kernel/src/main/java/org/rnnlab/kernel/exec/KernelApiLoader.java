package org.rnnlab.kernel.exec;

/**
 * The parent of every notebook class loader: it lets notebook code see the JDK and the kernel's notebook API
 * ({@code org.rnnlab.kernel.*}), and nothing else of the kernel's own class path. So a notebook's
 * {@code %maven} libraries (any version of slf4j, gson, asm, ...) never collide with what the kernel uses
 * internally, and the kernel's renderers meet the exact classes the notebook loaded.
 */
final class KernelApiLoader extends ClassLoader {
    private static final String KERNEL_PREFIX = "org.rnnlab.kernel.";
    private static final String SHADED_PREFIX = "org.rnnlab.kernel.shaded.";

    private final ClassLoader kernelLoader;

    KernelApiLoader(ClassLoader kernelLoader) {
        super("rnnlab-kernel-api", ClassLoader.getPlatformClassLoader());
        this.kernelLoader = kernelLoader;
    }

    static boolean isVisibleKernelClass(String name) {
        return name.startsWith(KERNEL_PREFIX) && !name.startsWith(SHADED_PREFIX);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (isVisibleKernelClass(name)) {
            return kernelLoader.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected java.net.URL findResource(String name) {
        return null;
    }
}
