package org.rnnlab.hotloop;

/**
 * The precision of the batched matrix products in training ({@code SequenceModel.precision}).
 *
 * <ul>
 *   <li>{@link #DOUBLE}, the default: everything in float64, and the Vector API kernels give the row loops' bits.</li>
 *   <li>{@link #FLOAT}: the batched products of the LSTM cell and the readout (z += W_h·h, W_hᵀ·dz, ∂W_h and ∂W_y
 *       accumulation, y = W_y·h and W_yᵀ·dy) round their operands to float32 and add them up in float32 with fused
 *       multiply-adds, twice as many numbers per vector; the sum is then added to the float64 value. Weights,
 *       states, gates, gradients and the optimizer stay float64. Results differ from float64 in about the seventh
 *       significant digit per product. The LSTM's gate activations (σ, tanh) then run a vector of units at a time
 *       on an exp of the library's own, within 1e-15 of the scalar ones but not bit for bit. It needs the Vector API
 *       (the JVM option {@code --add-modules jdk.incubator.vector}), and the products apply where those kernels run:
 *       blocks of four sequences per thread; the sequences left over, the one-hot input products and other cells
 *       stay float64.</li>
 * </ul>
 */
public enum Precision {
    /** float64 throughout (the default). */
    DOUBLE,
    /** The batched products in float32 (see the class comment). */
    FLOAT
}
