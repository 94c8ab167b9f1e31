package org.panamacnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link BufferArena} through {@link BatchBuffer}s: lent arrays are never shared while held, and a repeated sequence reuses them. */
class BufferArenaTest {
    @Test
    void aHeldArrayIsNeverLentToAnotherBuffer() {
        BufferArena arena = new BufferArena();
        BatchBuffer a = new BatchBuffer(Shape.of(10), arena), b = new BatchBuffer(Shape.of(10), arena);
        Tensor ta = a.get(4), tb = b.get(4);
        assertNotSame(ta.data(), tb.data());
        assertSame(ta, a.get(4), "the holder gets its own array and view again");
        arena.giveBack(ta.data());
        BatchBuffer c = new BatchBuffer(Shape.of(10), arena);
        assertSame(ta.data(), c.get(4).data(), "a given-back array is lent again");
        assertSame(tb.data(), b.get(4).data(), "b still holds its own");
        assertNotSame(ta.data(), a.get(4).data(), "a gave its array back: it gets another");
    }

    @Test
    void theBestFittingFreeArrayIsLentAndTheLargestGrowsWhenNoneFits() {
        BufferArena arena = new BufferArena();
        BatchBuffer big = new BatchBuffer(Shape.of(100), arena), small = new BatchBuffer(Shape.of(10), arena);
        BatchBuffer other = new BatchBuffer(Shape.of(10), arena);
        float[] bigArray = big.get(1).data(), smallArray = small.get(1).data();
        arena.giveBack(bigArray);
        arena.giveBack(smallArray);
        assertSame(smallArray, other.get(1).data(), "the 10-float array fits 10 floats best");
        arena.giveBack(smallArray);
        BatchBuffer huge = new BatchBuffer(Shape.of(1000), arena);
        float[] grown = huge.get(1).data();
        assertEquals(1000, grown.length);
        assertEquals(1000 + 10, arena.floats(), "the largest free array was replaced by a larger one, no third array");
        arena.giveBack(new float[5]); // not the arena's: ignored
        assertEquals(1010, arena.floats());
    }

    @Test
    void aChainRepeatedStepAfterStepMakesNoNewArraysAndHoldsTwo() {
        BufferArena arena = new BufferArena();
        BatchBuffer[] chain = new BatchBuffer[12];
        for (int i = 0; i < chain.length; i++) chain[i] = new BatchBuffer(Shape.of(50 + 10 * (i % 3)), arena);
        long after = 0;
        for (int step = 0; step < 5; step++) {
            // backward through a chain: layer i writes its gradient, then layer i + 1's is given back
            Tensor previous = null;
            for (int i = chain.length - 1; i >= 0; i--) {
                Tensor g = chain[i].get(8);
                if (previous != null) {
                    assertNotSame(previous.data(), g.data(), "step " + step + " layer " + i);
                    arena.giveBack(previous.data());
                }
                previous = g;
            }
            arena.giveBack(previous.data()); // the first layer's gradient, read by nobody (as Sequential does)
            if (step == 1) after = arena.floats();
            if (step > 1) assertEquals(after, arena.floats(), "step " + step + " made new arrays");
        }
        assertTrue(arena.floats() <= 2 * 70 * 8, "two arrays of the largest gradient at most: " + arena.floats());
    }
}
