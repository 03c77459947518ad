package org.rnnlab.notebook;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registers {@link NotebookRenderers} with a {@code Renderer} of the base kernel library that IJava
 * ({@code io.github.spencerpark.jupyter.kernel.display}) and JJava, its fork
 * ({@code org.dflib.jjava.jupyter.kernel.display}), are built on. The two have the same API under different
 * package names, so it is called by reflection, which also keeps either kernel out of the library's
 * dependencies:
 *
 * <pre>{@code
 * renderer.createRegistration(Chart.class).preferring("image/png", "text/plain")
 *         .register((chart, context) -> context.renderIfRequested(IMAGE_PNG, () -> base64Png));
 * }</pre>
 */
final class BaseKernelRenderers {
    private static final String RENDERER = ".Renderer";

    private BaseKernelRenderers() {
    }

    /**
     * Registers every kind of {@link NotebookRenderers#KINDS} with {@code renderer}.
     *
     * @param renderer an instance of (a subclass of) IJava's or JJava's {@code ...kernel.display.Renderer}
     * @throws ReflectiveOperationException when {@code renderer} does not have that API
     */
    static void registerInto(Object renderer) throws ReflectiveOperationException {
        Class<?> rendererType = rendererClass(renderer.getClass());
        String display = rendererType.getName().substring(0, rendererType.getName().length() - RENDERER.length());
        ClassLoader api = rendererType.getClassLoader();
        Class<?> functionType = Class.forName(display + ".RenderFunction", false, api);
        Class<?> contextType = Class.forName(display + ".RenderContext", false, api);
        Class<?> mimeType = Class.forName(display + ".mime.MIMEType", false, api);
        Method parse = mimeType.getMethod("parse", String.class);
        Method renderIfRequested = contextType.getMethod("renderIfRequested", mimeType, Supplier.class);
        Method outputContainer = contextType.getMethod("getOutputContainer");
        Method createRegistration = rendererType.getMethod("createRegistration", Class.class);

        for (NotebookRenderers.Kind kind : NotebookRenderers.KINDS) {
            Object registration = createRegistration.invoke(renderer, kind.type());
            registration.getClass().getMethod("preferring", String[].class)
                    .invoke(registration, (Object) kind.mimeTypes().toArray(String[]::new));
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "render":
                        fill(NotebookRenderers.render(args[0]), args[1], parse, renderIfRequested, outputContainer);
                        return null;
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
            Object function = Proxy.newProxyInstance(api, new Class<?>[] {functionType}, handler);
            registration.getClass().getMethod("register", functionType).invoke(registration, function);
        }
    }

    /** Puts each requested MIME type of {@code bundle} (and its metadata) into the context's output. */
    private static void fill(MimeBundle bundle, Object context, Method parse, Method renderIfRequested,
            Method outputContainer) throws ReflectiveOperationException {
        if (bundle == null) {
            return;
        }
        for (Map.Entry<String, String> e : bundle.data().entrySet()) {
            Supplier<Object> value = e::getValue;
            boolean rendered = (Boolean) renderIfRequested.invoke(context, parse.invoke(null, e.getKey()), value);
            Map<String, Object> metadata = bundle.metadata().get(e.getKey());
            if (rendered && metadata != null) {
                Object output = outputContainer.invoke(context);
                output.getClass().getMethod("putMetaData", String.class, Object.class)
                        .invoke(output, e.getKey(), metadata);
            }
        }
    }

    private static Class<?> rendererClass(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().endsWith(".kernel.display" + RENDERER)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a base-kernel Renderer (IJava's or JJava's)");
    }
}
