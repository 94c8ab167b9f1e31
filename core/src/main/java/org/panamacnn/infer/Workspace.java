package org.panamacnn.infer;

import java.util.function.IntConsumer;
import org.panamacnn.simd.NhwcConv;
import org.panamacnn.tensor.AllocationBudget;

/**
 * Everything one inference call writes: the activations of every step for up to
 * {@link #capacity()} images, and each task's scratch. Planned once from the model and the batch
 * capacity; a call allocates nothing. Belongs to one call at a time (not thread-safe); the
 * model it serves is shared.
 */
public final class Workspace {
    private final InferenceModel model;
    private final int capacity, maxTasks;
    private final float[][] buffers;
    private final float[][] scratch;
    private final int[][] offsets;
    private final int[][] indices;
    // The op running now, read by the task body; written before each forEach.
    private Op op;
    private int batch, tasks, parallelism = 1;
    private final IntConsumer task = t -> op.run(this, batch, t, tasks);

    Workspace(InferenceModel model, int capacity, int maxTasks) {
        this.model = model;
        this.capacity = capacity;
        this.maxTasks = maxTasks;
        int[] sample = model.bufferFloats();
        long perImage = 0;
        for (int f : sample) perImage += f;
        String what = "an inference workspace for " + capacity + " images (" + perImage + " activation values per image)";
        AllocationBudget.require("workspace capacity " + capacity, what, AllocationBudget.product(what, capacity, perImage, Float.BYTES));
        buffers = new float[sample.length][];
        for (int s = 0; s < sample.length; s++) buffers[s] = new float[Math.multiplyExact(capacity, sample[s])];
        scratch = new float[maxTasks][model.scratchFloats()];
        offsets = new int[maxTasks][2 * NhwcConv.MR];
        indices = new int[maxTasks][model.indexScratch()];
    }

    /** The model this workspace was planned for. */
    public InferenceModel model() {
        return model;
    }

    /** The largest batch a call may run in this workspace. */
    public int capacity() {
        return capacity;
    }

    /** Floats this workspace holds (activations and scratch). */
    public long floats() {
        long n = 0;
        for (float[] b : buffers) n += b.length;
        for (float[] s : scratch) n += s.length;
        return n;
    }

    float[] buffer(int slot) {
        return buffers[slot];
    }

    float[] scratch(int task) {
        return scratch[task];
    }

    int[] indices(int task) {
        return indices[task];
    }

    int[] offsets(int task) {
        return offsets[task];
    }

    /** The parallelism the current call's ops are cut for. */
    int parallelism() {
        return parallelism;
    }

    int maxTasks() {
        return maxTasks;
    }

    void begin(int batch, int parallelism) {
        this.batch = batch;
        this.parallelism = parallelism;
    }

    /** Runs op over the runner in `tasks` tasks (on this thread alone when there is one). */
    void run(Op op, int tasks, org.panamacnn.simd.TaskRunner runner) {
        if (tasks == 1) {
            op.run(this, batch, 0, 1);
            return;
        }
        this.op = op;
        this.tasks = tasks;
        runner.forEach(tasks, task);
        this.op = null;
    }
}
