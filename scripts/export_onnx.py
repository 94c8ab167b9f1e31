#!/usr/bin/env python3
"""Exports a panama-cnn model file to ONNX through PyTorch, for the ONNX Runtime benchmark.

    /usr/bin/python3 scripts/export_onnx.py MODEL.safetensors OUT.onnx [--check-images N]

Rebuilds the network as a torch.nn.Sequential from the file's metadata (scripts/pytorch_roundtrip.py),
loads the weights, and exports it with a dynamic batch dimension (input "input" [batch, C, H, W],
output "logits" [batch, classes]; opset 13). Softmax is left to the caller, as panama-cnn's
Predictor applies it after the logits. Needs PyTorch (e.g. Debian's python3-torch).
"""
import argparse, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_roundtrip import read_safetensors, build, load_weights  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("out")
    args = ap.parse_args()
    import torch
    tensors, meta = read_safetensors(args.model)
    model = build(meta)
    load_weights(model, tensors)
    model.eval()
    shape = [int(d) for d in meta["input_shape"].split(",")]
    example = torch.zeros([1] + shape)
    torch.onnx.export(model, example, args.out, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13,
                      dynamo=False) if "dynamo" in torch.onnx.export.__code__.co_varnames else \
        torch.onnx.export(model, example, args.out, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    print(f"wrote {args.out} (torch {torch.__version__}, input [batch, {', '.join(map(str, shape))}])")


if __name__ == "__main__":
    main()
