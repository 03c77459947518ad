package org.rnnlab.reservoir;

/**
 * How well the trained readout of an {@link EchoStateNetwork} fits its training data.
 *
 * @param statesUsed number of time steps that went into the regression (all steps after the washout)
 * @param mse        mean squared error over those steps and all outputs
 * @param nrmse      root of the squared error divided by the squared deviation of the targets from their
 *                   mean (0 = perfect, 1 = no better than predicting the mean); NaN for constant targets
 */
public record FitResult(int statesUsed, double mse, double nrmse) {
}
