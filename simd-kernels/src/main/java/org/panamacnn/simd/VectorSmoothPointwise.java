package org.panamacnn.simd;

import static org.panamacnn.simd.ScalarSmoothPointwise.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SmoothPointwise} with vectors: {@link ScalarSmoothPointwise}'s operations in its order,
 * lane by lane (so the same bits), the rest of each array by it. erf, tanh and exp are written out
 * in every loop rather than called: a vector passed to a helper C2 does not inline is boxed (see
 * package-info).
 */
final class VectorSmoothPointwise {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorSmoothPointwise() {}

    static void forward(SmoothPointwise.Kind kind, int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0, bound = F.loopBound(n);
        switch (kind) {
            case TANH -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + i);
                    // tanh(v)
                    FloatVector c = v.min(TANH_CLAMP).max(-TANH_CLAMP), c2 = c.mul(c);
                    FloatVector p = c2.fma(TA13, TA11);
                    p = c2.fma(p, FloatVector.broadcast(F, TA9));
                    p = c2.fma(p, FloatVector.broadcast(F, TA7));
                    p = c2.fma(p, FloatVector.broadcast(F, TA5));
                    p = c2.fma(p, FloatVector.broadcast(F, TA3));
                    p = c2.fma(p, FloatVector.broadcast(F, TA1));
                    p = c.mul(p);
                    FloatVector q = c2.fma(TB6, TB4);
                    q = c2.fma(q, FloatVector.broadcast(F, TB2));
                    q = c2.fma(q, FloatVector.broadcast(F, TB0));
                    // te = exp(v.abs().mul(-2f))
                    FloatVector tea = v.abs().mul(-2f).min(EXP_MAX).max(EXP_MIN);
                    FloatVector tek = tea.mul(LOG2E).add(ROUND).sub(ROUND);
                    FloatVector ter = tek.fma(FloatVector.broadcast(F, -LN2_HI), tea);
                    ter = tek.fma(FloatVector.broadcast(F, -LN2_LO), ter);
                    FloatVector tep = ter.fma(P0, P1);
                    tep = tep.fma(ter, FloatVector.broadcast(F, P2));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P3));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P4));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P5));
                    FloatVector te = tep.fma(ter.mul(ter), ter).add(1f).mul(((IntVector) tek.convert(VectorOperators.F2I, 0)).add(127)
                            .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    FloatVector far = FloatVector.broadcast(F, 1f).sub(te).div(te.add(1f));
                    far = far.blend(far.neg(), v.compare(VectorOperators.LT, 0f));
                    FloatVector t = far.blend(p.div(q), v.abs().compare(VectorOperators.LT, TANH_SMALL))
                            .blend(v, v.abs().compare(VectorOperators.LT, TANH_TINY));
                    t.intoArray(y, yOff + i);
                }
            }
            case GELU -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + i);
                    FloatVector s = v.mul(SQRT1_2);
                    // erf(s)
                    FloatVector ec = s.min(ERF_CLAMP).max(-ERF_CLAMP), ec2 = ec.mul(ec);
                    FloatVector ep = ec2.fma(EA13, EA11);
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA9));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA7));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA5));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA3));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA1));
                    ep = ec.mul(ep);
                    FloatVector eq = ec2.fma(EB8, EB6);
                    eq = ec2.fma(eq, FloatVector.broadcast(F, EB4));
                    eq = ec2.fma(eq, FloatVector.broadcast(F, EB2));
                    eq = ec2.fma(eq, FloatVector.broadcast(F, EB0));
                    FloatVector e = ep.div(eq);
                    v.mul(0.5f).mul(e.add(1f)).intoArray(y, yOff + i);
                }
            }
            case GELU_TANH -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + i);
                    FloatVector u = v.add(v.mul(v).mul(v).mul(KAPPA)).mul(TANH_BETA);
                    // tanh(u)
                    FloatVector c = u.min(TANH_CLAMP).max(-TANH_CLAMP), c2 = c.mul(c);
                    FloatVector p = c2.fma(TA13, TA11);
                    p = c2.fma(p, FloatVector.broadcast(F, TA9));
                    p = c2.fma(p, FloatVector.broadcast(F, TA7));
                    p = c2.fma(p, FloatVector.broadcast(F, TA5));
                    p = c2.fma(p, FloatVector.broadcast(F, TA3));
                    p = c2.fma(p, FloatVector.broadcast(F, TA1));
                    p = c.mul(p);
                    FloatVector q = c2.fma(TB6, TB4);
                    q = c2.fma(q, FloatVector.broadcast(F, TB2));
                    q = c2.fma(q, FloatVector.broadcast(F, TB0));
                    // te = exp(u.abs().mul(-2f))
                    FloatVector tea = u.abs().mul(-2f).min(EXP_MAX).max(EXP_MIN);
                    FloatVector tek = tea.mul(LOG2E).add(ROUND).sub(ROUND);
                    FloatVector ter = tek.fma(FloatVector.broadcast(F, -LN2_HI), tea);
                    ter = tek.fma(FloatVector.broadcast(F, -LN2_LO), ter);
                    FloatVector tep = ter.fma(P0, P1);
                    tep = tep.fma(ter, FloatVector.broadcast(F, P2));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P3));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P4));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P5));
                    FloatVector te = tep.fma(ter.mul(ter), ter).add(1f).mul(((IntVector) tek.convert(VectorOperators.F2I, 0)).add(127)
                            .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    FloatVector far = FloatVector.broadcast(F, 1f).sub(te).div(te.add(1f));
                    far = far.blend(far.neg(), u.compare(VectorOperators.LT, 0f));
                    FloatVector t = far.blend(p.div(q), u.abs().compare(VectorOperators.LT, TANH_SMALL))
                            .blend(u, u.abs().compare(VectorOperators.LT, TANH_TINY));
                    v.mul(0.5f).mul(t.add(1f)).intoArray(y, yOff + i);
                }
            }
        }
        ScalarSmoothPointwise.forward(kind, i, n, x, xOff, y, yOff);
    }

    static void backward(SmoothPointwise.Kind kind, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        int i = 0, bound = F.loopBound(n);
        switch (kind) {
            case TANH -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + i), g = FloatVector.fromArray(F, dy, dyOff + i);
                    FloatVector c = v.min(TANH_CLAMP).max(-TANH_CLAMP), c2 = c.mul(c);
                    FloatVector p = c2.fma(TA13, TA11);
                    p = c2.fma(p, FloatVector.broadcast(F, TA9));
                    p = c2.fma(p, FloatVector.broadcast(F, TA7));
                    p = c2.fma(p, FloatVector.broadcast(F, TA5));
                    p = c2.fma(p, FloatVector.broadcast(F, TA3));
                    p = c2.fma(p, FloatVector.broadcast(F, TA1));
                    p = c.mul(p);
                    FloatVector q = c2.fma(TB6, TB4);
                    q = c2.fma(q, FloatVector.broadcast(F, TB2));
                    q = c2.fma(q, FloatVector.broadcast(F, TB0));
                    // te = exp(v.abs().mul(-2f))
                    FloatVector tea = v.abs().mul(-2f).min(EXP_MAX).max(EXP_MIN);
                    FloatVector tek = tea.mul(LOG2E).add(ROUND).sub(ROUND);
                    FloatVector ter = tek.fma(FloatVector.broadcast(F, -LN2_HI), tea);
                    ter = tek.fma(FloatVector.broadcast(F, -LN2_LO), ter);
                    FloatVector tep = ter.fma(P0, P1);
                    tep = tep.fma(ter, FloatVector.broadcast(F, P2));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P3));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P4));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P5));
                    FloatVector te = tep.fma(ter.mul(ter), ter).add(1f).mul(((IntVector) tek.convert(VectorOperators.F2I, 0)).add(127)
                            .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    FloatVector far = FloatVector.broadcast(F, 1f).sub(te).div(te.add(1f));
                    far = far.blend(far.neg(), v.compare(VectorOperators.LT, 0f));
                    FloatVector t = far.blend(p.div(q), v.abs().compare(VectorOperators.LT, TANH_SMALL))
                            .blend(v, v.abs().compare(VectorOperators.LT, TANH_TINY));
                    FloatVector d = te.add(1f), sech2 = te.mul(4f).div(d.mul(d))
                            .blend(FloatVector.broadcast(F, 1f).sub(t.mul(t)), v.abs().compare(VectorOperators.LT, TANH_SMALL));
                    g.mul(sech2).intoArray(dx, dxOff + i);
                }
            }
            case GELU -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + i), g = FloatVector.fromArray(F, dy, dyOff + i);
                    FloatVector s = v.mul(SQRT1_2);
                    // erf(s)
                    FloatVector ec = s.min(ERF_CLAMP).max(-ERF_CLAMP), ec2 = ec.mul(ec);
                    FloatVector ep = ec2.fma(EA13, EA11);
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA9));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA7));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA5));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA3));
                    ep = ec2.fma(ep, FloatVector.broadcast(F, EA1));
                    ep = ec.mul(ep);
                    FloatVector eq = ec2.fma(EB8, EB6);
                    eq = ec2.fma(eq, FloatVector.broadcast(F, EB4));
                    eq = ec2.fma(eq, FloatVector.broadcast(F, EB2));
                    eq = ec2.fma(eq, FloatVector.broadcast(F, EB0));
                    FloatVector cdf = ep.div(eq).add(1f).mul(0.5f);
                    // exp(−v²/2)
                    FloatVector a = v.mul(v).mul(-0.5f).min(EXP_MAX).max(EXP_MIN);
                    FloatVector k = a.mul(LOG2E).add(ROUND).sub(ROUND);
                    FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), a);
                    r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
                    FloatVector p = r.fma(P0, P1);
                    p = p.fma(r, FloatVector.broadcast(F, P2));
                    p = p.fma(r, FloatVector.broadcast(F, P3));
                    p = p.fma(r, FloatVector.broadcast(F, P4));
                    p = p.fma(r, FloatVector.broadcast(F, P5));
                    FloatVector ex = p.fma(r.mul(r), r).add(1f);
                    FloatVector twoK = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23)
                            .reinterpretAsFloats();
                    FloatVector pdf = ex.mul(twoK).mul(PDF);
                    g.mul(cdf.add(v.mul(pdf))).intoArray(dx, dxOff + i);
                }
            }
            case GELU_TANH -> {
                for (; i < bound; i += F.length()) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + i), g = FloatVector.fromArray(F, dy, dyOff + i);
                    FloatVector v2 = v.mul(v), u = v.add(v2.mul(v).mul(KAPPA)).mul(TANH_BETA);
                    FloatVector c = u.min(TANH_CLAMP).max(-TANH_CLAMP), c2 = c.mul(c);
                    FloatVector p = c2.fma(TA13, TA11);
                    p = c2.fma(p, FloatVector.broadcast(F, TA9));
                    p = c2.fma(p, FloatVector.broadcast(F, TA7));
                    p = c2.fma(p, FloatVector.broadcast(F, TA5));
                    p = c2.fma(p, FloatVector.broadcast(F, TA3));
                    p = c2.fma(p, FloatVector.broadcast(F, TA1));
                    p = c.mul(p);
                    FloatVector q = c2.fma(TB6, TB4);
                    q = c2.fma(q, FloatVector.broadcast(F, TB2));
                    q = c2.fma(q, FloatVector.broadcast(F, TB0));
                    // te = exp(u.abs().mul(-2f))
                    FloatVector tea = u.abs().mul(-2f).min(EXP_MAX).max(EXP_MIN);
                    FloatVector tek = tea.mul(LOG2E).add(ROUND).sub(ROUND);
                    FloatVector ter = tek.fma(FloatVector.broadcast(F, -LN2_HI), tea);
                    ter = tek.fma(FloatVector.broadcast(F, -LN2_LO), ter);
                    FloatVector tep = ter.fma(P0, P1);
                    tep = tep.fma(ter, FloatVector.broadcast(F, P2));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P3));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P4));
                    tep = tep.fma(ter, FloatVector.broadcast(F, P5));
                    FloatVector te = tep.fma(ter.mul(ter), ter).add(1f).mul(((IntVector) tek.convert(VectorOperators.F2I, 0)).add(127)
                            .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    FloatVector far = FloatVector.broadcast(F, 1f).sub(te).div(te.add(1f));
                    far = far.blend(far.neg(), u.compare(VectorOperators.LT, 0f));
                    FloatVector t = far.blend(p.div(q), u.abs().compare(VectorOperators.LT, TANH_SMALL))
                            .blend(u, u.abs().compare(VectorOperators.LT, TANH_TINY));
                    FloatVector d = te.add(1f), sech2 = te.mul(4f).div(d.mul(d))
                            .blend(FloatVector.broadcast(F, 1f).sub(t.mul(t)), u.abs().compare(VectorOperators.LT, TANH_SMALL));
                    FloatVector right = sech2.mul(TANH_BETA).mul(v2.mul(KAPPA3).add(1f));
                    FloatVector left = t.add(1f).mul(0.5f);
                    g.mul(left.add(v.mul(0.5f).mul(right))).intoArray(dx, dxOff + i);
                }
            }
        }
        ScalarSmoothPointwise.backward(kind, i, n, dy, dyOff, x, xOff, dx, dxOff);
    }
}
