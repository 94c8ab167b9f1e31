/**
 * Training: {@link org.panamacnn.train.Trainer#fit} runs epochs of seeded, shuffled mini-batches
 * through a {@link org.panamacnn.train.TrainingState} (gradients, saved activations and optimizer
 * slots, kept apart from the model's weights) and reports to
 * {@link org.panamacnn.train.TrainingListener}s: progress, metrics files, checkpoints. A run that
 * diverges stops with a {@link org.panamacnn.train.TrainingDivergedException} before the weights
 * are touched.
 */
package org.panamacnn.train;
