package org.rnnlab.model;

import java.util.Random;
import org.rnnlab.data.CharCorpus;

/**
 * Lets a character model write: it reads a prompt, then picks each next character from its predicted
 * distribution softened or sharpened by a temperature (Karpathy, "The Unreasonable Effectiveness of Recurrent
 * Neural Networks"). Near 0 it always takes the likeliest character and repeats itself; at 1 it samples the
 * distribution as learned; above 1 it takes more risks and makes more mistakes.
 */
public final class TextSampler {
    private TextSampler() {
    }

    /**
     * {@code length} characters written by {@code model} after reading {@code prompt}, at {@code temperature},
     * drawn with the given seed. The model's alphabet is the corpus's vocabulary.
     */
    public static String sample(SequenceModel model, CharCorpus corpus, String prompt, int length, double temperature,
                                long seed) {
        if (model.inputSize() != corpus.vocabularySize()) {
            throw new IllegalArgumentException("the model reads " + model.inputSize() + " symbols, the corpus has "
                    + corpus.vocabularySize() + " characters: train the model on this corpus");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be zero or more, got " + length);
        }
        if (length == 0) {
            return "";
        }
        int[] written = model.sample(corpus.encode(prompt), length, temperature, new Random(seed));
        return corpus.decode(written);
    }
}
