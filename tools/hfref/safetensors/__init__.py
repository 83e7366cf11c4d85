"""A pure-Python stand-in for the `safetensors` package (its Rust extension is not installable here).

Implements what transformers 4.44 and 4.51 use: `safe_open` (keys, metadata, get_tensor, get_slice) here and
`safetensors.torch.save_file/load_file/storage_ptr/storage_size`, and the names PEFT 0.12 and accelerate 0.33
import without calling on the paths used here (`SafetensorError`, `safetensors.torch.load_model/save_model`). The format: an 8-byte
little-endian header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}
padded with spaces to a multiple of 8 bytes, then the raw little-endian tensor bytes.
"""

import json
import struct

__version__ = "0.4.5+purepython"

DTYPES = {
    "F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
    "I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8", "BOOL": "bool",
}


class SafetensorError(Exception):
    """The real package's error type; PEFT imports it."""


def read_header(path):
    """Returns (header dict, byte offset where the data starts)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length).decode("utf-8"))
    return header, 8 + length


class safe_open:  # noqa: N801 - the real package's name
    """Opens a .safetensors file; tensors are read on request."""

    def __init__(self, path, framework="pt", device="cpu"):
        if framework not in ("pt", "torch"):
            raise ValueError(f"this stand-in reads only PyTorch tensors, not framework={framework!r}")
        self.path = str(path)
        self.device = device
        self.header, self.data_start = read_header(self.path)
        self._metadata = self.header.pop("__metadata__", None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def keys(self):
        return list(self.header.keys())

    def metadata(self):
        return self._metadata

    def get_tensor(self, name):
        from .torch import tensor_from_bytes
        entry = self.header[name]
        begin, end = entry["data_offsets"]
        with open(self.path, "rb") as f:
            f.seek(self.data_start + begin)
            raw = f.read(end - begin)
        return tensor_from_bytes(raw, entry["dtype"], entry["shape"]).to(self.device)

    def get_slice(self, name):
        return _Slice(self.get_tensor(name), self.header[name]["dtype"])


class _Slice:
    def __init__(self, tensor, dtype):
        self.tensor = tensor
        self.dtype = dtype

    def get_shape(self):
        return list(self.tensor.shape)

    def get_dtype(self):
        """The file's dtype code ("F32", "BF16"), as the real package gives it; transformers 4.51 maps it to torch."""
        return self.dtype

    def __getitem__(self, index):
        return self.tensor[index]
