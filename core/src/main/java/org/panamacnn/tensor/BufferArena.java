package org.panamacnn.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Arrays lent to {@link BatchBuffer}s that need their memory only for a while: a layer's input
 * gradient lives from its backward until the layer before it has read it. The buffer borrows an
 * array when it is written ({@link BatchBuffer#get}) and whoever consumed it gives it back
 * ({@link #giveBack}); until then no one else gets it. So a chain of n layers holds a handful of
 * gradient arrays instead of n. A buffer keeps the array it holds until it is given back, so one
 * whose consumer never gives back simply behaves like a private buffer.
 *
 * <p>Which array a buffer gets depends only on the order of the calls, which is the same in every
 * training step, so after the first steps each buffer gets the same array each time and nothing
 * is allocated. The best-fitting free array is lent; when none is large enough the largest free
 * one grows (or a new one is made). Used by one training thread at a time; synchronized only so
 * that misuse cannot corrupt it.
 */
public final class BufferArena {
    private static final class Slot {
        float[] data;
        Object holder;
    }

    private final List<Slot> slots = new ArrayList<>();

    /**
     * An array of at least size floats for owner: held, the one it already holds (grown if it is
     * too small); else the best-fitting free one, which owner then holds.
     */
    synchronized float[] lend(Object owner, float[] held, int size) {
        Slot mine = held == null ? null : slotOf(held);
        if (mine != null && mine.holder == owner) {
            if (mine.data.length < size) mine.data = new float[size];
            return mine.data;
        }
        // the array it held last time, when free and large enough: so each buffer keeps getting the
        // same array and its tensor view (a rotation between buffers would make a new view per call)
        if (mine != null && mine.holder == null && mine.data.length >= size) {
            mine.holder = owner;
            return mine.data;
        }
        Slot best = null, largest = null;
        for (Slot s : slots) {
            if (s.holder != null) continue;
            if (s.data.length >= size && (best == null || s.data.length < best.data.length)) best = s;
            if (largest == null || s.data.length > largest.data.length) largest = s;
        }
        if (best == null) {
            best = largest;
            if (best == null) {
                best = new Slot();
                slots.add(best);
            }
            best.data = new float[size];
        }
        best.holder = owner;
        return best.data;
    }

    /** Frees the lent array data for others (an array this arena did not lend is ignored). */
    public synchronized void giveBack(float[] data) {
        Slot s = slotOf(data);
        if (s != null) s.holder = null;
    }

    /** Floats in all the arrays made so far (for tests and memory reports). */
    public synchronized long floats() {
        long n = 0;
        for (Slot s : slots) n += s.data.length;
        return n;
    }

    private Slot slotOf(float[] data) {
        for (Slot s : slots) if (s.data == data) return s;
        return null;
    }
}
