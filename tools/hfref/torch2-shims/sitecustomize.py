"""Stand-ins that let transformers 4.51.3 run on Debian's torch 1.13.1 (it asks for torch >= 2.0).

tools/setup-hf-reference.sh puts this folder first on PYTHONPATH of an environment built from transformers
4.51 or later, so Python imports this module at start-up, before transformers. None of it is in the model's
arithmetic: six torch 2 names transformers imports or calls on its way to the eager forward pass. Each is
applied only where this torch lacks it, and APPLIED lists the ones applied (make_hf_reference.py records it):

- torch.distributed.tensor: modeling_utils imports it (torch >= 2.4); used only for tensor parallelism.
- torch.compiler: disable() as a decorator at import, is_compiling() / is_exporting(); nothing is compiled
  here, so disable() returns the function as it is and both questions answer False.
- torch.float8_e4m3fn / float8_e5m2: entries of modeling_utils' safetensors dtype table; a placeholder no
  tensor's dtype equals (the fixtures hold float32 and bfloat16 only).
- Module.named_parameters / named_buffers(remove_duplicate=False) (torch 2.0): finding tied weights.
- Module.load_state_dict(assign=True) (torch 2.1): loading each tensor from the file into the model built on
  the meta device; the parameter becomes the file's tensor instead of being copied into.
- torch.distributed.fsdp: generate() asks whether the model is FSDP-wrapped; torch 1.13's module does not
  import on Python 3.11, so a class nothing is an instance of answers no.

This shadows Debian's own sitecustomize, which only installs the apport crash hook.
"""

import sys
import types

import torch
import torch.distributed

APPLIED = []


def _module(name, **names):
    module = types.ModuleType(name, "stand-in from tools/hfref/torch2-shims (this torch has no such module)")
    module.__dict__.update(names)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)
    APPLIED.append(name)


class _NeverInstantiated:
    """A class no object is an instance of: isinstance checks against it are False."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} is a torch 2 stand-in of tools/hfref/torch2-shims")


try:
    import torch.distributed.tensor  # noqa: F401
except ImportError:
    _module("torch.distributed.tensor", DTensor=type("DTensor", (_NeverInstantiated,), {}))


def _disable(fn=None, recursive=True):
    """torch.compiler.disable: outside torch.compile it changes nothing."""
    return fn if fn is not None else (lambda f: f)


if not hasattr(torch, "compiler"):
    _module("torch.compiler", disable=_disable, is_compiling=lambda: False, is_exporting=lambda: False)


class _AbsentDtype:
    """Stands for a torch 2 dtype in lookup tables; no tensor's dtype equals it (equality is identity)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<torch.{self.name}: absent in torch {torch.__version__}>"


for _name in ("float8_e4m3fn", "float8_e5m2"):
    if not hasattr(torch, _name):
        setattr(torch, _name, _AbsentDtype(_name))
        APPLIED.append(f"torch.{_name}")


def _accepting_remove_duplicate(original, members_of):
    """named_parameters / named_buffers with torch 2.0's remove_duplicate. True (the default) is torch 1.13's
    own method; False yields a tensor under every name that holds it (a tied weight twice), which
    integrations/accelerate.py's find_tied_parameters reads to see which names share a tensor."""

    def named(self, prefix="", recurse=True, remove_duplicate=True):
        if remove_duplicate:
            yield from original(self, prefix=prefix, recurse=recurse)
            return
        modules = self.named_modules(prefix=prefix, remove_duplicate=False) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, tensor in members_of(module):
                if tensor is not None:
                    yield (module_prefix + "." if module_prefix else "") + name, tensor

    named.__doc__ = original.__doc__
    return named


if "remove_duplicate" not in torch.nn.Module.named_parameters.__code__.co_varnames:
    torch.nn.Module.named_parameters = _accepting_remove_duplicate(
        torch.nn.Module.named_parameters, lambda module: module._parameters.items())
    torch.nn.Module.named_buffers = _accepting_remove_duplicate(
        torch.nn.Module.named_buffers, lambda module: module._buffers.items())
    APPLIED.append("Module.named_parameters/named_buffers(remove_duplicate)")


def _load_state_dict_accepting_assign(original):
    """load_state_dict with torch 2.1's assign: each named parameter (or buffer) becomes the given tensor
    itself, as a Parameter keeping requires_grad, instead of being copied into (a meta tensor cannot be)."""

    def load_state_dict(self, state_dict, strict=True, assign=False):
        if not assign:
            return original(self, state_dict, strict=strict)
        missing = [k for k, _ in (*self.named_parameters(), *self.named_buffers()) if k not in state_dict]
        unexpected = []
        for key, tensor in state_dict.items():
            owner_path, _, name = key.rpartition(".")
            owner = self.get_submodule(owner_path) if owner_path else self
            if owner._parameters.get(name) is not None:
                old = owner._parameters[name]
                if old.shape != tensor.shape:
                    raise RuntimeError(f"size mismatch for {key}: checkpoint {tuple(tensor.shape)}, model {tuple(old.shape)}")
                owner._parameters[name] = torch.nn.Parameter(tensor, requires_grad=old.requires_grad)
            elif owner._buffers.get(name) is not None:
                owner._buffers[name] = tensor
            else:
                unexpected.append(key)
        if strict and (missing or unexpected):
            raise RuntimeError(f"load_state_dict(assign=True): missing {missing}, unexpected {unexpected}")
        return torch.nn.modules.module._IncompatibleKeys(missing, unexpected)

    load_state_dict.__doc__ = original.__doc__
    return load_state_dict


if "assign" not in torch.nn.Module.load_state_dict.__code__.co_varnames:
    torch.nn.Module.load_state_dict = _load_state_dict_accepting_assign(torch.nn.Module.load_state_dict)
    APPLIED.append("Module.load_state_dict(assign)")

try:
    import torch.distributed.fsdp  # noqa: F401
except ValueError:  # torch 1.13 on Python 3.11: a dataclass field with a mutable default
    _module("torch.distributed.fsdp",
            FullyShardedDataParallel=type("FullyShardedDataParallel", (_NeverInstantiated,), {}))
