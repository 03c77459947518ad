package org.rnnlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.rnnlab.hotloop.Kernels;
import org.rnnlab.hotloop.PackedMatrix;
import org.rnnlab.hotloop.Precision;
import org.rnnlab.hotloop.RowMath;

/**
 * {@link ProductKernelBenchmark}'s products timed by the thread's CPU time, which holds up on a busy machine: the
 * row loops, the float64 Vector API kernels and the float32 ones take turns call by call, and the best of 40 rounds
 * is reported in GFLOP/s (two per multiply-add). Shapes B × K × N: the three (one step of the training
 * shapes, K = input + hidden, N = four gates) and the W_hᵀ·dz product (K = 4H, N = H). Needs the module:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.rnnlab.bench.ProductProbe}.
 */
public final class ProductProbe {
    private ProductProbe() {
    }

    public static void main(String[] args) {
        if (!Kernels.AVAILABLE) {
            throw new IllegalStateException("run with --add-modules jdk.incubator.vector");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int[][] shapes = {{1, 193, 512}, {16, 193, 512}, {32, 321, 1024}, {16, 512, 128}, {32, 1024, 256}};
        System.out.println("B × K × N: forward Z += X·W (rows / Vector f64 / Vector f32), gradient dW += Xᵀ·DZ (same)"
                + ", GFLOP/s");
        for (int[] shape : shapes) {
            int b = shape[0];
            int k = shape[1];
            int n = shape[2];
            Random rng = new Random(1);
            double[][] x = ProductKernelBenchmark.gaussian(rng, b, k);
            double[][] w = ProductKernelBenchmark.gaussian(rng, k, n);
            double[][] dz = ProductKernelBenchmark.gaussian(rng, b, n);
            double[][] z = new double[b][n];
            double[][] dw = new double[k][n];
            PackedMatrix p64 = new PackedMatrix(k, n).pack(w, 0);
            PackedMatrix p32 = new PackedMatrix(k, n).packFloats(w, 0);
            long flops = 2L * b * k * n;
            int reps = (int) Math.max(1, 2e8 / flops);
            double[] best = new double[6];
            Arrays.fill(best, Double.MAX_VALUE);
            for (int round = 0; round < 40; round++) {
                for (int m = 0; m < 6; m++) {
                    Kernels.use(m % 3 == 0 ? Kernels.Path.ROWS : Kernels.Path.VECTOR);
                    long start = mx.getCurrentThreadCpuTime();
                    for (int r = 0; r < reps; r++) {
                        switch (m) {
                            case 0, 1 -> RowMath.multiplyInto(x, p64, z, 0, b);
                            case 2 -> RowMath.multiplyInto(x, p32, z, 0, b);
                            case 3, 4 -> RowMath.accumulateOuter(x, dz, dw, 0, 0, b);
                            default -> RowMath.accumulateOuter(x, dz, dw, 0, 0, b, Precision.FLOAT);
                        }
                    }
                    best[m] = Math.min(best[m], (double) (mx.getCurrentThreadCpuTime() - start) / reps);
                }
                for (double[] row : z) {
                    Arrays.fill(row, 0.0);
                }
                for (double[] row : dw) {
                    Arrays.fill(row, 0.0);
                }
            }
            System.out.printf("%d × %d × %d: forward %.1f / %.1f / %.1f, gradient %.1f / %.1f / %.1f%n", b, k, n,
                    flops / best[0], flops / best[1], flops / best[2], flops / best[3], flops / best[4],
                    flops / best[5]);
        }
    }
}
