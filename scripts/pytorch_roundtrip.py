#!/usr/bin/env python3
"""Loads a panama-cnn model file into PyTorch and checks that PyTorch classifies images as
panama-cnn does.

    scripts/pytorch_roundtrip.py MODEL.safetensors [IDX_IMAGES] [--count N]

It reads the safetensors file with the standard library and numpy only (no safetensors
package), rebuilds the network from the architecture in the file's metadata as a
torch.nn.Sequential, loads the weights with load_state_dict (the tensor names are PyTorch's),
runs the first N images of an IDX image file (default: the bundled sample's test images),
normalised as panama-cnn does, and compares with `./panama-cnn predict` on the same images:
every predicted class must agree and every top probability within 0.1 percentage points.
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


def _graph(body):
    """A module running "name(in, in): spec | ..." nodes in order; children named as the nodes."""
    import torch
    import torch.nn as nn
    nodes, previous = [], "input"
    for part in _split(body):
        head, spec = part.split(":", 1)
        head, spec = head.strip(), spec.strip()
        name, inputs = (head.split("(", 1)[0].strip(), [s.strip() for s in head.split("(", 1)[1].rstrip(")").split(",")]) \
            if "(" in head else (head, [previous])
        nodes.append((name, inputs, spec if spec in ("add", "concat") else layer(spec)))
        previous = name

    class Graph(nn.Module):
        def __init__(self):
            super().__init__()
            for name, _, op in nodes:
                if isinstance(op, nn.Module):
                    self.add_module(name, op)

        def forward(self, x):
            values = {"input": x}
            for name, inputs, op in nodes:
                xs = [values[i] for i in inputs]
                if op == "add":
                    y = xs[0]
                    for t in xs[1:]:
                        y = y + t
                elif op == "concat":
                    y = torch.cat(xs, 1)
                else:
                    y = getattr(self, name)(xs[0])
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
    a = {k: (v == "true" if v in ("true", "false") else float(v) if "." in v or "e" in v else int(v))
         for k, v in (p.split("=") for p in pairs)}
    return {
        "conv2d": lambda: nn.Conv2d(a["in"], a["out"], a["kernel"], a["stride"], a["pad"], groups=a.get("groups", 1),
                                    bias=a.get("bias", True)),
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


def build(meta):
    import torch.nn as nn
    return nn.Sequential(*[layer(spec) for spec in json.loads(meta["architecture"])])


def load_weights(model, tensors):
    """load_state_dict with the file's tensors; batch norm's num_batches_tracked (unused in
    evaluation, not in panama-cnn's files) is the only key allowed to be missing."""
    import torch
    result = model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items() if not k.startswith("optimizer.")},
                                   strict=False)
    missing = [k for k in result.missing_keys if not k.endswith("num_batches_tracked")]
    assert not missing and not result.unexpected_keys, f"missing {missing}, unexpected {result.unexpected_keys}"


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("images", nargs="?", default=os.path.join(ROOT, "data", "fashion-mnist-sample", "t10k-images-idx3-ubyte.gz"))
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--save-probs", metavar="FILE",
                    help="also write PyTorch's probabilities (float32, little-endian, count x classes) for tests")
    args = ap.parse_args()
    try:
        import numpy as np
        import torch
    except ImportError:
        print("PyTorch is not installed (e.g. apt-get install python3-torch); nothing checked", file=sys.stderr)
        return 2

    tensors, meta = read_safetensors(args.model)
    model = build(meta)
    load_weights(model, tensors)
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
    classes = meta.get("classes", "").split(",")
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
