#!/usr/bin/env python3
"""Writes a model file as PyTorch users write one: a panama-cnn model file loaded into PyTorch
(scripts/pytorch_roundtrip.py), trained for one step there (batch norm's running statistics move
and its num_batches_tracked, an int64 scalar, becomes 1), and saved with safetensors.torch.save_file
of the whole state_dict and the original file's metadata. core's SafeTensorsTest reads it back.

    python3 scripts/pytorch_state_dict_fixture.py IN.safetensors OUT.safetensors

Needs torch and safetensors.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_roundtrip import build, load_weights, read_safetensors  # noqa: E402


def main():
    import torch
    from safetensors.torch import save_file
    tensors, meta = read_safetensors(sys.argv[1])
    model = build(meta, torchvision=False)
    load_weights(model, tensors, meta)
    torch.manual_seed(3)
    shape = [int(d) for d in meta["input_shape"].split(",")]
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss = model(torch.randn(4, *shape)).logsumexp(1).mean()
    loss.backward()
    opt.step()
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, sys.argv[2], metadata=meta)
    kinds = sorted({str(v.dtype) for v in state.values()})
    print(f"wrote {sys.argv[2]}: {len(state)} tensors ({', '.join(kinds)}), torch {torch.__version__}")


if __name__ == "__main__":
    main()
