#!/usr/bin/env python3
"""Reference forward and backward values of the upsampling layers (ConvTranspose2d, nearest and bilinear
upsampling) from PyTorch's autograd in float64, for core's UpsamplingPyTorchGradientTest.

    python3 scripts/torch_upsampling_gradients.py core/src/test/resources/torch-upsampling-gradients.json

Each case: the op and its settings, input x, weights w (and bias b), the upstream gradient r, and PyTorch's
y = op(x), dx, dw, db for L = sum(r * y). Needs torch.
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
    torch.manual_seed(23)
    d = torch.float64
    cases = []
    # U-Net's 2×2 stride 2, a 3×3 stride 2 with output padding, a 4×4 stride 2 pad 1 (DCGAN's), bias-free, stride 3
    for cin, cout, k, s, p, op, bias in [(4, 3, 2, 2, 0, 0, True), (3, 5, 3, 2, 1, 1, True), (2, 4, 4, 2, 1, 0, False),
                                         (3, 2, 3, 3, 0, 2, True)]:
        x = torch.randn(2, cin, 5, 4, dtype=d)
        w = torch.randn(cin, cout, k, k, dtype=d)
        b = torch.randn(cout, dtype=d) if bias else None
        cases.append(case("convtranspose", lambda x, w, b=None, s=s, p=p, op=op: F.conv_transpose2d(x, w, b, s, p, op), x,
                          {"w": w, "b": b}, out=cout, kernel=k, stride=s, pad=p, output_pad=op))
    x = torch.randn(2, 3, 5, 4, dtype=d)
    for sh, sw, mode, align in [(2, 2, "nearest", None), (3, 2, "nearest", None), (2, 2, "bilinear", False), (3, 4, "bilinear", False),
                                (2, 2, "bilinear", True), (4, 3, "bilinear", True)]:
        cases.append(case("upsample", lambda x, sh=sh, sw=sw, mode=mode, align=align:
                          F.interpolate(x, scale_factor=(sh, sw), mode=mode, align_corners=align), x, {},
                          scale_h=sh, scale_w=sw, mode=mode, align_corners=bool(align)))
    with open(sys.argv[1], "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {sys.argv[1]} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
