#!/usr/bin/env python3
"""Writes the PEFT reference fixture the C# LoRA parity test compares against.

Loads the committed tiny Llama fixture (tests/GenRM.Tests/Fixtures/hf-reference/llama) with
transformers, wraps it with PEFT's get_peft_model and a LoraConfig on every projection, gives the
adapters seeded random values (B is zero when fresh, which would test nothing), saves them with
PEFT's save_pretrained into tests/GenRM.Tests/Fixtures/peft-reference/llama-lora/, reloads that
folder with PeftModel.from_pretrained onto a fresh base model, and writes reference.json: the
versions, the prompts' ids and the adapted model's float32 logits at every position (full precision).

Needs the transformers 4.44.2 environment with PEFT 0.12.0 and accelerate 0.33.0 in it
(tools/setup-hf-reference.sh with PEFT_SRC and ACCELERATE_SRC set). From the repository root:

    DEST/bin/python tools/make_peft_reference.py

One thread, so the logits are the same on every run (threaded float sums differ in the last bits).

With --ours it checks the other direction: it loads the adapter the C# code saved
(tests/GenRM.Tests/Fixtures/peft-reference/ours-lora/, written by the same code as
LoraPeftParityTests.AdaptersSavedHereLoadInPeftAndGiveOurLogits) with PeftModel.from_pretrained and
writes PEFT's logits beside it as reference.json.
"""

import json
import platform
import shutil
import sys
from pathlib import Path

import accelerate
import peft
import torch
import transformers
from peft import LoraConfig, PeftModel, get_peft_model

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "hf-reference" / "llama"
OUT = ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "peft-reference" / "llama-lora"
OURS = ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "peft-reference" / "ours-lora"
PROMPTS = [[1, 17, 42, 256, 99, 7], [285, 5, 6, 7, 8, 9, 10, 11]]
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def load_base():
    return transformers.AutoModelForCausalLM.from_pretrained(BASE, torch_dtype=torch.float32, attn_implementation="eager").eval()


def main():
    torch.set_num_threads(1)
    torch.manual_seed(20)
    config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=TARGETS, task_type="CAUSAL_LM")
    model = get_peft_model(load_base(), config)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "lora_B" in name:
                parameter.normal_(0.0, 0.5)
    if OUT.exists():
        shutil.rmtree(OUT)
    model.save_pretrained(OUT)
    (OUT / "README.md").unlink(missing_ok=True)  # PEFT's model card template, nothing the test reads
    # The folder's config.json-free layout is what vLLM and SGLang read too; base_model_name_or_path
    # is the local fixture path, which means nothing elsewhere.
    adapter_config = json.loads((OUT / "adapter_config.json").read_text())
    adapter_config["base_model_name_or_path"] = "hf-reference/llama"
    adapter_config["target_modules"] = sorted(adapter_config["target_modules"])  # PEFT writes a set, in hash order
    (OUT / "adapter_config.json").write_text(json.dumps(adapter_config, indent=2, sort_keys=True) + "\n")

    write_reference(OUT, "LoRA r 4, alpha 8, every projection, B drawn N(0, 0.5) after torch.manual_seed(20); saved by PEFT, reloaded by PeftModel.from_pretrained")


def write_reference(folder, what):
    """PEFT's float32 logits at every position of PROMPTS for the adapter in folder, reloaded onto a fresh base."""
    reloaded = PeftModel.from_pretrained(load_base(), folder).eval()
    prompts = []
    with torch.no_grad():
        for ids in PROMPTS:
            logits = reloaded(input_ids=torch.tensor([ids])).logits[0].float()
            prompts.append({"input_ids": ids, "all_logits": [[float(v) for v in row] for row in logits]})
    reference = {
        "generator": "tools/make_peft_reference.py",
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
                     "peft": peft.__version__, "accelerate": accelerate.__version__},
        "base": "hf-reference/llama",
        "what": what,
        "logits_dtype": "float32",
        "prompts": prompts,
    }
    (folder / "reference.json").write_text(json.dumps(reference) + "\n")
    print(f"wrote {folder / 'reference.json'}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] == ["--ours"]:
        torch.set_num_threads(1)
        write_reference(OURS, "the adapter saved by GenRM Workbench's LoraAdapterFiles (r 8, alpha 16, q_proj, v_proj, down_proj; A and B drawn N(0, 0.3)), loaded by PeftModel.from_pretrained")
    else:
        main()
