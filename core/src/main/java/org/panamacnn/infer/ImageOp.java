package org.panamacnn.infer;

/**
 * An op whose unit of work is one image: a call is cut into at most one task per image, each task
 * runs {@link #runImage} for its contiguous range of images.
 */
abstract class ImageOp implements Op {
    @Override
    public final int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public final void run(Workspace ws, int batch, int task, int tasks) {
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) runImage(ws, n);
    }

    /** Writes image n of the output. */
    abstract void runImage(Workspace ws, int n);
}
