#!/usr/bin/env python3
"""Writes the model definitions of torchvision's ResNet-18, ResNet-50 and MobileNetV2 to models/large/.

    scripts/make_torchvision_definitions.py [--out DIR]

Each is a graph whose node names are torchvision's module paths (conv1, layer1.0.bn1,
layer1.0.downsample.0, features.3.conv.1.0, classifier.1), so the model file panama-cnn saves
names its tensors as torchvision's state_dict does and scripts/pytorch_roundtrip.py loads it into
torchvision.models.resnet18(num_classes=N) etc. with load_state_dict(strict=True). Nodes without
tensors (ReLUs, merges, pooling) get names torchvision's modules would not clash with. Only the
standard library is needed; the files are committed, this script is how they were made.
"""
import argparse, json, os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def node(name, layer, inputs=None):
    n = {"name": name, "layer": layer}
    if inputs is not None:
        n["inputs"] = inputs
    return n


def conv(out, kernel, stride=1, pad=0, groups=1):
    return (f"conv2d out={out} kernel={kernel}" + (f" stride={stride}" if stride != 1 else "")
            + (f" pad={pad}" if pad else "") + (f" groups={groups}" if groups != 1 else "") + " bias=false")


def resnet(blocks, bottleneck):
    """torchvision.models.resnet: 7×7 stem, padded max-pool, four stages, global pool, fc."""
    nodes = [node("conv1", conv(64, 7, 2, 3)), node("bn1", "batchnorm2d"), node("relu", "relu"),
             node("maxpool", "maxpool2d window=3 stride=2 pad=1")]
    x, channels, expansion = "maxpool", 64, 4 if bottleneck else 1
    for stage, count in enumerate(blocks, start=1):
        planes = 64 << (stage - 1)
        for b in range(count):
            p, stride = f"layer{stage}.{b}.", 2 if stage > 1 and b == 0 else 1
            if bottleneck:  # 1×1 reduce, 3×3 (the stride, as torchvision's v1.5), 1×1 expand
                nodes += [node(p + "conv1", conv(planes, 1), x), node(p + "bn1", "batchnorm2d"), node(p + "relu1", "relu"),
                          node(p + "conv2", conv(planes, 3, stride, 1)), node(p + "bn2", "batchnorm2d"), node(p + "relu2", "relu"),
                          node(p + "conv3", conv(planes * expansion, 1)), node(p + "bn3", "batchnorm2d")]
            else:
                nodes += [node(p + "conv1", conv(planes, 3, stride, 1), x), node(p + "bn1", "batchnorm2d"), node(p + "relu1", "relu"),
                          node(p + "conv2", conv(planes, 3, 1, 1)), node(p + "bn2", "batchnorm2d")]
            main, shortcut = nodes[-1]["name"], x
            if stride != 1 or channels != planes * expansion:
                nodes += [node(p + "downsample.0", conv(planes * expansion, 1, stride), x), node(p + "downsample.1", "batchnorm2d")]
                shortcut = p + "downsample.1"
            nodes += [node(p + "add", "add", [main, shortcut]), node(p + "out", "relu")]
            x, channels = p + "out", planes * expansion
    nodes += [node("avgpool", "globalavgpool2d"), node("flatten", "flatten"), node("fc", "dense out=classes")]
    return nodes


def mobilenet_v2():
    """torchvision.models.mobilenet_v2 (width 1.0): inverted residuals with depthwise 3×3 convolutions and ReLU6."""
    def conv_bn_relu6(p, out, kernel, stride=1, groups=1, inputs=None):
        return [node(p + "0", conv(out, kernel, stride, (kernel - 1) // 2, groups), inputs),
                node(p + "1", "batchnorm2d"), node(p + "2", "relu6")]

    nodes = conv_bn_relu6("features.0.", 32, 3, 2)
    x, channels, index = "features.0.2", 32, 1
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride, hidden, p = s if i == 0 else 1, channels * t, f"features.{index}.conv."
            layers, k = [], 0
            if t != 1:
                layers += conv_bn_relu6(f"{p}{k}.", hidden, 1, inputs=x)
                k += 1
            layers += conv_bn_relu6(f"{p}{k}.", hidden, 3, stride, hidden, inputs=None if layers else x)
            layers += [node(f"{p}{k + 1}", conv(c, 1)), node(f"{p}{k + 2}", "batchnorm2d")]
            nodes += layers
            if stride == 1 and channels == c:
                nodes.append(node(f"features.{index}.add", "add", [layers[-1]["name"], x]))
            x, channels, index = nodes[-1]["name"], c, index + 1
    nodes += conv_bn_relu6(f"features.{index}.", 1280, 1, inputs=x)
    nodes += [node("avgpool", "globalavgpool2d"), node("flatten", "flatten"),
              node("classifier.0", "dropout p=0.2"), node("classifier.1", "dense out=classes")]
    return nodes


MODELS = {
    "resnet18": ("torchvision's ResNet-18 (torchvision.models.resnet18): 7×7 stride-2 stem, padded 3×3 max-pool, four stages of two "
                 "basic blocks (64-128-256-512 channels, 1×1 conv + BN projections where the shape changes), bias-free convolutions "
                 "before batch norm, global average pooling, fc. Tensor names are torchvision's state_dict keys. 11,689,512 parameters "
                 "with 1,000 classes.", resnet([2, 2, 2, 2], False)),
    "resnet50": ("torchvision's ResNet-50 (torchvision.models.resnet50): the ResNet-18 stem, then bottleneck blocks (1×1, 3×3 with the "
                 "stride, 1×1 to 4× the width) in stages of 3, 4, 6, 3. Tensor names are torchvision's state_dict keys. 25,557,032 "
                 "parameters with 1,000 classes.", resnet([3, 4, 6, 3], True)),
    "mobilenet_v2": ("torchvision's MobileNetV2 (torchvision.models.mobilenet_v2, width 1.0): 17 inverted residual blocks (1×1 expansion, "
                     "depthwise 3×3, 1×1 projection; batch norm and ReLU6; a sum where the shape is kept), a 1×1 conv to 1280 channels, "
                     "global average pooling, dropout 0.2, a dense classifier. Tensor names are torchvision's state_dict keys. 3,504,872 "
                     "parameters with 1,000 classes.", mobilenet_v2()),
}


def tidy(nodes):
    """Leaves out "inputs" where a node reads the node before it, the default (the first reads the input)."""
    for before, n in zip([{"name": "input"}] + nodes, nodes):
        if n.get("inputs") in (before["name"], [before["name"]]) and n["layer"] not in ("add", "concat"):
            del n["inputs"]
    return nodes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "large"))
    args = ap.parse_args()
    for name, (description, nodes) in MODELS.items():
        lines = ",\n    ".join(json.dumps(n, ensure_ascii=False) for n in tidy(nodes))
        text = (f'{{\n  "description": {json.dumps(description, ensure_ascii=False)},\n  "input": "3,224,224",\n'
                f'  "graph": [\n    {lines}\n  ]\n}}\n')
        path = os.path.join(args.out, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path}: {len(nodes)} nodes")


if __name__ == "__main__":
    main()
