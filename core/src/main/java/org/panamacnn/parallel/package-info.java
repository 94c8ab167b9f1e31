/**
 * The engine's own thread pool: {@link org.panamacnn.parallel.ParallelExecutor} runs work cut into
 * fixed chunks (of the batch, of output channels) and results are combined in chunk order, so they
 * are the same bits at any thread count.
 */
package org.panamacnn.parallel;
