package org.rnnlab.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/**
 * Formats numbers to a few significant digits for tables: plain notation from 0.001 to a million
 * ({@code 0.1235}, {@code 2.5}, {@code 1234}), scientific outside it ({@code 1.235e-5}), so losses and gradient
 * norms of any size stay readable.
 */
final class SigFigs extends NumberFormat {

    private final MathContext context;

    SigFigs(int digits) {
        this.context = new MathContext(digits);
    }

    /** Formats one value (also used directly by tests and plain-text output). */
    String of(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-3 && a < 1e6)) {
            return new BigDecimal(v).round(context).stripTrailingZeros().toPlainString();
        }
        String s = String.format(Locale.ROOT, "%." + (context.getPrecision() - 1) + "e", v);
        String mantissa = s.substring(0, s.indexOf('e'));
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + "e" + Integer.parseInt(s.substring(s.indexOf('e') + 1));
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(of(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(number);
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        try {
            double v = Double.parseDouble(source.substring(parsePosition.getIndex()).trim());
            parsePosition.setIndex(source.length());
            return v;
        } catch (NumberFormatException e) {
            parsePosition.setErrorIndex(parsePosition.getIndex());
            return null;
        }
    }
}
