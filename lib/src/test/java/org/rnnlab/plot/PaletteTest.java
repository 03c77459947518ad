package org.rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;

import org.junit.jupiter.api.Test;

class PaletteTest {

    @Test
    void seriesColoursStartWithOkabeItoBlueAndVermillionAndCycle() {
        assertEquals(new Color(0x0072B2), Palette.series(0));
        assertEquals(new Color(0xD55E00), Palette.series(1));
        assertEquals(Palette.series(0), Palette.series(Palette.series().length));
    }

    @Test
    void divergingScaleIsBlueWhiteRedAndClampsBeyondOne() {
        Color neg = Palette.diverging(-1);
        Color mid = Palette.diverging(0);
        Color pos = Palette.diverging(1);
        assertTrue(neg.getBlue() > neg.getRed(), "negative is blue");
        assertTrue(pos.getRed() > pos.getBlue(), "positive is red");
        assertTrue(mid.getRed() > 240 && mid.getGreen() > 240 && mid.getBlue() > 240, "zero is near white");
        assertEquals(pos, Palette.diverging(5));
        assertEquals(neg, Palette.diverging(-5));
    }

    @Test
    void divergingRejectsNaN() {
        assertThrows(IllegalArgumentException.class, () -> Palette.diverging(Double.NaN));
    }
}
