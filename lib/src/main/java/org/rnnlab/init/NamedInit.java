package org.rnnlab.init;

import java.util.Objects;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;

/** An initialiser with a display name: what the factories in {@link Init} return. */
record NamedInit(String name, Init body) implements Init {

    @Override
    public void fill(DMatrixRMaj w, Random rng) {
        Objects.requireNonNull(w, "the matrix to fill is null");
        body.fill(w, rng);
    }

    @Override
    public String toString() {
        return name;
    }
}
