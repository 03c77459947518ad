package org.rnnlab.kernel.display;

import org.rnnlab.kernel.api.DisplayBundle;
import org.rnnlab.kernel.api.MimeRenderer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renderers keyed by class name. A value is rendered by the renderer registered for the nearest of its classes:
 * its own class, then its superclasses, then the interfaces they implement (nearest first). Names, not
 * {@code Class} objects, are the keys because values come from the notebook's class loader (whatever version of
 * XChart or Tablesaw the notebook loaded), which the kernel never links against. Without a registered renderer,
 * or when it returns null, the value's own {@code toMimeBundle()}/{@code toHtml()} ({@link Renderers#ownBundle})
 * and then its {@code text/plain} form are used. Registering a name again replaces its renderer, so a library
 * can also take over one of the kernel's.
 */
public final class RendererRegistry {
    private final Map<String, MimeRenderer> byClassName = new ConcurrentHashMap<>();

    /** An empty registry. */
    public RendererRegistry() {
    }

    /** A registry holding the kernel's own renderers ({@link Renderers#registerBuiltIns}). */
    public static RendererRegistry withBuiltIns() {
        RendererRegistry registry = new RendererRegistry();
        Renderers.registerBuiltIns(registry);
        return registry;
    }

    /** Registers {@code renderer} for the class or interface named {@code className} and what extends it. */
    public RendererRegistry register(String className, MimeRenderer renderer) {
        byClassName.put(className, renderer);
        return this;
    }

    /** The class names renderers are registered for. */
    public Set<String> classNames() {
        return byClassName.keySet();
    }

    /** The renderer for values of {@code type}, or null. */
    public MimeRenderer rendererFor(Class<?> type) {
        if (byClassName.isEmpty()) {
            return null;
        }
        Deque<Class<?>> interfaces = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            MimeRenderer r = byClassName.get(c.getName());
            if (r != null) {
                return r;
            }
            for (Class<?> i : c.getInterfaces()) {
                interfaces.add(i);
            }
        }
        Set<Class<?>> seen = new HashSet<>();
        while (!interfaces.isEmpty()) {
            Class<?> i = interfaces.poll();
            if (!seen.add(i)) {
                continue;
            }
            MimeRenderer r = byClassName.get(i.getName());
            if (r != null) {
                return r;
            }
            for (Class<?> parent : i.getInterfaces()) {
                interfaces.add(parent);
            }
        }
        return null;
    }

    /** Renders a value into every MIME type known for it. */
    public DisplayBundle render(Object value) {
        if (value instanceof DisplayBundle) {
            return (DisplayBundle) value;
        }
        if (value == null) {
            return new DisplayBundle().put("text/plain", "null");
        }
        try {
            MimeRenderer renderer = rendererFor(value.getClass());
            if (renderer != null) {
                DisplayBundle bundle = renderer.render(value);
                if (bundle != null) {
                    return bundle;
                }
            }
            DisplayBundle own = Renderers.ownBundle(value);
            if (own != null) {
                return own;
            }
        } catch (Exception | LinkageError e) {
            // LinkageError: a renderer whose library is missing a class (NoClassDefFoundError) or has the wrong
            // version of it. The value is shown as text, with the reason, and the cell ends normally: an error
            // escaping from here would leave the cell without its execute_reply, queued for ever in JupyterLab.
            return new DisplayBundle().put("text/plain", Renderers.plainText(value)
                    + "\n(rich display failed: " + e + ")");
        }
        return new DisplayBundle().put("text/plain", Renderers.plainText(value));
    }
}
