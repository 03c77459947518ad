package org.rnnlab.textbook;

import org.ejml.data.DMatrixRMaj;
import org.rnnlab.param.Parameter;
import org.rnnlab.param.WeightView;
import org.rnnlab.param.WeightView.Kind;

/**
 * One named weight of a textbook cell (W_xf, b_o, w_ci …): a {@link Parameter} of its own holding the textbook
 * matrix row-major in a single row, so optimisers, clipping and gradient checks see it like any other parameter,
 * and the cell computes on it as an EJML matrix that shares the storage.
 */
final class Weight {
    private final Parameter parameter;
    private final int rows;
    private final int cols;
    private final WeightView view;

    private Weight(String name, int rows, int cols, Kind kind) {
        this.parameter = new Parameter(name, 1, rows * cols, kind != Kind.BIAS);
        this.rows = rows;
        this.cols = cols;
        this.view = WeightView.whole(parameter, rows, cols, kind);
    }

    /** A {@code rows} × {@code cols} weight; biases do not decay, everything else does (as in the fast cells). */
    static Weight of(String name, int rows, int cols, Kind kind) {
        return new Weight(name, rows, cols, kind);
    }

    Parameter parameter() {
        return parameter;
    }

    WeightView view() {
        return view;
    }

    /** The weight itself, sharing the parameter's storage (writes change the model). */
    DMatrixRMaj value() {
        return DMatrixRMaj.wrap(rows, cols, parameter.value()[0]);
    }

    /** Its gradient ∂L/∂(weight), sharing the parameter's gradient storage. */
    DMatrixRMaj grad() {
        return DMatrixRMaj.wrap(rows, cols, parameter.grad()[0]);
    }
}
