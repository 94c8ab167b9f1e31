#!/usr/bin/env python3
"""Loads a panama-cnn model file into PyTorch and checks that PyTorch classifies images as
panama-cnn does.

    scripts/pytorch_roundtrip.py MODEL.safetensors [IDX_IMAGES] [--count N]
    scripts/pytorch_roundtrip.py --compare-logits MODEL.safetensors INPUTS.f32 LOGITS.f32 [--compare-logits ...] [--tol 1e-4]

It reads the safetensors file with the standard library and numpy only (no safetensors
package), rebuilds the network from the architecture in the file's metadata as a
torch.nn.Sequential (or, for a model that is one graph named from the root, as that graph
module), and loads the weights with load_state_dict(strict=True): the tensor names are PyTorch's.
When the architecture is a torchvision model with torchvision's state_dict names (the
definitions models/large/resnet18.json, resnet50.json, mobilenet_v2.json), the model is
torchvision's own class, e.g. torchvision.models.resnet18(num_classes=N), once a check on a random
input shows it computes what the literal architecture does. It then runs the first N images of an
IDX image file (default: the bundled sample's test images), normalised as panama-cnn does, and
compares with `./panama-cnn predict` on the same images: every predicted class must agree and
every top probability within 0.1 percentage points. With --compare-logits it runs raw inputs
instead and compares the logits panama-cnn computed for them (as many models as given, in one
process: importing PyTorch is the slow part).
Exit status 0 when they agree, 1 when they do not, 2 when PyTorch is not installed.
"""
import argparse, gzip, json, os, re, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEAN, STD = 0.2860, 0.3530  # org.panamacnn.data.Dataset.PIXEL_MEAN / PIXEL_STD


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}"
        begin, end = info["data_offsets"]
        data = np.frombuffer(blob[8 + n + begin:8 + n + end], dtype="<f4").reshape(info["shape"])
        tensors[name] = data.copy()
    return tensors, meta


def _bracketed(spec, key):
    """The text between key's '[' and its matching ']' at the top level of spec, or None."""
    depth, i = 0, 0
    while i < len(spec):
        if depth == 0 and spec.startswith(key, i):
            d, k = 1, i + len(key)
            for j in range(k, len(spec)):
                d += {"[": 1, "]": -1}.get(spec[j], 0)
                if d == 0:
                    return spec[k:j]
            raise ValueError(f"unclosed [ in {spec!r}")
        depth += {"[": 1, "]": -1}.get(spec[i], 0)
        i += 1
    return None


def _path(text):
    return [layer(part) for part in _split(text)]


def _split(text):
    """The parts of text between '|' outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text + "|"):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            if text[start:i].strip():
                parts.append(text[start:i].strip())
            start = i + 1
    return parts


def _attach(root, path, module):
    """Adds module at the dotted path ("layer1.0.conv1") under root, making empty containers on the way."""
    import torch.nn as nn
    *parents, last = path.split(".")
    for part in parents:
        if part not in root._modules:
            root.add_module(part, nn.Module())
        root = root._modules[part]
    root.add_module(last, module)


def _graph(body):
    """A module running "name(in, in): spec | ..." nodes in order; children named as the nodes
    (a dotted name "layer1.0.conv1" is a module nested as PyTorch nests it)."""
    import torch
    import torch.nn as nn
    nodes, previous = [], "input"
    for part in _split(body):
        head, spec = part.split(":", 1)
        head, spec = head.strip(), spec.strip()
        name, inputs = (head.split("(", 1)[0].strip(), [s.strip() for s in head.split("(", 1)[1].rstrip(")").split(",")]) \
            if "(" in head else (head, [previous])
        nodes.append((name, inputs, spec if spec in ("add", "concat", "mul") else layer(spec)))
        previous = name

    class Graph(nn.Module):
        def __init__(self):
            super().__init__()
            self.ops = []  # (name, inputs, merge or module), the modules also registered under their dotted names
            for name, inputs, op in nodes:
                if isinstance(op, nn.Module):
                    _attach(self, name, op)
                self.ops.append((name, inputs, op))

        def forward(self, x):
            values = {"input": x}
            for name, inputs, op in self.ops:
                xs = [values[i] for i in inputs]
                if op == "add":
                    y = xs[0]
                    for t in xs[1:]:
                        y = y + t
                elif op == "concat":
                    y = torch.cat(xs, 1)
                elif op == "mul":
                    y = xs[0] * xs[1]
                else:
                    y = op(xs[0])
                values[name] = y
            return y
    return Graph()


def _HardSigmoid(alpha, beta):
    """ONNX's HardSigmoid with its own alpha and beta: min(max(alpha·x + beta, 0), 1)."""
    import torch.nn as nn

    class HardSigmoid(nn.Module):
        def forward(self, x):
            return (alpha * x + beta).clamp(0, 1)
    return HardSigmoid()


def layer(spec):
    """One torch module from a panama-cnn layer spec (the architecture metadata's text)."""
    import torch.nn as nn
    if spec.startswith("graph"):
        return _graph(_bracketed(spec, "nodes=["))
    if spec.startswith("residual"):
        class Residual(nn.Module):
            def __init__(self, main, shortcut):
                super().__init__()
                self.main, self.shortcut = nn.Sequential(*main), nn.Sequential(*shortcut)

            def forward(self, x):
                return self.main(x) + self.shortcut(x)
        return Residual(_path(_bracketed(spec, "main=[")), _path(_bracketed(spec, "shortcut=[") or ""))
    kind, *pairs = spec.split()
    if kind == "upsample":  # scale=S or scale=H,W; mode=bilinear [align_corners=true]
        u = dict(p.split("=") for p in pairs)
        scale = tuple(float(v) for v in u["scale"].split(","))
        mode = u.get("mode", "nearest")
        return nn.Upsample(scale_factor=scale if len(scale) == 2 else scale[0], mode=mode,
                           align_corners=(u.get("align_corners") == "true") if mode == "bilinear" else None)
    a = {k: _value(v) for k, v in (p.split("=") for p in pairs)}
    later = _later_specs()
    if kind in later:
        return later[kind](a)
    return {
        "conv2d": lambda: nn.Conv2d(a["in"], a["out"], a["kernel"], a["stride"], a["pad"], groups=a.get("groups", 1),
                                    bias=a.get("bias", True)),
        "convtranspose2d": lambda: nn.ConvTranspose2d(a["in"], a["out"], a["kernel"], a["stride"], a["pad"],
                                                      output_padding=a.get("output_pad", 0), bias=a.get("bias", True)),
        "relu": lambda: nn.ReLU(),
        "leakyrelu": lambda: nn.LeakyReLU(a["slope"]),
        "relu6": lambda: nn.ReLU6(),
        "clip": lambda: nn.Hardtanh(a["min"], a["max"]),
        "hardsigmoid": lambda: nn.Hardsigmoid() if "alpha" not in a else _HardSigmoid(a["alpha"], a["beta"]),
        "hardswish": lambda: nn.Hardswish(),
        "sigmoid": lambda: nn.Sigmoid(),
        "silu": lambda: nn.SiLU(),
        "maxpool2d": lambda: nn.MaxPool2d(a["window"], a["stride"], a.get("pad", 0)),
        "avgpool2d": lambda: nn.AvgPool2d(a["window"], a["stride"]),
        "globalavgpool2d": lambda: nn.AdaptiveAvgPool2d(1),
        "batchnorm2d": lambda: nn.BatchNorm2d(a["channels"]),
        "dropout": lambda: nn.Dropout(a["p"]),
        "flatten": lambda: nn.Flatten(),
        "dense": lambda: nn.Linear(a["in"], a["out"]),
    }[kind]()


def _value(v):
    """A spec setting: true / false, a number, comma-separated numbers (a list), or a word (gelu's approximate=tanh)."""
    if v in ("true", "false"):
        return v == "true"
    if "," in v:
        return [_value(part) for part in v.split(",")]
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def _listed(v):
    return v if isinstance(v, list) else [v]


def _constant_module(fn, values):
    """x -> fn(x, c) with c a scalar or one value per channel ([C, 1, 1]); c is part of the spec, not of the
    state_dict (panama-cnn saves no tensor for it)."""
    import torch
    import torch.nn as nn

    class Constant(nn.Module):
        def forward(self, x):
            c = torch.tensor(values, dtype=x.dtype)
            return fn(x, c.reshape(-1, 1, 1) if c.numel() > 1 else c)
    return Constant()


def _layer_norm_2d(channels, eps):
    """torchvision's ConvNeXt LayerNorm2d (permute to NHWC, layer norm over C, permute back), without importing torchvision."""
    import torch.nn as nn
    import torch.nn.functional as F

    class LayerNorm2d(nn.LayerNorm):
        def forward(self, x):
            x = x.permute(0, 2, 3, 1)
            x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
            return x.permute(0, 3, 1, 2)
    return LayerNorm2d(channels, eps=eps)


def _later_specs():
    """The specs added after the first ones (pools with PyTorch's other settings, the adaptive pool, smooth activations,
    constants, the norms with per-sample statistics), as torch modules."""
    import torch.nn as nn
    eps = lambda a: float(a.get("eps", 1e-5))  # noqa: E731
    return {
        "maxpool2d": lambda a: nn.MaxPool2d(a["window"], a["stride"], a.get("pad", 0), ceil_mode=a.get("ceil", False)),
        "avgpool2d": lambda a: nn.AvgPool2d(a["window"], a["stride"], a.get("pad", 0), ceil_mode=a.get("ceil", False),
                                            count_include_pad=a.get("count_include_pad", True)),
        "adaptiveavgpool2d": lambda a: nn.AdaptiveAvgPool2d(tuple(_listed(a["out"]) * (2 // len(_listed(a["out"]))))),
        "tanh": lambda a: nn.Tanh(),
        "gelu": lambda a: nn.GELU(approximate=a.get("approximate", "none")),
        "affine": lambda a: _constant_module(lambda x, c, s=_listed(a.get("shift", 0.0)): x * c + _shift(x, s),
                                             _listed(a.get("scale", 1.0))),
        "divide": lambda a: _constant_module(lambda x, c: x / c, _listed(a["by"])),
        "layernorm2d": lambda a: _layer_norm_2d(a["channels"], eps(a)),
        "layernorm": lambda a: nn.LayerNorm(_listed(a["shape"]), eps=eps(a)),
        "groupnorm": lambda a: nn.GroupNorm(a["groups"], a["channels"], eps=eps(a)),
    }


def _shift(x, values):
    import torch
    c = torch.tensor(values, dtype=x.dtype)
    return c.reshape(-1, 1, 1) if c.numel() > 1 else c


def build_literal(meta):
    """The architecture exactly as the metadata writes it: an nn.Sequential of the layers, or, for
    a model that is one graph named from the root ("graph root=true ..."), that graph module
    itself, whose state_dict keys are then the node names ("conv1.weight")."""
    import torch.nn as nn
    specs = json.loads(meta["architecture"])
    if len(specs) == 1 and re.match(r"graph\s+root=true\b", specs[0]):
        return layer(specs[0])
    return nn.Sequential(*[layer(spec) for spec in specs])


def import_torchvision():
    """torchvision.models, or None without torchvision. The registry's torchvision wheel is built for
    CUDA; its model code runs on a CPU torch once its fake-kernel registrations are skipped."""
    import torch
    orig = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda f: f)
    try:
        import torchvision.models
        return torchvision.models
    except ImportError:
        return None
    finally:
        torch.library.register_fake = orig


# torchvision classes a model file may be, by the key of their classifier's weight
TORCHVISION = {"resnet18": "fc.weight", "resnet34": "fc.weight", "resnet50": "fc.weight", "resnet101": "fc.weight",
               "resnet152": "fc.weight", "mobilenet_v2": "classifier.1.weight"}


def torchvision_class(model, input_shape):
    """The torchvision model (e.g. torchvision.models.resnet18(num_classes=N), holding model's
    weights) whose class computes what model (a literal build) computes, or None. Its keys and
    shapes must be the class's (compared on the meta device, no memory), and with model's weights
    copied in it must give model's outputs in evaluation mode on a random input."""
    import torch
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    tv = import_torchvision() if any(head in shapes for head in TORCHVISION.values()) else None
    if tv is None:
        return None
    for name, head in TORCHVISION.items():
        if head not in shapes:
            continue
        with torch.device("meta"):
            candidate = getattr(tv, name)(num_classes=shapes[head][0])
        if {k: tuple(v.shape) for k, v in candidate.state_dict().items()} != shapes:
            continue
        candidate = getattr(tv, name)(num_classes=shapes[head][0])
        candidate.load_state_dict(model.state_dict(), strict=True)
        x = torch.randn(1, *input_shape, generator=torch.Generator().manual_seed(0))
        was = model.training
        model.eval(), candidate.eval()
        with torch.no_grad():
            a, b = model(x), candidate(x)
        model.train(was)
        if torch.allclose(a, b, rtol=1e-4, atol=1e-5):
            candidate.train(was)
            candidate.panama_class = "torchvision.models." + name
            return candidate
    return None


def build(meta, torchvision=True):
    """The model a file's metadata describes: torchvision's own class when the architecture is one
    of its models with its state_dict names (e.g. a --model-def models/large/resnet18.json file:
    torchvision.models.resnet18(num_classes=N)), else the literal build. Freshly initialised
    (torchvision's class gets the literal build's initial weights, which is as random)."""
    model = build_literal(meta)
    known = torchvision_class(model, [int(d) for d in meta["input_shape"].split(",")]) if torchvision else None
    return model if known is None else known


def load_weights(model, tensors, meta=None):
    """load_state_dict(strict=True) with the file's tensors. Batch norm's num_batches_tracked is not
    in panama-cnn's files (PyTorch reads it only when momentum=None, never in evaluation): it is
    set to the file's optimizer_steps (a checkpoint's), else 0."""
    import torch
    state = {k: torch.from_numpy(v) for k, v in tensors.items() if not k.startswith("optimizer.")}
    steps = int((meta or {}).get("optimizer_steps", 0))
    for key in model.state_dict():
        if key.endswith("num_batches_tracked") and key not in state:
            state[key] = torch.tensor(steps, dtype=torch.long)
    model.load_state_dict(state, strict=True)


def read_idx_images(path, count):
    import numpy as np
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", data[:16])
    assert magic == 0x803, f"{path}: not an IDX image file"
    count = min(count, n)
    pixels = np.frombuffer(data[16:16 + count * rows * cols], dtype=np.uint8).reshape(count, 1, rows, cols)
    return pixels, rows, cols


def class_names(meta):
    """The metadata's class names: a JSON list (older files: comma-separated), as ClassNames reads them."""
    value = meta.get("classes", "")
    return json.loads(value) if value.lstrip().startswith("[") else value.split(",")


def compare_logits(model, meta, inputs_file, logits_file, tol):
    """Runs model on the inputs and compares with panama-cnn's logits: 0 when every |difference| <= tol, else 1."""
    import numpy as np
    import torch
    shape = [int(d) for d in meta["input_shape"].split(",")]
    x = np.fromfile(inputs_file, dtype="<f4")
    count = x.size // int(np.prod(shape))
    with torch.no_grad():
        ours = model(torch.from_numpy(x.reshape(count, *shape))).numpy()
    theirs = np.fromfile(logits_file, dtype="<f4")
    assert theirs.size == ours.size, f"{logits_file}: {theirs.size} logits, PyTorch gives {count} x {ours.shape[1]}"
    diff, scale = float(np.abs(ours - theirs.reshape(ours.shape)).max()), float(np.abs(ours).max())
    probs = torch.softmax(torch.from_numpy(ours), 1).numpy() - torch.softmax(torch.from_numpy(theirs.reshape(ours.shape)), 1).numpy()
    what = getattr(model, "panama_class", "the literal architecture")
    print(f"PyTorch {torch.__version__}, {what}, load_state_dict(strict=True); {count} inputs {'x'.join(map(str, shape))}: "
          f"max |logit difference| from panama-cnn {diff:.3g} with logits up to {scale:.3g} (accepted: {tol:g} x max(1, "
          f"largest logit)), max |probability difference| {float(np.abs(probs).max()):.3g}")
    return 0 if diff <= tol * max(1.0, scale) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", nargs="?")
    ap.add_argument("images", nargs="?", default=os.path.join(ROOT, "data", "fashion-mnist-sample", "t10k-images-idx3-ubyte.gz"))
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--save-probs", metavar="FILE",
                    help="also write PyTorch's probabilities (float32, little-endian, count x classes) for tests")
    ap.add_argument("--compare-logits", nargs=3, action="append", metavar=("MODEL", "INPUTS", "LOGITS"),
                    help="instead of images: run MODEL (evaluation mode) on INPUTS (float32, little-endian, count x the "
                         "model's input shape) and compare with panama-cnn's LOGITS (count x classes); repeatable")
    ap.add_argument("--tol", type=float, default=1e-4,
                    help="largest |logit difference| --compare-logits accepts, times the largest |logit| when that is above 1 "
                         "(float32 sums in another order differ relative to the values' size); default 1e-4")
    args = ap.parse_args()
    try:
        import numpy as np
        import torch
    except ImportError:
        print("PyTorch is not installed (e.g. apt-get install python3-torch); nothing checked", file=sys.stderr)
        return 2

    if args.compare_logits:
        if args.model:
            ap.error("with --compare-logits the model files are named there, not before")
        failed = 0
        for model_file, inputs, logits in args.compare_logits:
            tensors, meta = read_safetensors(model_file)
            model = build(meta)
            load_weights(model, tensors, meta)
            model.eval()
            print(f"{model_file}: ", end="")
            failed |= compare_logits(model, meta, inputs, logits, args.tol)
        return failed
    if not args.model:
        ap.error("name a model file")
    tensors, meta = read_safetensors(args.model)
    model = build(meta)
    load_weights(model, tensors, meta)
    model.eval()

    pixels, rows, cols = read_idx_images(args.images, args.count)
    x = torch.from_numpy(((pixels.astype(np.float32) / 255.0) - MEAN) / STD)
    with torch.no_grad():
        probs = torch.softmax(model(x), dim=1).numpy()
    if args.save_probs:
        probs.astype("<f4").tofile(args.save_probs)
        print(f"wrote {args.save_probs}: {probs.shape[0]} x {probs.shape[1]} probabilities")

    with tempfile.TemporaryDirectory() as tmp:
        subset = os.path.join(tmp, "images.idx")
        with open(subset, "wb") as f:
            f.write(struct.pack(">IIII", 0x803, len(pixels), rows, cols) + pixels.tobytes())
        out = subprocess.run([os.path.join(ROOT, "panama-cnn"), "predict", "--model", args.model, subset],
                             check=True, capture_output=True, text=True).stdout
    classes = class_names(meta)
    mismatches = 0
    lines = [l for l in out.splitlines() if l.strip()]
    assert len(lines) == len(pixels), f"panama-cnn printed {len(lines)} lines for {len(pixels)} images"
    for i, line in enumerate(lines):
        m = re.search(r":\s+(.+?)\s+\(\s*(.+?) ([\d.]+)%", line)
        name, top = m.group(2), float(m.group(3))
        torch_class = int(probs[i].argmax())
        torch_name = classes[torch_class] if torch_class < len(classes) else f"class {torch_class}"
        torch_top = 100.0 * float(probs[i].max())
        if name != torch_name or abs(top - torch_top) > 0.1:
            mismatches += 1
            print(f"image {i}: panama-cnn {name} {top:.1f}%, PyTorch {torch_name} {torch_top:.2f}%")
    print(f"{len(pixels) - mismatches} of {len(pixels)} images: same class and top probability (within 0.1%) "
          f"in panama-cnn and PyTorch {torch.__version__}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
