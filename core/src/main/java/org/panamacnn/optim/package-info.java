/**
 * Optimizers and learning-rate schedules: SGD (momentum, Nesterov, weight decay) and Adam, whose
 * per-weight state (momentum, moments) is kept by weight tensor so checkpoints can save it;
 * constant, step and cosine schedules with linear warm-up.
 */
package org.panamacnn.optim;
