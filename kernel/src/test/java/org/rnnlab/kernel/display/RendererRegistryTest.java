package org.rnnlab.kernel.display;

import org.junit.jupiter.api.Test;
import org.rnnlab.kernel.api.DisplayBundle;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendererRegistryTest {
    interface Shape {
    }

    interface Polygon extends Shape {
    }

    static class Square implements Polygon {
    }

    static class BigSquare extends Square {
    }

    private static DisplayBundle plain(String text) {
        return new DisplayBundle().put("text/plain", text);
    }

    @Test
    void theNearestRegisteredClassWinsThenSuperclassesThenInterfaces() {
        RendererRegistry registry = new RendererRegistry()
                .register(Shape.class.getName(), v -> plain("shape"))
                .register(Polygon.class.getName(), v -> plain("polygon"));

        assertEquals("polygon", registry.render(new BigSquare()).get("text/plain"));
        registry.register(Square.class.getName(), v -> plain("square"));
        assertEquals("square", registry.render(new BigSquare()).get("text/plain"));
        assertEquals("[a]", registry.render(new ArrayList<>(List.of("a"))).get("text/plain"));
        assertNull(registry.rendererFor(String.class));
    }

    @Test
    void aLibraryRendererReplacesTheKernelsOwnAndNullFallsBack() {
        RendererRegistry registry = RendererRegistry.withBuiltIns();
        assertTrue(registry.render(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)).has("image/png"));

        registry.register("java.awt.image.RenderedImage", v -> plain("an image"));
        assertEquals("an image", registry.render(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)).get("text/plain"));

        registry.register(Square.class.getName(), v -> null);
        assertTrue(registry.render(new Square()).get("text/plain").toString().contains("Square"));
    }

    @Test
    void aFailingRendererShowsTheValueAndWhy() {
        RendererRegistry registry = new RendererRegistry().register(Square.class.getName(), v -> {
            throw new IllegalStateException("no ink");
        });

        String text = registry.render(new Square()).get("text/plain").toString();
        assertTrue(text.contains("rich display failed: java.lang.IllegalStateException: no ink"), text);
    }

    @Test
    void aRendererMissingAClassOfItsLibraryShowsTheValueAndWhy() {
        RendererRegistry registry = new RendererRegistry().register(Square.class.getName(), v -> {
            throw new NoClassDefFoundError("org/apache/commons/lang3/Range");
        });

        String text = registry.render(new Square()).get("text/plain").toString();
        assertTrue(text.contains("rich display failed: java.lang.NoClassDefFoundError: org/apache/commons/lang3/Range"),
                text);
    }

    @Test
    void oneEscaperForHtml() {
        assertEquals("&lt;b&gt; &amp; &quot;x&quot;", Html.escape("<b> & \"x\""));
        assertEquals("", Html.escape(null));
    }
}
