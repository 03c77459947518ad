package org.rnnlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderFunction;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.rnnlab.kernel.api.DisplayBundle;

import java.util.Map;
import java.util.Set;

/**
 * The base library's {@link Renderer}, answered by the kernel's {@link RendererRegistry}. The base library's
 * kernel constructor requires a {@code Renderer} (it rejects null) and registers its own class-keyed image, URL and
 * text renderers into it; those registrations are dropped here, and what the base library renders
 * ({@code getKernelInstance().eval(code)}, {@code getRenderer().render(x)}) goes through the registry, so there is
 * one set of renderers.
 */
public final class RegistryRenderer extends Renderer {
    private final RendererRegistry registry;

    /** A base-library renderer backed by {@code registry}. */
    public RegistryRenderer(RendererRegistry registry) {
        this.registry = registry;
    }

    /** Ignored: the kernel's renderers are registered in its {@link RendererRegistry}. */
    @Override
    public <T> void register(Set<MIMEType> supported, Set<MIMEType> preferred, Set<Class<? extends T>> types,
            RenderFunction<T> function) {
    }

    @Override
    public DisplayData render(Object value) {
        return toDisplayData(registry.render(value));
    }

    @Override
    public DisplayData render(Object value, Map<String, Object> params) {
        return render(value);
    }

    @Override
    public DisplayData renderAs(Object value, String... mimeTypes) {
        return toDisplayData(registry.render(value).retain(mimeTypes));
    }

    @Override
    public DisplayData renderAs(Object value, Map<String, Object> params, String... mimeTypes) {
        return renderAs(value, mimeTypes);
    }

    /** The base library's form of a bundle. */
    public static DisplayData toDisplayData(DisplayBundle bundle) {
        DisplayData data = new DisplayData();
        bundle.data().forEach(data::putData);
        bundle.metadata().forEach(data::putMetaData);
        return data;
    }
}
