package org.rnnlab.notebook;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Registers the library's renderers ({@link NotebookRenderers}) with the Java kernel the library runs in, once,
 * from the static initialisers of the classes a notebook meets first ({@code Plots}, {@code Tables},
 * {@code TextHeat}, {@code SequenceModel}):
 * <ul>
 * <li>the RNN Lab kernel: through {@code org.rnnlab.kernel.api.Notebook.registerRenderer(className, renderer)},
 *     the renderer registry any notebook library can add to;</li>
 * <li>IJava 1.3: through {@code IJava.getKernelInstance().getRenderer()}, which IJava offers no plug-in point
 *     for;</li>
 * <li>JJava needs no hook: it installs {@link JJavaExtension} itself when {@code %maven} adds the jar.</li>
 * </ul>
 * Every step is guarded and by reflection: outside a kernel (a test, an application) nothing happens, and no
 * kernel is a dependency of the library.
 */
public final class KernelHooks {
    private static final String RNNLAB_NOTEBOOK = "org.rnnlab.kernel.api.Notebook";
    private static final String RNNLAB_RENDERER = "org.rnnlab.kernel.api.MimeRenderer";
    private static final String RNNLAB_BUNDLE = "org.rnnlab.kernel.api.DisplayBundle";
    private static final String IJAVA = "io.github.spencerpark.ijava.IJava";

    /** The kernel the renderers went to, once {@link #install} has run. */
    private static String kernel;

    private KernelHooks() {
    }

    /**
     * Registers the renderers with the running kernel the first time it is called in this class loader; later
     * calls return the first answer.
     *
     * @return the kernel they were registered with ("rnnlab", "ijava"), or "none"
     */
    public static synchronized String install() {
        if (kernel == null) {
            kernel = register(KernelHooks.class.getClassLoader());
        }
        return kernel;
    }

    private static String register(ClassLoader loader) {
        try {
            if (registerWithRnnLab(loader)) {
                return "rnnlab";
            }
            if (registerWithIJava(loader)) {
                return "ijava";
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // A kernel whose API is not the one expected: values keep the kernel's own rendering.
            return "none";
        }
        return "none";
    }

    private static boolean registerWithRnnLab(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> notebook = find(RNNLAB_NOTEBOOK, loader);
        if (notebook == null) {
            return false;
        }
        Class<?> rendererType = Class.forName(RNNLAB_RENDERER, true, notebook.getClassLoader());
        Class<?> bundleType = Class.forName(RNNLAB_BUNDLE, true, notebook.getClassLoader());
        Method put = bundleType.getMethod("put", String.class, Object.class);
        Method putMetadata = bundleType.getMethod("putMetadata", String.class, Map.class);
        Method register = notebook.getMethod("registerRenderer", String.class, rendererType);
        for (NotebookRenderers.Kind kind : NotebookRenderers.KINDS) {
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "render":
                        return toKernelBundle(NotebookRenderers.render(args[0]), bundleType, put, putMetadata);
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "RNN Lab renderer for " + kind.type().getName();
                    default:
                        throw new UnsupportedOperationException(method.toString());
                }
            };
            Object renderer = Proxy.newProxyInstance(notebook.getClassLoader(), new Class<?>[] {rendererType}, handler);
            try {
                register.invoke(null, kind.type().getName(), renderer);
            } catch (java.lang.reflect.InvocationTargetException e) {
                // Notebook's API is on the class path but no kernel is running (IllegalStateException).
                return false;
            }
        }
        return true;
    }

    private static Object toKernelBundle(MimeBundle bundle, Class<?> bundleType, Method put, Method putMetadata)
            throws ReflectiveOperationException {
        if (bundle == null) {
            return null;
        }
        Object out = bundleType.getConstructor().newInstance();
        for (Map.Entry<String, String> e : bundle.data().entrySet()) {
            put.invoke(out, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Map<String, Object>> e : bundle.metadata().entrySet()) {
            putMetadata.invoke(out, e.getKey(), e.getValue());
        }
        return out;
    }

    private static boolean registerWithIJava(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> ijava = find(IJAVA, loader);
        if (ijava == null) {
            return false;
        }
        Object kernel = ijava.getMethod("getKernelInstance").invoke(null);
        if (kernel == null) {
            return false;
        }
        BaseKernelRenderers.registerInto(kernel.getClass().getMethod("getRenderer").invoke(kernel));
        return true;
    }

    private static Class<?> find(String name, ClassLoader loader) {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
