"""The `safetensors.torch` functions transformers 4.44 uses, in pure Python (see the package docstring)."""

import json
import os
import struct

import torch

from . import DTYPES, safe_open

TORCH_DTYPES = {code: getattr(torch, name) for code, name in DTYPES.items()}
CODES = {dtype: code for code, dtype in TORCH_DTYPES.items()}


def tensor_from_bytes(raw, code, shape):
    dtype = TORCH_DTYPES[code]
    if len(raw) == 0:
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(bytearray(raw), dtype=dtype).reshape(shape).clone()


def storage_ptr(tensor):
    try:
        return tensor.untyped_storage().data_ptr()
    except (AttributeError, NotImplementedError):
        return tensor.storage().data_ptr()


def storage_size(tensor):
    try:
        return tensor.untyped_storage().nbytes()
    except (AttributeError, NotImplementedError):
        return tensor.storage().size() * tensor.element_size()


def save(tensors, metadata=None):
    """The file's bytes; tensors in the order given, as the Rust package writes them (sorted by dtype
    alignment there, which only changes offsets, not what a reader gets back)."""
    header = {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().contiguous().cpu()
        # bytes through a uint8 view: numpy has no bfloat16, so no .numpy() here
        raw = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        header[name] = {"dtype": CODES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata is not None:
        header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}, **header}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def save_file(tensors, filename, metadata=None):
    data = save(tensors, metadata)
    temporary = f"{filename}.tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, filename)


def load_file(filename, device="cpu"):
    with safe_open(filename, framework="pt", device=device) as f:
        return {name: f.get_tensor(name) for name in f.keys()}


def load(data):
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    header.pop("__metadata__", None)
    start = 8 + length
    return {name: tensor_from_bytes(data[start + e["data_offsets"][0]:start + e["data_offsets"][1]], e["dtype"], e["shape"])
            for name, e in header.items()}


def load_model(model, filename, strict=True, device="cpu"):
    """Imported by accelerate; not implemented in the stand-in."""
    raise NotImplementedError("safetensors.torch.load_model is not in the pure-Python stand-in")


def save_model(model, filename, metadata=None, force_contiguous=False):
    """Imported by accelerate; not implemented in the stand-in."""
    raise NotImplementedError("safetensors.torch.save_model is not in the pure-Python stand-in")
