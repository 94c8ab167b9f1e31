package org.panamacnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.nn.ConvTranspose2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Upsample2d;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.NhwcConvTranspose;
import org.panamacnn.simd.NhwcResize;
import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.ResizeAxis;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The upsampling layers of a U-Net's decoder (one thread): a training step (forward in training
 * mode, then backward with the input gradient) of ConvTranspose2d(64→32, 3×3, stride 2, pad 1,
 * output pad 1) and ConvTranspose2d(64→32, 2×2, stride 2) on 16×64×28×28, and of nearest and bilinear
 * ×2 upsampling of 16×64×28×28; and the inference ops on one NHWC image of 28×28×64: the transposed
 * convolution's gather kernel and the resize.
 * {@code scripts/jmh UpsamplingBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
public class UpsamplingBenchmark {
    private static final int BATCH = 16, C = 64, H = 28, W = 28, COUT = 32;

    /** CT3: 3×3 stride 2 pad 1 output pad 1; CT2: 2×2 stride 2; NEAREST, BILINEAR, BILINEAR_ALIGNED: ×2 upsampling. */
    @Param({"CT3", "CT2", "NEAREST", "BILINEAR", "BILINEAR_ALIGNED"})
    public String layer;

    Layer subject;
    Tensor input, gradOut;
    float[] nhwcIn, nhwcOut, packed, bias;
    PixelMap inMap, outMap;
    ResizeAxis rows, cols;
    int k, stride, pad, oh, ow, outChannels;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(11);
        subject = switch (layer) {
            case "CT3" -> new ConvTranspose2d(C, COUT, 3, 2, 1, 1, true);
            case "CT2" -> new ConvTranspose2d(C, COUT, 2, 2, 0, 0, true);
            case "NEAREST" -> Upsample2d.nearest(2);
            case "BILINEAR" -> Upsample2d.bilinear(2, false);
            default -> Upsample2d.bilinear(2, true);
        };
        Shape in = Shape.of(C, H, W);
        Shape out = subject.build(in, ParallelExecutor.SEQUENTIAL);
        subject.initialize(new SplittableRandom(12));
        input = new Tensor(in.withBatch(BATCH), GemmBenchmark.random(BATCH * in.size(), random));
        gradOut = new Tensor(out.withBatch(BATCH), GemmBenchmark.random(BATCH * out.size(), random));
        oh = out.dim(1);
        ow = out.dim(2);
        outChannels = out.dim(0);
        inMap = PixelMap.nhwc(H, W, 0, C);
        outMap = PixelMap.nhwc(oh, ow, 1, outChannels);
        nhwcIn = GemmBenchmark.random(inMap.perImage(), random);
        nhwcOut = new float[outMap.perImage()];
        if (subject instanceof ConvTranspose2d ct) {
            k = ct.kernel();
            stride = ct.stride();
            pad = ct.padding();
            packed = NhwcConvTranspose.pack(ct.weight().value().data(), C, COUT, k);
            bias = ct.bias().value().data().clone();
        } else {
            Upsample2d up = (Upsample2d) subject;
            rows = up.rows();
            cols = up.columns();
        }
    }

    @Benchmark
    public Tensor trainingStep() {
        subject.forward(input, true);
        return subject.backward(gradOut, true);
    }

    @Benchmark
    public float[] inferenceOp() {
        if (packed != null) {
            NhwcConvTranspose.forward(nhwcIn, inMap, H, W, C, packed, bias, COUT, k, stride, pad, nhwcOut, outMap, 0, 0, oh, ow);
        } else {
            NhwcResize.resize(nhwcIn, inMap, rows, cols, nhwcOut, outMap, 0, C);
        }
        return nhwcOut;
    }
}
