package org.rnnlab.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rnnlab.hotloop.RowMath;

/**
 * The two batched products that take most of an LSTM step, alone, at the largest shape of the speed targets on one thread's
 * share of the batch: 16 sequences, a hidden layer of 256, four gates (rows of 1,024). Throughput is in
 * multiply-adds per second.
 *
 * <ul>
 *   <li>{@code forward}: {@code out[b] += Σ_k h[b][k] · W[k]} ({@link RowMath#multiplyInto}), as in z = W_h h;</li>
 *   <li>{@code weightGradient}: {@code dW[k] += Σ_b h[b][k] · dz[b]} ({@link RowMath#accumulateOuter});</li>
 *   <li>{@code forwardFourByTwo}: the forward product with a kernel of four weight rows by two sequences. It is
 *       kept here, not in the library, because it shows a limit of JDK 17's C2: its loop body is over the unroll
 *       limit, so by default it is not vectorised and runs at about a third of the speed. Add
 *       {@code -jvmArgsAppend -XX:LoopUnrollLimit=250} and it is vectorised, and about as fast as the library's
 *       three-by-two kernel ({@link RowMath#axpy3x2}), which needs no flag.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class BatchedProductBenchmark {
    static final int SEQUENCES = 16;
    static final int HIDDEN = 256;
    static final int GATES = 4 * HIDDEN;
    static final int MULTIPLY_ADDS = SEQUENCES * HIDDEN * GATES;

    double[][] h;
    double[][] w;
    double[][] out;
    double[][] dz;
    double[][] dw;

    @Setup
    public void setUp() {
        Random rng = new Random(3);
        h = gaussian(rng, SEQUENCES, HIDDEN);
        w = gaussian(rng, HIDDEN, GATES);
        out = new double[SEQUENCES][GATES];
        dz = gaussian(rng, SEQUENCES, GATES);
        dw = new double[HIDDEN][GATES];
    }

    private static double[][] gaussian(Random rng, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = rng.nextGaussian() * 0.01;
            }
        }
        return m;
    }

    @Benchmark
    @OperationsPerInvocation(MULTIPLY_ADDS)
    public double[][] forward() {
        RowMath.multiplyInto(h, w, 0, out, 0, SEQUENCES);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(MULTIPLY_ADDS)
    public double[][] weightGradient() {
        RowMath.accumulateOuter(h, dz, dw, 0, 0, SEQUENCES);
        return dw;
    }

    @Benchmark
    @OperationsPerInvocation(MULTIPLY_ADDS)
    public double[][] forwardFourByTwo() {
        for (int k = 0; k + 3 < HIDDEN; k += 4) {
            for (int b = 0; b + 1 < SEQUENCES; b += 2) {
                double[] u = h[b];
                double[] v = h[b + 1];
                axpy4x2(u[k], u[k + 1], u[k + 2], u[k + 3], v[k], v[k + 1], v[k + 2], v[k + 3],
                        w[k], w[k + 1], w[k + 2], w[k + 3], out[b], out[b + 1]);
            }
        }
        return out;
    }

    private static void axpy4x2(double a0, double a1, double a2, double a3, double c0, double c1, double c2,
                                double c3, double[] x0, double[] x1, double[] x2, double[] x3, double[] y,
                                double[] z) {
        for (int i = 0; i < y.length; i++) {
            final double p0 = x0[i];
            final double p1 = x1[i];
            final double p2 = x2[i];
            final double p3 = x3[i];
            y[i] = y[i] + a0 * p0 + a1 * p1 + a2 * p2 + a3 * p3;
            z[i] = z[i] + c0 * p0 + c1 * p1 + c2 * p2 + c3 * p3;
        }
    }
}
