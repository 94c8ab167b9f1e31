package org.panamacnn.infer;

/**
 * One step of an {@link InferenceModel}: reads one workspace buffer, writes another. Stateless
 * and immutable (weights are packed at construction), so one instance serves every thread; all
 * that a call writes is in the {@link Workspace}. Its work is cut into units that any task may
 * run; a unit's result does not depend on the cut, so neither does the output.
 */
interface Op {
    /** How many tasks to cut a call of this batch into, for a runner of this parallelism (≥ 1). */
    int tasks(int batch, int parallelism);

    /** Runs task `task` of `tasks`, with the task's own scratch from ws. */
    void run(Workspace ws, int batch, int task, int tasks);

    /** Floats of per-task scratch this op needs. */
    default int scratchFloats() {
        return 0;
    }

    /** Ints of per-task index scratch this op needs. */
    default int indexScratch() {
        return 0;
    }

    /** Unit u's share of a split of `units` into `tasks` equal contiguous ranges: the first unit of task t. */
    static int start(int t, int tasks, int units) {
        return (int) ((long) t * units / tasks);
    }
}
