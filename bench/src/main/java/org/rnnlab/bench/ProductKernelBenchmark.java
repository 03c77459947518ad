package org.rnnlab.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.PackedMatrix;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.hotloop.RowMath;

/**
 * The batched products alone at the sizes of issue 17's probe, B × K × N = 1 × 193 × 512, 16 × 193 × 512 and
 * 32 × 321 × 1024 (one step of the three training shapes: K = input + hidden, N = four gates), on either path
 * ({@code -p path=ROWS,VECTOR}) and precision ({@code -p precision=DOUBLE,FLOAT}):
 * <ul>
 *   <li>{@code forward…}: {@code Z (B×N) += X (B×K) · W (K×N)} over W packed once in set-up
 *       ({@link RowMath#multiplyInto(double[][], PackedMatrix, double[][], int, int)}), dense X;</li>
 *   <li>{@code gradient…}: {@code ∂W (K×N) += Xᵀ (K×B) · DZ (B×N)} ({@link RowMath#accumulateOuter}).</li>
 * </ul>
 * Each method declares B·K·N operations per invocation, so ops/s is multiply-adds per second; twice that is
 * FLOP/s, the unit of the table.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ProductKernelBenchmark {
    /** Operands of one size; the path is set before each trial. */
    @State(Scope.Thread)
    public abstract static class Operands {
        @Param({"VECTOR"})
        public String path;

        /** {@code DOUBLE}, or {@code FLOAT} for the float32 kernels of {@code Precision.FLOAT}. */
        @Param({"DOUBLE"})
        public String precision;

        double[][] x;
        double[][] w;
        PackedMatrix packed;
        Precision prec;
        double[][] z;
        double[][] dz;
        double[][] dw;

        abstract int b();

        abstract int k();

        abstract int n();

        @Setup(Level.Trial)
        public void setUp() {
            Kernels.use(Kernels.Path.valueOf(path));
            prec = Precision.valueOf(precision);
            Random rng = new Random(3);
            x = gaussian(rng, b(), k());
            w = gaussian(rng, k(), n());
            packed = new PackedMatrix(k(), n());
            if (precision.equals("FLOAT")) {
                packed.packFloats(w, 0);
            } else {
                packed.pack(w, 0);
            }
            z = new double[b()][n()];
            dz = gaussian(rng, b(), n());
            dw = new double[k()][n()];
        }
    }

    /** 1 × 193 × 512. */
    public static class Small extends Operands {
        @Override
        int b() {
            return 1;
        }

        @Override
        int k() {
            return 193;
        }

        @Override
        int n() {
            return 512;
        }
    }

    /** 16 × 193 × 512. */
    public static class Medium extends Operands {
        @Override
        int b() {
            return 16;
        }

        @Override
        int k() {
            return 193;
        }

        @Override
        int n() {
            return 512;
        }
    }

    /** 32 × 321 × 1024. */
    public static class Large extends Operands {
        @Override
        int b() {
            return 32;
        }

        @Override
        int k() {
            return 321;
        }

        @Override
        int n() {
            return 1024;
        }
    }

    static double[][] gaussian(Random rng, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = rng.nextGaussian() * 0.01;
            }
        }
        return m;
    }

    @Benchmark
    @OperationsPerInvocation(193 * 512)
    public double[][] forward1x193x512(Small s) {
        RowMath.multiplyInto(s.x, s.packed, s.z, 0, 1);
        return s.z;
    }

    @Benchmark
    @OperationsPerInvocation(16 * 193 * 512)
    public double[][] forward16x193x512(Medium s) {
        RowMath.multiplyInto(s.x, s.packed, s.z, 0, 16);
        return s.z;
    }

    @Benchmark
    @OperationsPerInvocation(32 * 321 * 1024)
    public double[][] forward32x321x1024(Large s) {
        RowMath.multiplyInto(s.x, s.packed, s.z, 0, 32);
        return s.z;
    }

    @Benchmark
    @OperationsPerInvocation(16 * 193 * 512)
    public double[][] gradient16x193x512(Medium s) {
        RowMath.accumulateOuter(s.x, s.dz, s.dw, 0, 0, 16, s.prec);
        return s.dw;
    }

    @Benchmark
    @OperationsPerInvocation(32 * 321 * 1024)
    public double[][] gradient32x321x1024(Large s) {
        RowMath.accumulateOuter(s.x, s.dz, s.dw, 0, 0, 32, s.prec);
        return s.dw;
    }
}
