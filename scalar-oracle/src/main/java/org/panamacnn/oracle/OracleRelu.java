package org.panamacnn.oracle;

/**
 * ReLU, elementwise:
 * <pre>
 * forward:  a = max(z, 0)
 * mask:     m = 1[z &gt; 0]
 * backward: δz = δa ⊙ 1[z &gt; 0]
 * </pre>
 */
public final class OracleRelu {

    private OracleRelu() {
    }

    /** max(z, 0) */
    public static double[] forward(double[] z) {
        Checks.notNull("z", z);
        double[] a = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            a[i] = Math.max(z[i], 0.0);
        }
        return a;
    }

    /** z > 0 */
    public static boolean[] mask(double[] z) {
        Checks.notNull("z", z);
        boolean[] m = new boolean[z.length];
        for (int i = 0; i < z.length; i++) {
            m[i] = z[i] > 0.0;
        }
        return m;
    }

    /** gradOut ⊙ 1[z > 0] */
    public static double[] backward(double[] gradOut, double[] z) {
        Checks.notNull("z", z);
        Checks.length("gradOut", "[like z]", gradOut, z.length);
        double[] gradIn = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            gradIn[i] = z[i] > 0.0 ? gradOut[i] : 0.0;
        }
        return gradIn;
    }

    /** Leaky ReLU: z if z &gt; 0 else slope·z */
    public static double[] leakyForward(double[] z, double slope) {
        Checks.notNull("z", z);
        double[] a = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            a[i] = z[i] > 0.0 ? z[i] : slope * z[i];
        }
        return a;
    }

    /** Leaky ReLU backward: gradOut if z &gt; 0 else slope·gradOut */
    public static double[] leakyBackward(double[] gradOut, double[] z, double slope) {
        Checks.notNull("z", z);
        Checks.length("gradOut", "[like z]", gradOut, z.length);
        double[] gradIn = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            gradIn[i] = z[i] > 0.0 ? gradOut[i] : slope * gradOut[i];
        }
        return gradIn;
    }
}
