package org.rnnlab.plot;

import java.awt.Color;
import java.util.Locale;

/**
 * Text coloured by a per-character activation, the way Karpathy showed what single LSTM cells track (quotes,
 * line length, nesting depth): each character's background is the activation of one unit while reading it, on the
 * diverging scale −1 blue, 0 white, +1 red ({@link Palette#diverging}); values beyond ±1 get the end colours.
 *
 * <p>The kernel renders the object through {@link #toHtml()}; {@link #toString()} is a plain-text fallback.
 * Activations are given one per Unicode code point of the text (one per {@code char} for ordinary text).
 */
public final class TextHeat {

    static {
        // show this library's values richly on whichever Java kernel runs the notebook
        org.rnnlab.notebook.KernelHooks.install();
    }

    private static final SigFigs FORMAT = new SigFigs(3);

    private final int[] codePoints;
    private final double[] activation;

    private TextHeat(int[] codePoints, double[] activation) {
        this.codePoints = codePoints;
        this.activation = activation;
    }

    /**
     * Pairs every character of {@code text} with its activation.
     *
     * @throws IllegalArgumentException when the counts differ or an activation is NaN or infinite
     */
    public static TextHeat of(String text, double[] activation) {
        if (text == null || activation == null) {
            throw new IllegalArgumentException("text and activation must not be null");
        }
        int[] cps = text.codePoints().toArray();
        if (cps.length != activation.length) {
            throw new IllegalArgumentException("text has " + cps.length + " characters but activation has "
                    + activation.length + " values: give one activation per character");
        }
        int bad = Check.firstNonFinite(activation);
        if (bad >= 0) {
            throw new IllegalArgumentException("activation " + bad + " (character '" + Character.toString(cps[bad])
                    + "') is " + activation[bad] + ": activations must be finite");
        }
        return new TextHeat(cps, activation.clone());
    }

    /**
     * HTML for a notebook: a monospace block that keeps spaces and line breaks (long lines wrap), with one
     * {@code <span>} per character whose background encodes the activation and whose tooltip shows its value.
     */
    public String toHtml() {
        StringBuilder sb = new StringBuilder(codePoints.length * 90);
        sb.append("<div style=\"font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:13px;")
                .append("line-height:1.45;white-space:pre-wrap;word-break:break-all;\">");
        for (int i = 0; i < codePoints.length; i++) {
            Color bg = Palette.diverging(activation[i]);
            sb.append(String.format(Locale.ROOT, "<span title=\"%s\" style=\"background-color:#%06x;color:%s\">",
                    FORMAT.of(activation[i]), bg.getRGB() & 0xFFFFFF, Palette.isDark(bg) ? "#fff" : "#000"));
            sb.append(Html.escape(new String(Character.toChars(codePoints[i]))));
            sb.append("</span>");
        }
        return sb.append("</div>").toString();
    }

    /**
     * Plain text: each line of the text followed by a marker line, {@code +} under characters with activation
     * above 0.5, {@code -} under those below −0.5, {@code .} between ±0.1 and ±0.5, blank near 0.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < codePoints.length; i++) {
            if (codePoints[i] == '\n') {
                out.append(text).append('\n').append(marks.toString().stripTrailing()).append('\n');
                text.setLength(0);
                marks.setLength(0);
                continue;
            }
            text.appendCodePoint(codePoints[i]);
            double a = activation[i];
            marks.append(a > 0.5 ? '+' : a < -0.5 ? '-' : Math.abs(a) > 0.1 ? '.' : ' ');
        }
        if (text.length() > 0) {
            out.append(text).append('\n').append(marks.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
