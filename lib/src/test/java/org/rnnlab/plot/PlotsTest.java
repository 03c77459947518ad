package org.rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.rnnlab.train.History;

class PlotsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @AfterEach
    void restoreSize() {
        Plots.resetSize();
    }

    static Map<String, double[]> series(Object... nameValues) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], (double[]) nameValues[i + 1]);
        }
        return m;
    }

    static History history(double... losses) {
        History h = new History();
        for (int i = 0; i < losses.length; i++) {
            double g = 0.5 + i;
            h.add(new History.Step(i, 0, losses[i], 0, g, Math.min(g, 2)));
        }
        return h;
    }

    static double[] ramp(int n, double from, double factor) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from * Math.pow(factor, i);
        }
        return v;
    }

    static Stream<Arguments> everyFactory() {
        Map<String, double[]> two = series("a", new double[] {1, 2, 3}, "b", new double[] {3, 2, 1});
        Map<String, History> runs = new LinkedHashMap<>();
        runs.put("run 1", history(3, 2, 1, 0.5));
        runs.put("run 2", history(4, 3, 2, 1.5));
        List<Supplier<Object>> factories = List.of(
                () -> Plots.lines("t", "x", "y", two),
                () -> Plots.lines("t", "x", "y", new double[] {0, 0.5, 1}, two),
                () -> Plots.linesLogY("t", "x", "y", two),
                () -> Plots.linesLogY("t", "x", "y", new double[] {1, 10, 100}, two),
                () -> Plots.lines("t", "x", "y", Curve.of("tanh", -6, 6, Math::tanh), Curve.of("a", 1, 2, 3),
                        Curve.hline("1", 1), Curve.vline("0", 0)),
                () -> Plots.lines("t", "x", "y", List.of(Curve.of("a", 1, 2, 3), Curve.hline("2", 2))),
                () -> Plots.linesLogY("t", "x", "y", Curve.of("0.9^k", 0, 50, k -> Math.pow(0.9, k)),
                        Curve.hline("0.01", 0.01), Curve.vline("k = 10", 10)),
                () -> Plots.linesLogY("t", "x", "y", List.of(Curve.of("10^-k", 0, 30, k -> Math.pow(10, -k)),
                        Curve.hline("1e-20", 1e-20), Curve.vline("k = 10", 10))),
                () -> Plots.history(history(ramp(200, 3, 0.97))),
                () -> Plots.history(history(ramp(200, 3, 0.97)), 10),
                () -> Plots.histories(runs),
                () -> Plots.histories(runs, 2),
                () -> Plots.gradNorms(history(1, 2, 3)),
                () -> Plots.gradientPerStep(series("rnn", ramp(50, 1e-5, 1.3))),
                () -> Plots.gradientPerStep(series("rnn", ramp(50, 1e-5, 1.3)), Map.of("ρ = 0.8", 0.8)),
                () -> Plots.gradientPerLag(series("rnn", ramp(50, 1e-5, 1.3))),
                () -> Plots.gradientPerLag(series("rnn", ramp(50, 1e-5, 1.3)), Map.of("ρ = 0.8", 0.8)),
                () -> Plots.traces("gates", two),
                () -> Plots.traces("gates", series("i", new double[] {0.1, 0.9}), Plots.Range.GATE),
                () -> Plots.heatmap("h", new double[][] {{-1, 0, 1}, {0.5, -0.5, 0}}, "t", "unit"),
                () -> Plots.boxes("loss", "final loss", series("lstm", new double[] {1, 2, 3, 4}, "gru", new double[] {2, 3})),
                () -> Plots.bars("acc", "delay", "accuracy", new String[] {"5", "10", "20"}, two));
        return factories.stream().map(f -> Arguments.of(f));
    }

    @ParameterizedTest
    @MethodSource("everyFactory")
    void everyFactoryReturnsAChartThatEncodesToAPngOfNotebookSize(Supplier<Object> factory) throws IOException {
        byte[] png = Plots.png(factory.get());
        assertArrayEquals(PNG_SIGNATURE, java.util.Arrays.copyOf(png, 8));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(back);
        assertEquals(700, back.getWidth());
        assertEquals(400, back.getHeight());
    }

    @Test
    void sizeChangesTheSizeOfChartsMadeAfterwards() throws IOException {
        Plots.size(900, 300);
        BufferedImage chart = ImageIO.read(new ByteArrayInputStream(Plots.png(
                Plots.lines("t", "x", "y", series("a", new double[] {1, 2})))));
        BufferedImage heat = Plots.heatmap("h", new double[][] {{1}}, "x", "y");
        assertEquals(900, chart.getWidth());
        assertEquals(300, chart.getHeight());
        assertEquals(900, heat.getWidth());
        assertEquals(300, heat.getHeight());
    }

    @Test
    void sizedMakesOneChartThatSizeAndLeavesTheNextAtTheDefault() throws IOException {
        XYChart wide = Plots.sized(1000, 300, () -> Plots.lines("t", "x", "y", Curve.of("a", 1, 2)));
        BufferedImage wideImage = ImageIO.read(new ByteArrayInputStream(Plots.png(wide)));
        assertEquals(1000, wideImage.getWidth());
        assertEquals(300, wideImage.getHeight());
        BufferedImage next = ImageIO.read(new ByteArrayInputStream(Plots.png(
                Plots.lines("t", "x", "y", Curve.of("a", 1, 2)))));
        assertEquals(700, next.getWidth());
        assertEquals(400, next.getHeight());
    }

    @Test
    void sizedWorksForEveryKindOfChartIncludingHeatmaps() {
        BufferedImage heat = Plots.sized(300, 200, () -> Plots.heatmap("h", new double[][] {{1}}, "x", "y"));
        assertEquals(300, heat.getWidth());
        assertEquals(200, heat.getHeight());
        BoxChart boxes = Plots.sized(500, 250, () -> Plots.boxes("b", "y", series("a", new double[] {1, 2})));
        assertEquals(500, boxes.getWidth());
        assertEquals(250, boxes.getHeight());
        assertEquals(640, Plots.sized(640, 480, () -> Plots.bars("b", "x", "y", new String[] {"5"},
                series("a", new double[] {1}))).getWidth());
    }

    @Test
    void sizedOverridesTheGlobalSizeForOneChartOnly() {
        Plots.size(900, 300);
        XYChart inner = Plots.sized(400, 400, () -> Plots.lines("t", "x", "y", Curve.of("a", 1, 2)));
        assertEquals(400, inner.getWidth());
        XYChart after = Plots.lines("t", "x", "y", Curve.of("a", 1, 2));
        assertEquals(900, after.getWidth());
        assertEquals(300, after.getHeight());
    }

    @Test
    void sizedRestoresTheSizeWhenTheChartFailsAndWhenNested() {
        assertThrows(IllegalArgumentException.class, () -> Plots.sized(1000, 300, () -> Plots.lines("t", "x", "y")));
        assertEquals(700, Plots.lines("t", "x", "y", Curve.of("a", 1, 2)).getWidth());
        XYChart[] innerAndOuter = Plots.sized(1000, 300, () -> new XYChart[] {
                Plots.sized(300, 200, () -> Plots.lines("t", "x", "y", Curve.of("a", 1, 2))),
                Plots.lines("t", "x", "y", Curve.of("a", 1, 2))});
        assertEquals(300, innerAndOuter[0].getWidth());
        assertEquals(1000, innerAndOuter[1].getWidth());
    }

    @Test
    void sizedRejectsATooSmallSizeOrNoChart() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () ->
                Plots.sized(100, 100, () -> Plots.lines("t", "x", "y", Curve.of("a", 1, 2))));
        assertTrue(small.getMessage().contains("100x100"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.sized(700, 300, null));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () ->
                Plots.sized(700, 300, () -> null));
        assertTrue(none.getMessage().contains("returned null"), none.getMessage());
    }

    @Test
    void sizeTooSmallForAChartIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.size(50, 40));
        assertTrue(e.getMessage().contains("50x40"), e.getMessage());
    }

    @Test
    void linesSetTitleAxisLabelsAndColoursInMapOrder() {
        XYChart chart = Plots.lines("Loss", "epoch", "loss", series("a", new double[] {1, 2}, "b", new double[] {2, 1}));
        assertEquals("Loss", chart.getTitle());
        assertEquals("epoch", chart.getXAxisTitle());
        assertEquals("loss", chart.getYAxisTitle());
        assertEquals(List.of("a", "b"), names(chart));
        assertEquals(Palette.series(0), chart.getSeries("a").getLineColor());
        assertEquals(Palette.series(1), chart.getSeries("b").getLineColor());
    }

    @Test
    void curvesAreDrawnInTheOrderGivenWithTheirNamesAndDataTakesThePaletteInOrder() {
        XYChart chart = Plots.lines("Squashing", "z", "output", Curve.of("σ", -6, 6, z -> 1 / (1 + Math.exp(-z))),
                Curve.hline("1", 1), Curve.of("tanh", -6, 6, Math::tanh), Curve.vline("0", 0));
        assertEquals("Squashing", chart.getTitle());
        assertEquals("z", chart.getXAxisTitle());
        assertEquals(List.of("σ", "1", "tanh", "0"), names(chart));
        assertEquals(Palette.series(0), chart.getSeries("σ").getLineColor());
        assertEquals(Palette.series(1), chart.getSeries("tanh").getLineColor(), "a reference line takes no colour");
        java.awt.BasicStroke dataStroke = chart.getSeries("σ").getLineStyle();
        assertTrue(dataStroke == null || dataStroke.getDashArray() == null, "data curves are solid");
        assertTrue(chart.getStyler().isLegendVisible());
    }

    @Test
    void referenceLinesAreDashedWithoutMarkersInTheNeutralColours() {
        XYChart chart = Plots.lines("t", "x", "y", Curve.of("a", 1, 2, 3), Curve.hline("h", 2), Curve.vline("v", 1));
        for (String name : List.of("h", "v")) {
            XYSeries s = chart.getSeries(name);
            assertNotNull(s.getLineStyle().getDashArray(), name + " is dashed");
            assertTrue(s.getMarker() instanceof org.knowm.xchart.style.markers.None, name + " has no markers");
        }
        assertEquals(Style.THEORY[0], chart.getSeries("h").getLineColor());
        assertEquals(Style.THEORY[1], chart.getSeries("v").getLineColor());
        for (int i = 0; i < 8; i++) {
            assertFalse(Palette.series(i).equals(Style.THEORY[1]), "grey is no data colour");
        }
    }

    @Test
    void horizontalLineSpansTheXRangeOfAllDataCurves() {
        XYChart chart = Plots.lines("t", "x", "y", Curve.of("f", -6, 6, Math::tanh), Curve.hline("1", 1),
                Curve.of("late", new double[] {10, 20}, new double[] {0, 0.5}));
        XYSeries line = chart.getSeries("1");
        assertArrayEquals(new double[] {-6, 20}, line.getXData());
        assertArrayEquals(new double[] {1, 1}, line.getYData());
    }

    @Test
    void verticalLineSpansTheYRangeOfTheDataAndHorizontalLines() {
        XYChart chart = Plots.lines("t", "x", "y", Curve.of("a", 0.5, 2, 1), Curve.hline("floor", -1),
                Curve.vline("step 1", 1));
        XYSeries line = chart.getSeries("step 1");
        assertArrayEquals(new double[] {1, 1}, line.getXData());
        assertArrayEquals(new double[] {-1, 2}, line.getYData());
    }

    @Test
    void curvesWithoutXAreDrawnAgainstTheirIndexAndMayDifferInLength() {
        XYChart chart = Plots.lines("t", "x", "y", List.of(Curve.of("short", 5, 6), Curve.of("long", 1, 2, 3, 4)));
        assertArrayEquals(new double[] {0, 1}, chart.getSeries("short").getXData());
        assertArrayEquals(new double[] {0, 1, 2, 3}, chart.getSeries("long").getXData());
    }

    @Test
    void mapFormDrawsTheSameChartAsTheCurveForm() {
        double[] x = {0, 0.5, 1};
        XYChart fromMap = Plots.lines("t", "x", "y", x, series("a", new double[] {1, 2, 3}, "b", new double[] {3, 2, 1}));
        XYChart fromCurves = Plots.lines("t", "x", "y", Curve.of("a", x, new double[] {1, 2, 3}),
                Curve.of("b", x, new double[] {3, 2, 1}));
        assertEquals(names(fromCurves), names(fromMap));
        for (String name : List.of("a", "b")) {
            assertArrayEquals(fromCurves.getSeries(name).getXData(), fromMap.getSeries(name).getXData());
            assertArrayEquals(fromCurves.getSeries(name).getYData(), fromMap.getSeries(name).getYData());
            assertEquals(fromCurves.getSeries(name).getLineColor(), fromMap.getSeries(name).getLineColor());
        }
    }

    @Test
    void logAxisCurvesWithZerosAndNegativesAreDrawnAtTheFloor() {
        XYChart chart = Plots.linesLogY("t", "x", "y", Curve.of("a", 1, 0.01, 0, -3), Curve.hline("zero", 0),
                Curve.vline("v", 2));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {1, 0.01, 0.001, 0.001}, chart.getSeries("a").getYData(), 1e-15);
        assertArrayEquals(new double[] {0.001, 0.001}, chart.getSeries("zero").getYData(), 1e-15);
        assertArrayEquals(new double[] {0.001, 1}, chart.getSeries("v").getYData(), 1e-15);
        assertTrue(Plots.png(chart).length > 0);
    }

    @Test
    void logAxisCurvesOverManyDecadesArePlottedAsExponents() {
        XYChart chart = Plots.linesLogY("t", "k", "y", List.of(Curve.hline("1e-20", 1e-20),
                Curve.of("10^-k", 0, 30, 31, k -> Math.pow(10, -k))));
        assertFalse(chart.getStyler().isYAxisLogarithmic(), "30 decades are drawn as exponents on a linear axis");
        assertArrayEquals(new double[] {-20, -20}, chart.getSeries("1e-20").getYData(), 1e-12);
        double[] y = chart.getSeries("10^-k").getYData();
        assertEquals(-10, y[10], 1e-12);
        assertEquals(-30, y[30], 1e-3, "the nudge goes to the data curve, not the two-point reference line");
        assertTrue(y[30] != -30, "an exact exponential is nudged, or XChart puts its ticks on the data values");
    }

    @Test
    void curveChartPngShowsTheSampledFunctionsInTheirColours() throws IOException {
        XYChart chart = Plots.lines("t", "z", "y", Curve.of("σ", -6, 6, z -> 1 / (1 + Math.exp(-z))),
                Curve.of("tanh", -6, 6, Math::tanh), Curve.hline("1", 1));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Plots.png(chart)));
        assertTrue(containsColour(img, Palette.series(0)));
        assertTrue(containsColour(img, Palette.series(1)));
    }

    @Test
    void functionCurveGetsRoundXTicksNotTicksOnItsSamples() {
        XYChart chart = Plots.lines("t", "z", "y", Curve.of("tanh", -6, 6, Math::tanh));
        double[] x = chart.getSeries("tanh").getXData();
        assertEquals(6.0, x[x.length - 1], 1e-3, "the nudge is invisible");
        assertTrue(x[x.length - 1] != 6.0, "equally spaced x values put XChart's ticks on the samples (−6, −5.4, …)");
    }

    @Test
    void noCurvesOrOnlyReferenceLinesIsAClearError() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Plots.lines("t", "x", "y"));
        assertTrue(none.getMessage().contains("no curves given"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.linesLogY("t", "x", "y", List.of()));
        IllegalArgumentException onlyLines = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", Curve.hline("1", 1), Curve.vline("0", 0)));
        assertTrue(onlyLines.getMessage().contains("add at least one data curve"), onlyLines.getMessage());
        IllegalArgumentException nullCurve = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", Curve.of("a", 1), null));
        assertTrue(nullCurve.getMessage().contains("curve 1 of 2 is null"), nullCurve.getMessage());
    }

    @Test
    void twoCurvesWithTheSameNameAreAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", Curve.of("loss", 1, 2), Curve.hline("loss", 1)));
        assertTrue(e.getMessage().contains("two curves are named 'loss'"), e.getMessage());
    }

    @Test
    void legendShowsOnlyWhenThereIsMoreThanOneSeries() {
        assertFalse(Plots.lines("t", "x", "y", series("a", new double[] {1, 2})).getStyler().isLegendVisible());
        assertTrue(Plots.lines("t", "x", "y", series("a", new double[] {1, 2}, "b", new double[] {1, 2}))
                .getStyler().isLegendVisible());
    }

    @Test
    void linesWithoutXAreDrawnAgainstTheIndex() {
        XYChart chart = Plots.lines("t", "x", "y", series("a", new double[] {5, 6, 7}));
        assertArrayEquals(new double[] {0, 1, 2}, chart.getSeries("a").getXData());
    }

    @Test
    void shortLinesHaveMarkersLongLinesDoNot() {
        XYChart chart = Plots.lines("t", "x", "y", series("short", new double[5], "long", new double[5]));
        assertFalse(chart.getSeries("short").getMarker() instanceof org.knowm.xchart.style.markers.None);
        XYChart longChart = Plots.lines("t", "x", "y", series("long", new double[500]));
        assertTrue(longChart.getSeries("long").getMarker() instanceof org.knowm.xchart.style.markers.None);
    }

    @Test
    void logAxisWithZerosAndNegativesDrawsThemAtAFloorInsteadOfThrowing() throws IOException {
        XYChart chart = Plots.linesLogY("t", "x", "y", series("a", new double[] {1, 0.01, 0, -3}));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        double[] y = chart.getSeries("a").getYData();
        assertArrayEquals(new double[] {1, 0.01, 0.001, 0.001}, y, 1e-15);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(Plots.png(chart))));
    }

    @Test
    void logAxisOverManyDecadesBecomesExponentsLabelledAsPowersOfTen() throws IOException {
        double[] g = new double[100];
        for (int t = 0; t < g.length; t++) {
            g[t] = Math.pow(10, -0.3 * (g.length - 1 - t));                  // 30 decades, as a plain RNN's gradient
        }
        XYChart chart = Plots.gradientPerStep(series("rnn", g));
        assertFalse(chart.getStyler().isYAxisLogarithmic(), "30 decades are drawn as exponents on a linear axis");
        double[] y = chart.getSeries("rnn").getYData();
        assertEquals(-29.7, y[0], 1e-9);
        assertEquals(-0.3 * 50, y[49], 1e-9);
        assertEquals(0.0, y[99], 1e-3, "the last point is nudged by a fraction of a decade only");
        assertTrue(y[99] != 0.0, "an exact exponential is nudged, or XChart puts its ticks on the data values");
        var label = chart.getStyler().getYAxisTickLabelsFormattingFunction();
        assertEquals("1e-20", label.apply(-20.0));
        assertEquals("1", label.apply(0.0));
        assertEquals("1e3", label.apply(3.0));
        assertEquals("3.2e-3", label.apply(-2.5), "between decades, the value");
        assertNotNull(ImageIO.read(new ByteArrayInputStream(Plots.png(chart))));
    }

    @Test
    void logAxisOverAFewDecadesStaysLogarithmic() {
        XYChart chart = Plots.gradientPerStep(series("lstm", ramp(50, 1e-5, 1.3)));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertTrue(LogAxis.decades(chart) <= LogAxis.MAX_DECADES);
    }

    @Test
    void logAxisWithNoPositiveValueAtAllStillRenders() {
        XYChart chart = Plots.linesLogY("t", "x", "y", series("a", new double[] {0, -1, 0}));
        assertTrue(Plots.png(chart).length > 0);
    }

    @Test
    void seriesOfDifferentLengthsAreAnErrorNamingBothSeriesAndLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", series("train", new double[3], "test", new double[5])));
        assertTrue(e.getMessage().contains("'test' has 5"), e.getMessage());
        assertTrue(e.getMessage().contains("'train' has 3"), e.getMessage());
    }

    @Test
    void seriesNotMatchingTheXValuesIsAnErrorNamingTheSeries() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", new double[] {1, 2, 3}, series("acc", new double[2])));
        assertTrue(e.getMessage().contains("'acc' has 2 values but x has 3"), e.getMessage());
    }

    @Test
    void emptyMapOrEmptySeriesIsAClearError() {
        IllegalArgumentException noMap = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", Map.of()));
        assertTrue(noMap.getMessage().contains("at least one"), noMap.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () ->
                Plots.traces("t", series("forget", new double[0])));
        assertTrue(empty.getMessage().contains("'forget' is empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.boxes("t", "y", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Plots.gradientPerLag(Map.of()));
    }

    @Test
    void nanOrInfinityIsAnErrorNamingTheSeriesAndIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Plots.lines("t", "x", "y", series("loss", new double[] {1, 2, Double.NaN})));
        assertTrue(e.getMessage().contains("'loss' has NaN at index 2"), e.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () ->
                Plots.boxes("t", "y", series("gru", new double[] {Double.POSITIVE_INFINITY})));
        assertTrue(inf.getMessage().contains("'gru' has Infinity at index 0"), inf.getMessage());
    }

    @Test
    void historyIsLossPerUpdateWithLogAxisOnlyWhenItSpansDecades() {
        XYChart steep = Plots.history(history(ramp(100, 3, 0.9)));
        assertTrue(steep.getStyler().isYAxisLogarithmic());
        assertEquals("update", steep.getXAxisTitle());
        assertEquals("loss", steep.getYAxisTitle());
        XYChart flat = Plots.history(history(1, 0.9, 0.8));
        assertFalse(flat.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {1, 0.9, 0.8}, flat.getSeries("loss").getYData());
    }

    @Test
    void historyWithSmoothingDrawsRawAndTrailingMovingAverage() {
        XYChart chart = Plots.history(history(4, 2, 6, 0), 2);
        assertEquals(2, chart.getSeriesCollection().size());
        XYSeries smooth = chart.getSeries("moving average over 2");
        assertArrayEquals(new double[] {4, 3, 4, 3}, smooth.getYData(), 1e-12);
        assertTrue(chart.getStyler().isLegendVisible());
    }

    @Test
    void historiesDrawOneLinePerRunInOrder() {
        Map<String, History> runs = new LinkedHashMap<>();
        runs.put("lr 0.1", history(3, 2));
        runs.put("lr 0.01", history(3, 2.5));
        XYChart chart = Plots.histories(runs);
        assertEquals(List.of("lr 0.1", "lr 0.01"), names(chart));
    }

    @Test
    void divergedHistoryIsDrawnUpToItsFirstNonFiniteLossAndSaysSo() {
        XYChart chart = Plots.history(history(3, 2, 50, Double.NaN, Double.POSITIVE_INFINITY));
        XYSeries loss = chart.getSeriesCollection().iterator().next();
        assertEquals("loss (non-finite from update 3)", loss.getName());
        assertEquals(3, loss.getYData().length);
        assertTrue(chart.getStyler().isLegendVisible());
    }

    @Test
    void historyThatIsEmptyOrNonFiniteFromTheStartIsAClearError() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Plots.history(new History()));
        assertTrue(empty.getMessage().contains("no updates"), empty.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Plots.history(history(Double.NaN)));
        assertTrue(nan.getMessage().contains("first update"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.history(history(1, 2), 0));
    }

    @Test
    void gradNormsShowsNormBeforeAndAfterClippingOnALogAxis() {
        XYChart chart = Plots.gradNorms(history(1, 1, 1, 1));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, chart.getSeries("before clipping").getYData());
        assertArrayEquals(new double[] {0.5, 1.5, 2, 2}, chart.getSeries("after clipping").getYData());
    }

    @Test
    void gradientPerLagReversesTheForwardCurveAndAnchorsTheoryAtLagZero() {
        double[] forward = {0.125, 0.25, 0.5, 1};
        XYChart chart = Plots.gradientPerLag(series("rnn", forward), Map.of("ρ = 0.5", 0.5));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0.125}, chart.getSeries("rnn").getYData());
        XYSeries theory = chart.getSeries("ρ = 0.5");
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0.125}, theory.getYData(), 1e-12);
        assertNotNull(theory.getLineStyle().getDashArray(), "theory lines are dashed");
        assertTrue(chart.getXAxisTitle().contains("lag"));
    }

    @Test
    void gradientPerStepKeepsForwardOrderAndAnchorsTheoryAtTheLastStep() {
        double[] forward = {0.125, 0.25, 0.5, 1};
        XYChart chart = Plots.gradientPerStep(series("rnn", forward), Map.of("ρ = 0.5", 0.5));
        assertArrayEquals(forward, chart.getSeries("rnn").getYData());
        XYSeries theory = chart.getSeries("ρ = 0.5");
        assertArrayEquals(new double[] {3, 2, 1, 0}, theory.getXData(), 1e-12);
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0.125}, theory.getYData(), 1e-12);
    }

    @Test
    void theoryLineStopsWhereItFallsBelowTheData() {
        XYChart chart = Plots.gradientPerLag(series("lstm", new double[] {1, 1, 1, 1, 1, 1}), Map.of("ρ = 0.01", 0.01));
        assertEquals(1, chart.getSeries("ρ = 0.01").getYData().length);
    }

    @Test
    void gradientCurvesMayDifferInLengthByLagButNotByStep() {
        Map<String, double[]> curves = series("T=3", new double[] {1, 1, 1}, "T=5", new double[] {1, 1, 1, 1, 1});
        assertEquals(2, Plots.gradientPerLag(curves).getSeriesCollection().size());
        assertThrows(IllegalArgumentException.class, () -> Plots.gradientPerStep(curves));
    }

    @Test
    void gradientWithUnderflowedZerosDoesNotThrow() {
        XYChart chart = Plots.gradientPerLag(series("rnn", new double[] {0, 0, 1e-30, 1}), Map.of("ρ", 0.1));
        assertTrue(Plots.png(chart).length > 0);
    }

    @Test
    void nonPositiveRhoIsRejectedNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Plots.gradientPerLag(series("rnn", new double[] {1, 2}), Map.of("bad", -0.5)));
        assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
    }

    @Test
    void tracesFixTheYRangeForGatesAndTanh() {
        Map<String, double[]> s = series("forget", new double[] {0.2, 0.8});
        XYChart gate = Plots.traces("gates", s, Plots.Range.GATE);
        assertEquals(0.0, gate.getStyler().getYAxisMin());
        assertEquals(1.0, gate.getStyler().getYAxisMax());
        XYChart tanh = Plots.traces("cell", s, Plots.Range.TANH);
        assertEquals(-1.0, tanh.getStyler().getYAxisMin());
        assertEquals("time step t", tanh.getXAxisTitle());
        assertEquals(null, Plots.traces("any", s).getStyler().getYAxisMin());
    }

    @Test
    void heatmapColoursCellsOnTheDivergingScale() {
        double[][] v = new double[2][2];
        v[0][0] = 1;
        v[1][1] = -1;
        BufferedImage img = Plots.heatmap("h", v, "t", "unit");
        assertTrue(containsColour(img, Palette.diverging(1)));
        assertTrue(containsColour(img, Palette.diverging(-1)));
    }

    @Test
    void heatmapOfValuesBeyondOneScalesToTheLargestMagnitude() {
        BufferedImage img = Plots.heatmap("h", new double[][] {{4, -2}}, "t", "unit");
        assertTrue(containsColour(img, Palette.diverging(1)));
        assertTrue(containsColour(img, Palette.diverging(-0.5)));
    }

    @Test
    void heatmapOfAHiddenStateGridIsFast() {
        double[][] v = new double[128][200];
        for (int r = 0; r < v.length; r++) {
            for (int c = 0; c < v[r].length; c++) {
                v[r][c] = Math.tanh(Math.sin(r + c / 7.0));
            }
        }
        Plots.heatmap("warm-up", new double[][] {{0}}, "t", "unit");
        long start = System.nanoTime();
        Plots.png(Plots.heatmap("h", v, "time step t", "hidden unit"));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "128x200 heatmap took over 2 s");
    }

    @Test
    void heatmapRejectsRaggedEmptyAndNonFiniteInput() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class, () ->
                Plots.heatmap("h", new double[][] {{1, 2}, {1}}, "x", "y"));
        assertTrue(ragged.getMessage().contains("row 1 has 1"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.heatmap("h", new double[0][], "x", "y"));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () ->
                Plots.heatmap("h", new double[][] {{1, 2}, {3, Double.NaN}}, "x", "y"));
        assertTrue(nan.getMessage().contains("row 1, column 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.heatmap("h", new double[][] {{1}}, "x", "y", 0));
    }

    @Test
    void boxesHaveOneBoxPerGroupAndTheGivenLabels() {
        BoxChart chart = Plots.boxes("Final loss", "loss", series("lstm", new double[] {1, 2, 3}, "gru", new double[] {2, 3, 4}));
        assertEquals("Final loss", chart.getTitle());
        assertEquals("loss", chart.getYAxisTitle());
        assertEquals(List.of("lstm", "gru"), names(chart));
    }

    @Test
    void barsNeedOneValuePerCategory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Plots.bars("t", "x", "y", new String[] {"5", "10"}, series("lstm", new double[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("'lstm' has 3 values but there are 2 categories"), e.getMessage());
    }

    @Test
    void pngRejectsWhatIsNotAChart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.png("chart"));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void saveWritesAPngFileCreatingFolders(@TempDir Path dir) throws IOException {
        Path file = Plots.save(Plots.lines("t", "x", "y", series("a", new double[] {1, 2})), dir.resolve("sub/loss.png"));
        BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(700, back.getWidth());
        assertTrue(Files.size(file) > 1000);
    }

    private static List<String> names(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        return chart.getSeriesCollection().stream().map(org.knowm.xchart.internal.series.Series::getName).toList();
    }

    private static boolean containsColour(BufferedImage img, Color c) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }
}
