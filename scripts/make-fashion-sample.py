#!/usr/bin/env python3
"""Make the class-balanced, seeded Fashion-MNIST sample bundled in data/fashion-mnist-sample.

Picks 1,000 training images per class from the training set and 200 test images per
class from the t10k set, keeps the chosen images in their original order, and writes
standard IDX files, gzipped with mtime=0 so that re-running gives identical bytes.

Python 3 standard library only. Usage:
    python3 scripts/make-fashion-sample.py --out data/fashion-mnist-sample
"""
import argparse
import gzip
import os
import random
import struct
import sys

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 20200523  # fixed: the sample must be reproducible
NUM_CLASSES = 10
SPLITS = (  # (IDX name prefix, samples per class)
    ("train", 1000),
    ("t10k", 200),
)


def fail(msg):
    sys.exit("make-fashion-sample: " + msg)


def read_idx(path, want_dims):
    """Return (dims, payload bytes) of an unsigned-byte IDX file, raw or gzip."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":  # gzip magic, whatever the file is called
        data = gzip.decompress(data)
    if len(data) < 4:
        fail(f"{path}: file is {len(data)} bytes, too short for an IDX header")
    zero0, zero1, type_code, ndims = data[:4]
    if zero0 != 0 or zero1 != 0:
        fail(f"{path}: bad magic {data[:4].hex()}: expected 0000 then type and dim count")
    if type_code != 0x08:
        fail(f"{path}: type code 0x{type_code:02x}, expected 0x08 (unsigned byte)")
    if ndims != want_dims:
        fail(f"{path}: {ndims} dimensions, expected {want_dims}")
    header = 4 + 4 * ndims
    if len(data) < header:
        fail(f"{path}: header needs {header} bytes, file has {len(data)}")
    dims = struct.unpack(">" + "I" * ndims, data[4:header])
    size = 1
    for d in dims:
        size *= d
    if len(data) - header != size:
        fail(f"{path}: payload is {len(data) - header} bytes, dims {dims} need {size}")
    return dims, data[header:]


def write_idx_gz(path, dims, payload):
    header = struct.pack(">BBBB", 0, 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    # mtime=0 and no file name in the gzip header: identical bytes on every run.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(header)
            gz.write(payload)


def locate(source, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(source, candidate)
        if os.path.exists(path):
            return path
    fail(f"neither {name}.gz nor {name} found in {source}")


def sample_split(source, out, prefix, per_class, rng):
    img_path = locate(source, f"{prefix}-images-idx3-ubyte")
    lbl_path = locate(source, f"{prefix}-labels-idx1-ubyte")
    (n, rows, cols), pixels = read_idx(img_path, 3)
    (n_labels,), labels = read_idx(lbl_path, 1)
    if n != n_labels:
        fail(f"{img_path} has {n} images but {lbl_path} has {n_labels} labels")

    by_class = [[] for _ in range(NUM_CLASSES)]
    for i, label in enumerate(labels):
        if label >= NUM_CLASSES:
            fail(f"{lbl_path}: label {label} at byte offset {8 + i}, expected 0..9")
        by_class[label].append(i)

    chosen = []
    for c, indices in enumerate(by_class):
        if len(indices) < per_class:
            fail(f"{lbl_path}: class {c} has {len(indices)} images, need {per_class}")
        chosen.extend(rng.sample(indices, per_class))
    chosen.sort()  # keep the original order of the chosen images

    image_size = rows * cols
    out_pixels = b"".join(pixels[i * image_size:(i + 1) * image_size] for i in chosen)
    out_labels = bytes(labels[i] for i in chosen)
    write_idx_gz(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), (len(chosen), rows, cols), out_pixels)
    write_idx_gz(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), (len(chosen),), out_labels)
    print(f"{prefix}: {len(chosen)} of {n} images ({per_class} per class), {rows}x{cols}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=DEBIAN_DIR,
                        help=f"directory with the full Fashion-MNIST IDX files (default {DEBIAN_DIR})")
    parser.add_argument("--out", required=True, help="directory to write the sample to")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    # One generator, used train then test, so the whole sample follows from SEED.
    rng = random.Random(SEED)
    for prefix, per_class in SPLITS:
        sample_split(args.source, args.out, prefix, per_class, rng)


if __name__ == "__main__":
    main()
