/**
 * Loss heads: softmax with cross-entropy and sigmoid with binary cross-entropy, each computing the
 * loss and its gradient with respect to the network's output in one numerically stable pass.
 */
package org.panamacnn.loss;
