#!/usr/bin/env python3
"""Exports torchvision models (random weights) or the tiny test networks to ONNX with PyTorch's
legacy and dynamo exporters, with inputs and PyTorch's logits for checking an importer.

    python3 scripts/export_torchvision.py MODEL --size S --exporter legacy|dynamo --out PREFIX [--count N] [--classes K] [--seed S]
        [--strip-node-metadata]

MODEL: a torchvision.models constructor name (resnet18, mobilenet_v2, ...) or one of the tiny
networks below (tiny-resnet, tiny-resnet50, tiny-mobilenet, tiny-mobilenet-v3, tiny-efficientnet, tiny-vgg,
tiny-squeezenet, tiny-densenet, tiny-regnet, tiny-ops, tiny-conv, tiny-norms) that stand in for them in committed test fixtures, and the
upsampling nets of users' own segmentation / autoencoder-style models (tiny-unet, tiny-bilinear).
Writes PREFIX.onnx (input "input" [batch, 3, S, S] with a dynamic batch axis, output "logits";
opset 17 for the legacy exporter, the dynamo exporter's default otherwise), PREFIX.input.f32
(N random normal images, little-endian float32) and PREFIX.logits.f32 (PyTorch's logits, eval
mode). Needs torch, torchvision, onnx and onnxscript (dynamo); onnxruntime, when present, is
run on the file too and its largest difference from PyTorch printed. --strip-node-metadata drops the
dynamo exporter's per-node provenance strings (module paths, FX nodes: two thirds of a tiny file),
which no runtime reads, so that the committed fixtures stay small.
"""
import argparse
import sys


def import_torchvision_models():
    """torchvision's registry wheel is built for CUDA: skip its fake-kernel registrations on import (reference README)."""
    import torch
    orig = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda f: f)
    try:
        import torchvision.models as models
    finally:
        torch.library.register_fake = orig
    return models


def tiny(name, classes):
    """Small networks built from torchvision's own blocks: every operator of resnet18 / mobilenet_v2, in < 100 KB."""
    import torch.nn as nn
    models = import_torchvision_models()
    if name == "tiny-resnet":
        from torchvision.models.resnet import BasicBlock
        down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        return nn.Sequential(nn.Conv2d(3, 8, 7, 2, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                             nn.MaxPool2d(3, 2, 1), BasicBlock(8, 8), BasicBlock(8, 16, 2, down),
                             nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(1), nn.Linear(16, classes))
    if name == "tiny-mobilenet":
        from torchvision.models.mobilenetv2 import InvertedResidual
        from torchvision.ops.misc import Conv2dNormActivation
        return nn.Sequential(Conv2dNormActivation(3, 8, stride=2, activation_layer=nn.ReLU6),
                             InvertedResidual(8, 8, 1, 1), InvertedResidual(8, 12, 2, 6), InvertedResidual(12, 12, 1, 6),
                             Conv2dNormActivation(12, 24, kernel_size=1, activation_layer=nn.ReLU6),
                             nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(1), nn.Dropout(0.2), nn.Linear(24, classes))
    if name == "tiny-efficientnet":
        from functools import partial
        from torchvision.models.efficientnet import MBConv, MBConvConfig
        from torchvision.ops.misc import Conv2dNormActivation
        norm = partial(nn.BatchNorm2d, eps=1e-3)  # as efficientnet_b0
        return nn.Sequential(Conv2dNormActivation(3, 8, stride=2, norm_layer=norm, activation_layer=nn.SiLU),
                             MBConv(MBConvConfig(1, 3, 1, 8, 8, 1), 0.0, norm), MBConv(MBConvConfig(6, 5, 2, 8, 16, 1), 0.0, norm),
                             MBConv(MBConvConfig(6, 3, 1, 16, 16, 1), 0.1, norm),
                             Conv2dNormActivation(16, 32, kernel_size=1, norm_layer=norm, activation_layer=nn.SiLU),
                             nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Dropout(0.2), nn.Linear(32, classes))
    if name == "tiny-mobilenet-v3":
        from functools import partial
        from torchvision.models.mobilenetv3 import InvertedResidual, InvertedResidualConfig
        from torchvision.ops.misc import Conv2dNormActivation
        norm = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)  # as mobilenet_v3_small
        cfg = partial(InvertedResidualConfig, width_mult=1.0)
        return nn.Sequential(Conv2dNormActivation(3, 8, stride=2, norm_layer=norm, activation_layer=nn.Hardswish),
                             InvertedResidual(cfg(8, 3, 8, 8, True, "RE", 2, 1), norm),
                             InvertedResidual(cfg(8, 3, 24, 16, False, "RE", 1, 1), norm),
                             InvertedResidual(cfg(16, 5, 48, 16, True, "HS", 1, 1), norm),
                             Conv2dNormActivation(16, 24, kernel_size=1, norm_layer=norm, activation_layer=nn.Hardswish),
                             nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(24, 32), nn.Hardswish(), nn.Dropout(0.2),
                             nn.Linear(32, classes))
    if name == "tiny-resnet50":
        from torchvision.models.resnet import Bottleneck
        down1 = nn.Sequential(nn.Conv2d(8, 16, 1, bias=False), nn.BatchNorm2d(16))
        down2 = nn.Sequential(nn.Conv2d(16, 32, 1, 2, bias=False), nn.BatchNorm2d(32))
        return nn.Sequential(nn.Conv2d(3, 8, 7, 2, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                             nn.MaxPool2d(3, 2, 1), Bottleneck(8, 4, 1, down1), Bottleneck(16, 4), Bottleneck(16, 8, 2, down2),
                             nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(1), nn.Linear(32, classes))
    if name == "tiny-vgg":
        # VGG's features (make_layers with batch norm), its AdaptiveAvgPool2d((7, 7)) and a narrow classifier:
        # at 28×28 the pool meets a 7×7 map (the identity), at 32×32 an 8×8 one (overlapping 2×2 windows)
        from torchvision.models.vgg import make_layers
        return nn.Sequential(make_layers([8, "M", 12, "M"], batch_norm=True), nn.AdaptiveAvgPool2d((7, 7)), nn.Flatten(1),
                             nn.Linear(12 * 7 * 7, 16), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(16, classes))
    if name == "tiny-squeezenet":
        from torchvision.models.squeezenet import Fire
        return nn.Sequential(nn.Conv2d(3, 16, 3, 2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True),
                             Fire(16, 4, 8, 8), Fire(16, 4, 8, 8), nn.MaxPool2d(3, 2, ceil_mode=True), Fire(16, 6, 12, 12),
                             nn.Dropout(0.5), nn.Conv2d(24, classes, 1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)),
                             nn.Flatten(1))
    if name == "tiny-densenet":
        from torchvision.models.densenet import DenseNet
        return DenseNet(growth_rate=4, block_config=(3, 2), num_init_features=8, bn_size=2, num_classes=classes)
    if name == "tiny-regnet":
        from torchvision.models.regnet import BlockParams, RegNet
        # RegNetY's blocks: grouped 3×3 convolutions of group width 8 and squeeze-and-excitation
        params = BlockParams(depths=[1, 2], widths=[16, 24], group_widths=[8, 8], bottleneck_multipliers=[1.0, 1.0],
                             strides=[2, 2], se_ratio=0.25)
        return RegNet(params, num_classes=classes, stem_width=8)
    if name == "tiny-ops":
        return TinyOps(classes)
    if name == "tiny-conv":
        return TinyConv(classes)
    if name in ("tiny-unet", "tiny-bilinear"):
        return upsampling_nets()[name](classes)
    if name == "tiny-norms":
        return tiny_norms(classes)
    return getattr(models, name)(weights=None, num_classes=classes)


def tiny_ops_class():
    """A net of the operators users' own models bring: normalisation by constants inside the model,
    GELU (exact and tanh), Tanh, max-pool in ceil mode, padded average pools (count_include_pad
    both ways, ceil mode), and arithmetic with scalar and per-channel constants. Give it --size 18
    (odd pooled sizes, so ceil mode adds windows)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class TinyOps(nn.Module):
        def __init__(self, classes):
            super().__init__()
            self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).reshape(1, 3, 1, 1))
            self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).reshape(1, 3, 1, 1))
            self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
            self.pool1 = nn.MaxPool2d(3, 2, 1, ceil_mode=True)
            self.conv2 = nn.Conv2d(8, 12, 3)
            self.pool2 = nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)
            self.scale = nn.Parameter(torch.rand(12, 1, 1) + 0.5)
            self.conv3 = nn.Conv2d(12, 16, 1)
            self.pool3 = nn.AvgPool2d(2, 2, 1)
            self.fc = nn.Linear(16, classes)

        def forward(self, x):
            x = (x - self.mean) / self.std
            x = self.pool1(F.gelu(self.conv1(x)))
            x = torch.tanh(self.conv2(x)) * 0.5 + 0.25
            x = 1.0 - self.pool2(x) * self.scale
            x = self.pool3(F.gelu(self.conv3(x), approximate="tanh"))
            x = F.adaptive_avg_pool2d(x, 1).flatten(1)
            return self.fc(x) / 2.0

    return TinyOps


def upsampling_nets():
    """An encoder-decoder (conv -> pool -> conv -> ConvTranspose stride 2 with output padding -> Add skip ->
    nearest Upsample -> conv -> pool -> bias-free 2x2 ConvTranspose -> classifier; give it --size 16) and a net of
    bilinear upsampling both ways and a rectangular nearest one (give it --size 12)."""
    import torch.nn as nn
    import torch.nn.functional as F

    class TinyUNet(nn.Module):
        def __init__(self, classes):
            super().__init__()
            self.enc1 = nn.Conv2d(3, 8, 3, padding=1)
            self.pool = nn.MaxPool2d(2)
            self.enc2 = nn.Conv2d(8, 16, 3, padding=1)
            self.up1 = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)
            self.up2 = nn.Upsample(scale_factor=2)
            self.dec = nn.Conv2d(8, 12, 3, padding=1)
            self.pool4 = nn.MaxPool2d(4)
            self.up3 = nn.ConvTranspose2d(12, 6, 2, stride=2, bias=False)
            self.fc = nn.Linear(6, classes)

        def forward(self, x):
            x1 = F.relu(self.enc1(x))
            x2 = F.relu(self.enc2(self.pool(x1)))
            x = x1 + self.up1(x2)
            x = F.relu(self.dec(self.up2(x)))
            x = F.relu(self.up3(self.pool4(x)))
            return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

    class TinyBilinear(nn.Module):
        def __init__(self, classes):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
            self.conv2 = nn.Conv2d(8, 8, 3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(8, 10, 3, padding=1)
            self.fc = nn.Linear(10, classes)

        def forward(self, x):
            x = F.interpolate(self.conv1(x), scale_factor=2, mode="bilinear", align_corners=False)
            x = F.interpolate(F.relu(self.conv2(x)), scale_factor=2, mode="bilinear", align_corners=True)
            x = F.interpolate(self.conv3(x), scale_factor=(2, 3), mode="nearest")
            return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

    return {"tiny-unet": TinyUNet, "tiny-bilinear": TinyBilinear}


def tiny_norms(classes):
    """The norms with per-sample statistics CNNs bring: torchvision's ConvNeXt LayerNorm2d after a patchify stem,
    nn.GroupNorm (4 groups, affine; 2 groups without affine weights; 1 group), nn.LayerNorm over [C, H, W] and
    nn.InstanceNorm2d with affine weights. For --size 32 (the layer norm's shape is fixed to the 8×8 map)."""
    import torch.nn as nn
    from torchvision.models.convnext import LayerNorm2d
    return nn.Sequential(nn.Conv2d(3, 8, 4, 4), LayerNorm2d(8, eps=1e-6), nn.Conv2d(8, 16, 3, padding=1), nn.GroupNorm(4, 16), nn.GELU(),
                         nn.Conv2d(16, 16, 3, padding=1), nn.GroupNorm(2, 16, affine=False), nn.ReLU(),
                         nn.Conv2d(16, 12, 3, padding=1), nn.GroupNorm(1, 12), nn.LayerNorm([12, 8, 8]), nn.ReLU(),
                         nn.InstanceNorm2d(12, affine=True), nn.Conv2d(12, 12, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(1),
                         nn.Linear(12, classes))


def TinyOps(classes):
    return tiny_ops_class()(classes)


def TinyConv(classes):
    """The convolutions beyond square windows: Inception-v3's bias-free 1×7 and 7×1 pair (with batch norm and ReLU),
    a dilated 3×3, a stride (2, 1) convolution and padding='same' with an even kernel (padding 0 above and 1 below,
    1 left and 2 right: auto_pad SAME_UPPER from the legacy exporter, explicit uneven pads from the dynamo one).
    Give it --size 17 (odd sizes)."""
    import torch.nn as nn
    return nn.Sequential(nn.Conv2d(3, 8, (1, 7), padding=(0, 3), bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                         nn.Conv2d(8, 8, (7, 1), padding=(3, 0), bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                         nn.Conv2d(8, 12, 3, padding=2, dilation=2), nn.ReLU(),
                         nn.Conv2d(12, 12, 3, stride=(2, 1), padding=1), nn.ReLU(),
                         nn.Conv2d(12, 16, (2, 4), padding="same"), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(16, classes))


def randomize_batch_norms(model, torch, gen):
    """Running statistics as training leaves them (fresh ones are 0 and 1, which would hide a wrong fold)."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.normal_(0, 0.1, generator=gen)
                m.running_var.uniform_(0.5, 1.5, generator=gen)
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.normal_(0, 0.1, generator=gen)


def randomize_norms(model, torch, gen):
    """Affine weights of the per-sample norms away from PyTorch's 1 and 0 (which would hide a weight read wrongly)."""
    for m in model.modules():
        if isinstance(m, (torch.nn.GroupNorm, torch.nn.LayerNorm, torch.nn.InstanceNorm2d)) and getattr(m, "weight", None) is not None:
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.normal_(0, 0.1, generator=gen)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--exporter", choices=["legacy", "dynamo"], default="legacy")
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=4)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--strip-node-metadata", action="store_true")
    args = ap.parse_args()
    import numpy as np
    import torch
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    model = tiny(args.model, args.classes)
    randomize_batch_norms(model, torch, gen)
    if args.model == "tiny-norms":  # (only here: the other fixtures' random draws stay as they were)
        randomize_norms(model, torch, gen)
    model.eval()
    x = torch.randn(args.count, 3, args.size, args.size, generator=gen)
    with torch.no_grad():
        logits = model(x)
    example = x[:2].clone() if args.count >= 2 else torch.cat([x, x])  # two images: a batch of one would fix the batch axis
    onnx_path = args.out + ".onnx"
    import os
    os.makedirs(os.path.dirname(os.path.abspath(onnx_path)), exist_ok=True)
    if args.exporter == "legacy":
        torch.onnx.export(model, (example,), onnx_path, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17, dynamo=False)
    else:
        batch = torch.export.Dim("batch", min=1, max=1024)
        torch.onnx.export(model, (example,), onnx_path, input_names=["input"], output_names=["logits"],
                          dynamic_shapes=({0: batch},), dynamo=True,
                          external_data=False)
    if args.strip_node_metadata:
        import onnx
        m = onnx.load(onnx_path)
        for node in m.graph.node:
            del node.metadata_props[:]
        onnx.save(m, onnx_path)
    x.numpy().astype("<f4").tofile(args.out + ".input.f32")
    logits.numpy().astype("<f4").tofile(args.out + ".logits.f32")
    msg = f"wrote {onnx_path} ({args.model}, {args.exporter}, 3x{args.size}x{args.size}, torch {torch.__version__})"
    try:
        import onnxruntime as ort
        sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        ort_logits = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]
        msg += f"; ONNX Runtime vs PyTorch max |diff| {np.abs(ort_logits - logits.numpy()).max():.3g}"
    except ImportError:
        pass
    print(msg)


if __name__ == "__main__":
    sys.exit(main())
