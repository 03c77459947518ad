package org.rnnlab.kernel.api;

/**
 * Renders values of one class (and its subclasses) into a MIME bundle: the entry of the kernel's renderer
 * registry, keyed by class name. Register one with {@link Notebook#registerRenderer(String, MimeRenderer)}; the
 * kernel's own renderers (XChart, Tablesaw, EJML, images) are registered the same way.
 */
@FunctionalInterface
public interface MimeRenderer {
    /**
     * @param value an instance of the class the renderer was registered for (from the notebook's class loader)
     * @return the bundle to show, or null to fall back to the value's own rendering or its {@code toString()}
     */
    DisplayBundle render(Object value) throws Exception;
}
