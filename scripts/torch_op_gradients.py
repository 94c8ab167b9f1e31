#!/usr/bin/env python3
"""Reference forward and backward values of the operators torchvision's models need, from PyTorch's
autograd in float64, for core's PyTorchGradientTest.

    python3 scripts/torch_op_gradients.py core/src/test/resources/torch-op-gradients.json

Each case: the op and its settings (a general convolution's as model-definition text), input x, weights w (and bias b) or a second input s, the upstream
gradient r, and PyTorch's y = op(x), dx, dw, db (ds) for L = sum(r * y). Needs torch.
"""
import json
import sys

import torch
import torch.nn.functional as F


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, fn, x, params, **settings):
    x = x.clone().requires_grad_(True)
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items() if v is not None}
    y = fn(x, **ps)
    r = torch.randn(y.shape, dtype=torch.float64)
    (r * y).sum().backward()
    out = {"name": name, "x_shape": list(x.shape), "x": flat(x), "r": flat(r), "y": flat(y), "dx": flat(x.grad)}
    for k, v in ps.items():
        out[k + "_shape"] = list(v.shape)
        out[k] = flat(v)
        out["d" + k] = flat(v.grad)
    out.update(settings)
    return out


def main():
    torch.manual_seed(21)
    d = torch.float64
    cases = []
    # distinct values so no arg-max ties, all negative near the border so padding must act as -inf
    x = (torch.randperm(2 * 3 * 9 * 8, dtype=d) / 50 - 6).reshape(2, 3, 9, 8)
    cases.append(case("maxpool", lambda x: F.max_pool2d(x, 3, 2, 1), x, {}, kernel=3, stride=2, pad=1))
    for groups, cin, cout, k, s, p, bias in [(4, 4, 4, 3, 2, 1, False), (2, 6, 4, 3, 1, 1, True), (5, 5, 10, 5, 1, 2, True)]:
        x = torch.randn(2, cin, 9, 7, dtype=d)
        w = torch.randn(cout, cin // groups, k, k, dtype=d)
        b = torch.randn(cout, dtype=d) if bias else None
        cases.append(case("conv", lambda x, w, b=None, s=s, p=p, g=groups: F.conv2d(x, w, b, s, p, 1, g), x, {"w": w, "b": b},
                          groups=groups, kernel=k, stride=s, pad=p, out=cout))
    x = torch.rand(2, 3, 5, 7, dtype=d) * 16 - 8
    for name, fn in [("relu6", F.relu6), ("hardsigmoid", F.hardsigmoid), ("hardswish", F.hardswish),
                     ("sigmoid", torch.sigmoid), ("silu", F.silu)]:
        cases.append(case(name, lambda x, fn=fn: fn(x), x, {}))
    # mul: element by element, and by a [C, 1, 1] scale per channel (squeeze-and-excitation); s is the second input
    for shape in [(2, 3, 5, 7), (2, 3, 1, 1)]:
        x = torch.randn(2, 3, 5, 7, dtype=d)
        cases.append(case("mul", lambda x, s: x * s, x, {"s": torch.randn(*shape, dtype=d)}))
    # (appended after the cases above, so their random draws, and values, stay as they were)
    # pools in ceil mode and padded average pools; distinct values (no arg-max ties), negative near the border
    x = (torch.randperm(2 * 3 * 9 * 8, dtype=d) / 50 - 6).reshape(2, 3, 9, 8)
    cases.append(case("maxpool_ceil", lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), x, {}, kernel=3, stride=2, pad=1))
    for k, s_, p, ceil, count in [(3, 2, 1, True, False), (2, 2, 1, False, True), (3, 2, 0, True, True), (3, 1, 1, False, False)]:
        cases.append(case("avgpool", lambda x, k=k, s_=s_, p=p, ceil=ceil, count=count: F.avg_pool2d(x, k, s_, p, ceil, count), x, {},
                          kernel=k, stride=s_, pad=p, ceil=ceil, count_include_pad=count))
    x = torch.rand(2, 3, 5, 7, dtype=d) * 16 - 8
    for name, fn in [("tanh", torch.tanh), ("gelu", F.gelu), ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"))]:
        cases.append(case(name, lambda x, fn=fn: fn(x), x, {}))
    # arithmetic with per-channel constants (an imported model's x * s + b and x / d)
    x = torch.randn(2, 3, 5, 7, dtype=d)
    scale, shift, by = torch.randn(3, dtype=d), torch.randn(3, dtype=d), torch.rand(3, dtype=d) + 0.5
    scale, shift, by = [v.float().double() for v in (scale, shift, by)]  # float values, as the layer holds them
    cases.append(case("affine", lambda x: torch.addcmul(shift.reshape(3, 1, 1), x, scale.reshape(3, 1, 1)), x, {},
                      scale=flat(scale), shift=flat(shift)))
    cases.append(case("divide", lambda x: x / by.reshape(3, 1, 1), x, {}, by=flat(by)))
    # adaptive average pools: shrinking with overlapping windows (VGG's 7×7 from 8×8), growing, rectangular
    for size, out in [((8, 8), (7, 7)), ((3, 2), (7, 5)), ((9, 7), (4, 3))]:
        x = torch.randn(2, 3, *size, dtype=d)
        cases.append(case("adaptive_avgpool", lambda x, out=out: F.adaptive_avg_pool2d(x, out), x, {}, out_h=out[0], out_w=out[1]))
    # general convolutions: Inception's 1×7, a dilated 3×3, stride (2, 1), padding='same' with an even kernel (uneven padding,
    # which PyTorch pads explicitly) and a dilation (1, 2) with stride (1, 2); spec is the layer's model-definition text
    for cin, cout, k, s_, dil, pad, spec, bias in [
            (3, 4, (1, 7), 1, 1, (0, 3), "kernel=1,7 pad=0,3", True),
            (3, 4, (3, 3), 1, 2, 2, "kernel=3 dilation=2 pad=2", True),
            (2, 5, (3, 3), (2, 1), 1, 1, "kernel=3 stride=2,1 pad=1", False),
            (3, 4, (2, 4), 1, 1, "same", "kernel=2,4 pad=same", True),
            (2, 3, (3, 2), (1, 2), (1, 2), (1, 0), "kernel=3,2 stride=1,2 dilation=1,2 pad=1,0", True)]:
        x = torch.randn(2, cin, 9, 8, dtype=d)
        w = torch.randn(cout, cin, *k, dtype=d)
        b = torch.randn(cout, dtype=d) if bias else None
        cases.append(case("general_conv", lambda x, w, b=None, s_=s_, pad=pad, dil=dil: F.conv2d(x, w, b, s_, pad, dil), x, {"w": w, "b": b},
                          spec=f"conv2d out={cout} {spec}" + ("" if bias else " bias=false")))
    with open(sys.argv[1], "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {sys.argv[1]} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
