package org.panamacnn.simd;

/**
 * {@link SmoothPointwise} in plain Java. The constants and the order of every operation are
 * {@link VectorSmoothPointwise}'s, lane by lane, so both give the same bits.
 */
final class ScalarSmoothPointwise {
    private ScalarSmoothPointwise() {}

    static final float SQRT1_2 = 0.70710678118654752f;
    /** √(2/π), and 1/√(2π) (GELU's φ). */
    static final float TANH_BETA = 0.79788456080286536f, PDF = 0.39894228040143268f;
    static final float KAPPA = 0.044715f, KAPPA3 = 3f * 0.044715f;
    /** erf's fit: odd numerator α1..α13, even denominator β0..β8, on [−4, 4]. */
    static final float ERF_CLAMP = 4f;
    static final float EA1 = -1.60960333262415e-02f, EA3 = -2.95459980854025e-03f, EA5 = -7.34990630326855e-04f,
            EA7 = -5.69250639462346e-05f, EA9 = -2.10102402082508e-06f, EA11 = 2.77068142495902e-08f, EA13 = -2.72614225801306e-10f;
    static final float EB0 = -1.42647390514189e-02f, EB2 = -7.37332916720468e-03f, EB4 = -1.68282697438203e-03f,
            EB6 = -2.13374055278905e-04f, EB8 = -1.45660718464996e-05f;
    /**
     * tanh's fit on [−7.9, 7.9], used below TANH_SMALL (beyond it, (1 − e^−2|x|) / (1 + e^−2|x|), which
     * keeps 1 − tanh² accurate near saturation, where the fit's error would dominate it); below TANH_TINY, tanh(x) = x.
     */
    static final float TANH_SMALL = 0.55f;
    static final float TANH_CLAMP = 7.90531110763549805f, TANH_TINY = 0.0004f;
    static final float TA1 = 4.89352455891786e-03f, TA3 = 6.37261928875436e-04f, TA5 = 1.48572235717979e-05f,
            TA7 = 5.12229709037114e-08f, TA9 = -8.60467152213735e-11f, TA11 = 2.00018790482477e-13f, TA13 = -2.76076847742355e-16f;
    static final float TB0 = 4.89352518554385e-03f, TB2 = 2.26843463243900e-03f, TB4 = 1.18534705686654e-04f, TB6 = 1.19825839466702e-06f;
    /** exp: x = k·ln 2 + r (ln 2 in two parts), e^r by Cephes' polynomial, 2^k from exponent bits; x clamped to [−87, 88]. */
    static final float EXP_MIN = -87f, EXP_MAX = 88f, LOG2E = 1.44269504088896341f, ROUND = 12582912f; // 1.5·2^23 rounds to an integer
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
            P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    static float erf(float v) {
        float x = Math.max(Math.min(v, ERF_CLAMP), -ERF_CLAMP), x2 = x * x;
        float p = Math.fma(x2, EA13, EA11);
        p = Math.fma(x2, p, EA9);
        p = Math.fma(x2, p, EA7);
        p = Math.fma(x2, p, EA5);
        p = Math.fma(x2, p, EA3);
        p = Math.fma(x2, p, EA1);
        p = x * p;
        float q = Math.fma(x2, EB8, EB6);
        q = Math.fma(x2, q, EB4);
        q = Math.fma(x2, q, EB2);
        q = Math.fma(x2, q, EB0);
        return p / q;
    }

    static float tanh(float v) {
        float x = Math.max(Math.min(v, TANH_CLAMP), -TANH_CLAMP), x2 = x * x;
        float p = Math.fma(x2, TA13, TA11);
        p = Math.fma(x2, p, TA9);
        p = Math.fma(x2, p, TA7);
        p = Math.fma(x2, p, TA5);
        p = Math.fma(x2, p, TA3);
        p = Math.fma(x2, p, TA1);
        p = x * p;
        float q = Math.fma(x2, TB6, TB4);
        q = Math.fma(x2, q, TB2);
        q = Math.fma(x2, q, TB0);
        float e = exp(-2f * Math.abs(v)), far = (1f - e) / (1f + e);
        return Math.abs(v) < TANH_TINY ? v : Math.abs(v) < TANH_SMALL ? p / q : v < 0f ? -far : far;
    }

    /** 1 − tanh²(v) given t = tanh(v): as 4e / (1 + e)², e = e^−2|v|, beyond TANH_SMALL (1 − t² would cancel). */
    static float sech2(float v, float t) {
        float e = exp(-2f * Math.abs(v)), d = e + 1f, far = e * 4f / (d * d);
        return Math.abs(v) < TANH_SMALL ? 1f - t * t : far;
    }

    static float exp(float v) {
        float x = Math.max(Math.min(v, EXP_MAX), EXP_MIN);
        float k = x * LOG2E + ROUND - ROUND;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float e = Math.fma(p, r * r, r) + 1f;
        return e * Float.intBitsToFloat(((int) k + 127) << 23);
    }

    /** Elements [from, n) of {@link SmoothPointwise#forward}. */
    static void forward(SmoothPointwise.Kind kind, int from, int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = from; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = switch (kind) {
                case TANH -> tanh(v);
                case GELU -> v * 0.5f * (1f + erf(v * SQRT1_2));
                case GELU_TANH -> 0.5f * v * (1f + tanh(TANH_BETA * (v + KAPPA * (v * v * v))));
            };
        }
    }

    /** Elements [from, n) of {@link SmoothPointwise#backward}. */
    static void backward(SmoothPointwise.Kind kind, int from, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dx, int dxOff) {
        for (int i = from; i < n; i++) {
            float v = x[xOff + i], g = dy[dyOff + i];
            dx[dxOff + i] = switch (kind) {
                case TANH -> {
                    yield g * sech2(v, tanh(v));
                }
                case GELU -> {
                    float cdf = 0.5f * (1f + erf(v * SQRT1_2)), pdf = PDF * exp(v * v * -0.5f);
                    yield g * (cdf + v * pdf);
                }
                case GELU_TANH -> {
                    float v2 = v * v, u = TANH_BETA * (v + KAPPA * (v2 * v)), t = tanh(u);
                    float right = sech2(u, t) * TANH_BETA * (1f + KAPPA3 * v2);
                    yield g * (0.5f * (1f + t) + 0.5f * v * right);
                }
            };
        }
    }
}
