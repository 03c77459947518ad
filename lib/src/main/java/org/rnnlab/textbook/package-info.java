/**
 * The recurrent cells as the textbooks write them: {@link org.rnnlab.textbook.TextbookRnnCell},
 * {@link org.rnnlab.textbook.TextbookLstmCell} (every LSTM variant of Greff et al.) and
 * {@link org.rnnlab.textbook.TextbookGruCell} (every {@link org.rnnlab.cell.GruForm}), one equation per line on
 * EJML column vectors, forward and backward. Read them to see what the fast cells of {@code org.rnnlab.cell}
 * compute; train on them with {@code SequenceModel.builder(…).textbook()}. They give the same numbers as the fast
 * cells (to rounding; the tests hold them to 1e-12), only more slowly.
 */
package org.rnnlab.textbook;
