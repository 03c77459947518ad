package org.rnnlab.hotloop;

/**
 * Which code computes the batched products of {@link RowMath}: the JDK's Vector API kernels or the row loops.
 *
 * <p>The Vector API ({@code jdk.incubator.vector}) is an incubator module of JDK 17 and later: a JVM has it only when
 * started with {@code --add-modules jdk.incubator.vector} (the project's Jupyter kernel is). Then the batched products
 * of four or more sequences over packed weights ({@link PackedMatrix}) and the weight gradients run on
 * register-blocked kernels ({@code VectorMath}); everywhere else (IJava, JJava, plain
 * {@code java}, the tests without the flag) they run on the row loops, and the class that uses the module is never
 * loaded. Both paths add the same terms in the same order with a multiply and an add each, so a seeded run gives the
 * same bits on either path (tested by {@code VectorPathTest}); only their speed differs.
 *
 * <p>{@link #path()} says which path runs; a model's {@code toString()} says it too.
 */
public final class Kernels {
    /** The code behind the batched products. */
    public enum Path {
        /** Register-blocked Vector API kernels (the JVM has the module {@code jdk.incubator.vector}). */
        VECTOR,
        /** The row loops of {@link RowMath}: any JVM. */
        ROWS
    }

    /** The module's name, for {@code --add-modules}. */
    public static final String MODULE = "jdk.incubator.vector";
    /**
     * Whether the Vector API kernels can run: the JVM has the module (started with
     * {@code --add-modules jdk.incubator.vector}) and was not told {@code -Drnnlab.rowLoops=true}.
     */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule(MODULE).isPresent()
            && !Boolean.getBoolean("rnnlab.rowLoops");
    /** Fewest sequences (or terms) for which a batched product takes the Vector API kernels. */
    static final int MIN_BATCH = 4;

    private static volatile Path path = AVAILABLE ? Path.VECTOR : Path.ROWS;

    private Kernels() {
    }

    /** The path the batched products take now. */
    public static Path path() {
        return path;
    }

    /**
     * Chooses the path, for comparisons (speed, or the same bits on both). {@link Path#VECTOR} needs the module;
     * without it this throws and says how to start the JVM.
     */
    public static void use(Path p) {
        if (p == Path.VECTOR && !AVAILABLE) {
            throw new IllegalStateException("the Vector API kernels need the JVM option --add-modules " + MODULE
                    + (Boolean.getBoolean("rnnlab.rowLoops") ? " and no -Drnnlab.rowLoops=true" : "")
                    + "; this JVM runs the row loops");
        }
        path = p;
    }

    /**
     * One line for people: which path runs, and how to get the other. For example
     * {@code "Vector API kernels (jdk.incubator.vector, 4 doubles per vector)"}.
     */
    public static String describe() {
        if (path == Path.VECTOR) {
            return "Vector API kernels (" + MODULE + ", " + VectorMath.lanes() + " doubles per vector)";
        }
        return AVAILABLE ? "row loops (chosen with Kernels.use)"
                : "row loops (start the JVM with --add-modules " + MODULE + " for the Vector API kernels)";
    }

    /**
     * Whether a product over {@code sequences} rows at a time takes the Vector API kernels now: a packed copy of the
     * weights ({@link PackedMatrix}) pays only then. With fewer than four rows the row loops run (at batch 1 the
     * work is bound by reading W, and packing would cost more than it saves).
     */
    public static boolean packs(int sequences) {
        return vectorFor(sequences);
    }

    /** The vector width in doubles; only when {@link #AVAILABLE}. */
    static int lanes() {
        return VectorMath.lanes();
    }

    static boolean vectorFor(int count) {
        return count >= MIN_BATCH && path == Path.VECTOR;
    }

    static void multiplyInto(double[][] in, PackedMatrix w, double[][] out, int from, int to) {
        VectorMath.multiplyInto(in, w, out, from, to);
    }

    static void accumulateOuter(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from, int to) {
        VectorMath.accumulateOuter(in, dz, dw, rowOffset, from, to);
    }

    static int floatPanel() {
        return VectorMath.floatPanel();
    }

    static void multiplyIntoFloat(double[][] in, PackedMatrix w, double[][] out, int from, int to) {
        VectorMath.multiplyIntoFloat(in, w, out, from, to);
    }

    static void accumulateOuterFloat(double[][] in, double[][] dz, double[][] dw, int rowOffset, int from, int to) {
        VectorMath.accumulateOuterFloat(in, dz, dw, rowOffset, from, to);
    }

    /**
     * Whether the activations run a vector of units at a time (σ and tanh on {@code VectorMath.exp}: within 1e-15 of
     * the scalar ones, not bit for bit): in float32 precision, when the module is there. Float64 never does, so its
     * bits do not depend on the path.
     */
    public static boolean vectorActivations(Precision p) {
        return p == Precision.FLOAT && AVAILABLE;
    }

    /** σ in place over {@code z[at, at + n)}, a vector of units at a time; needs the module ({@link #AVAILABLE}). */
    public static void sigmoid(double[] z, int at, int n) {
        requireModule("Kernels.sigmoid");
        VectorMath.sigmoid(z, at, n);
    }

    /** {@code to[toAt + u] = tanh(from[fromAt + u])} for u &lt; n, a vector at a time; as {@link #sigmoid}. */
    public static void tanh(double[] from, int fromAt, double[] to, int toAt, int n) {
        requireModule("Kernels.tanh");
        VectorMath.tanh(from, fromAt, to, toAt, n);
    }

    private static void requireModule(String what) {
        if (!AVAILABLE) {
            throw new IllegalStateException(what + " runs on the Vector API: start the JVM with --add-modules "
                    + MODULE + ", or use RowMath's scalar functions");
        }
    }

    /**
     * The backward step through the units of a standard LSTM cell (gates i, f, o, g; both activations; no
     * peepholes, no gate recurrence) a vector of units at a time, with the same bits as the cell's scalar loop, when
     * the Vector API path runs; returns how many units it did (0 on the row-loop path), the caller does the rest.
     * {@code dc} is ∂L/∂c_t on entry and ∂L/∂c_{t−1} on return; {@code dz} receives ∂L/∂(gate pre-activations).
     */
    public static int lstmGateGradients(double[] dh, double[] gates, int oi, int of, int oo, int og, double[] cPrev,
                                        double[] tanhC, double[] dc, double[] dz, int n) {
        if (path != Path.VECTOR) {
            return 0;
        }
        return VectorMath.lstmGateGradients(dh, gates, oi, of, oo, og, cPrev, tanhC, dc, dz, n);
    }

    /** Checks that {@code p} can run here: {@link Precision#FLOAT} needs the module. */
    public static void require(Precision p) {
        if (p == Precision.FLOAT && !AVAILABLE) {
            throw new IllegalStateException("precision FLOAT runs on the Vector API kernels: start the JVM with "
                    + "--add-modules " + MODULE + " (the project's Jupyter kernel does), or keep Precision.DOUBLE");
        }
    }
}
