/**
 * The hot loops: the multiply-adds over whole row arrays that the fast cells, the readout and the optimisers
 * spend their time in. Nothing here knows about networks; the cells in {@code org.rnnlab.cell} call these loops,
 * and the textbook cells in {@code org.rnnlab.textbook} are the readable reference they are tested against.
 */
package org.rnnlab.hotloop;
