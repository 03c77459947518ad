package org.rnnlab.cell;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The LSTM variants compared by Greff et al., "LSTM: A Search Space Odyssey" (2017). Each is the vanilla LSTM
 * {@link #V} (forget gate, peepholes, tanh on the block input and on the cell output) with one change.
 * The LSTM most tutorials draw (colah's main diagram, and most libraries) is {@link #NP}: no peepholes.
 */
public enum LstmVariant {
    /** Vanilla: input, forget and output gates, peepholes, tanh block input and output activation. */
    V("vanilla LSTM with peepholes", true, true, true, true, true, true, false, false),
    /** No input gate: everything the block offers is written (i = 1). */
    NIG("no input gate", false, true, true, true, true, true, false, false),
    /**
     * No forget gate: the cell never forgets (f = 1). Hochreiter &amp; Schmidhuber's 1997 LSTM had no forget gate
     * either, but it had no peepholes, which this variant keeps (the forget gate came with Gers, Schmidhuber &amp;
     * Cummins 2000, peepholes with Gers &amp; Schmidhuber 2000): NFG is V without its forget gate, not the 1997 cell.
     */
    NFG("no forget gate", true, false, true, true, true, true, false, false),
    /** No output gate: the whole cell state is shown (o = 1). */
    NOG("no output gate", true, true, false, true, true, true, false, false),
    /** No input activation function: the block input is linear (no tanh on g). */
    NIAF("no input activation function", true, true, true, false, true, true, false, false),
    /** No output activation function: h = o ⊙ c, no tanh on the cell. */
    NOAF("no output activation function", true, true, true, true, false, true, false, false),
    /** No peepholes: the gates do not look at the cell state. The usual LSTM. */
    NP("no peepholes (the usual LSTM)", true, true, true, true, true, false, false, false),
    /** Coupled input and forget gate: f = 1 − i, whatever is forgotten is replaced (as in the GRU). */
    CIFG("coupled input and forget gate", true, false, true, true, true, true, true, false),
    /** Full gate recurrence: every gate also sees all three gates' values of the previous step. */
    FGR("full gate recurrence", true, true, true, true, true, true, false, true);

    private final String description;
    final boolean inputGate;
    final boolean forgetGate;
    final boolean outputGate;
    final boolean inputActivation;
    final boolean outputActivation;
    final boolean peepholes;
    final boolean coupled;
    final boolean fullGateRecurrence;

    LstmVariant(String description, boolean inputGate, boolean forgetGate, boolean outputGate,
                boolean inputActivation, boolean outputActivation, boolean peepholes, boolean coupled,
                boolean fullGateRecurrence) {
        this.description = description;
        this.inputGate = inputGate;
        this.forgetGate = forgetGate;
        this.outputGate = outputGate;
        this.inputActivation = inputActivation;
        this.outputActivation = outputActivation;
        this.peepholes = peepholes;
        this.coupled = coupled;
        this.fullGateRecurrence = fullGateRecurrence;
    }

    /** What this variant changes, in words. */
    public String description() {
        return description;
    }

    /** True when the gates look at the cell state. */
    public boolean hasPeepholes() {
        return peepholes;
    }

    /**
     * The variant with this name, case-insensitive: V (or VANILLA), NIG, NFG, NOG, NIAF, NOAF, NP (or STANDARD),
     * CIFG, FGR. An unknown name is an error that lists the names.
     */
    public static LstmVariant of(String name) {
        if (name == null) {
            throw new IllegalArgumentException("no LSTM variant name given; use one of " + names());
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("VANILLA")) {
            return V;
        }
        if (n.equals("STANDARD")) {
            return NP;
        }
        for (LstmVariant v : values()) {
            if (v.name().equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown LSTM variant '" + name + "'; use one of " + names());
    }

    private static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
