/**
 * Training and test data: readers for IDX (MNIST / Fashion-MNIST), CIFAR-10 binary batches and
 * folders of images, with their size limits and validation; {@link org.panamacnn.data.DataSets#load}
 * recognises a directory's format. Also pixel normalisation, seeded augmentation and the batch
 * iterator the trainer uses.
 */
package org.panamacnn.data;
