"""An import-only stand-in for Hugging Face's `tokenizers` (its Rust extension is not installable here).

transformers 4.44 imports `tokenizers` at module level even to build models; these names exist so
the imports succeed, and using any of them raises. The fixture tokenizers are written by
tools/make_hf_reference.py itself and checked against the real Rust library through .NET.
"""

__version__ = "0.19.1+importonly"


class _Unavailable:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("this is the import-only tokenizers stub of tools/hfref: the Rust tokenizers library is not installed")

    @classmethod
    def from_file(cls, *args, **kwargs):
        cls()

    from_str = from_pretrained = from_buffer = from_file


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return type(name, (_Unavailable,), {})
