#!/usr/bin/env python3
"""Writes the Hugging Face reference fixtures the C# parity tests compare against.

For each variant in VARIANTS (one per model family and per config switch that changes the
forward pass) it builds a tiny random model with Hugging Face transformers, saves it with
save_pretrained(safe_serialization=True) into <out>/<name>/ beside a small byte-level BPE tokenizer,
reloads the folder, and writes <out>/<name>/reference.json: the versions that made it, the prompts'
ids, float32 logits of every prompt position, the greedy continuation of each prompt alone, a
left-padded batch of the prompts continued greedily with the KV cache (as generate() does), and
tokenizer samples with the ids Hugging Face's Rust tokenizers library gives, with and without
special tokens.

Each family's fixtures are made with one transformers release (FAMILIES): 4.44.2 for all but qwen3, and
4.51.3 (the first with Qwen3) for qwen3, both on torch 1.13 (CPU), each in its own environment; a run
writes the variants of the release it runs with. See tools/README.md and tools/setup-hf-reference.sh for
the environments, and the tokenizer reference tool in tools/hfref/tokenizer-reference (needs the dotnet
SDK and NuGet). From the repository root:

    /work/hfref/bin/python tools/make_hf_reference.py [--out FOLDER] [--only NAME ...]
    /work/hfref/transformers-qwen3/bin/python tools/make_hf_reference.py [--only qwen3]
"""

import argparse
import copy
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bpe_training import apply_merge, byte_symbols

import huggingface_hub
import regex
import torch
import transformers

ROOT = Path(__file__).resolve().parent.parent
# What tools/hfref/torch2-shims stood in for, when the environment loads them (transformers 4.51 on torch 1.13).
TORCH2_STAND_INS = getattr(sys.modules.get("sitecustomize"), "APPLIED", None)
TOKENIZER_REFERENCE = ROOT / "tools" / "hfref" / "tokenizer-reference"
VOCAB_SIZE = 288  # 256 byte symbols, the merges and 3 special tokens
NEW_TOKENS = 8
MAX_FOLDER_BYTES = 200_000
MAX_TOTAL_BYTES = 3_000_000

# Tiny shapes: hidden 32, 2 layers, 4 heads of 8, 2 key/value heads (grouped-query attention).
COMMON = dict(
    vocab_size=VOCAB_SIZE,
    hidden_size=32,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    hidden_act="silu",
    rms_norm_eps=1e-5,
    max_position_embeddings=64,
    torch_dtype="float32",
    attn_implementation="eager",
)

# Prompts as fixed token ids (so the model parity does not depend on the tokenizer); two lengths,
# so the batched run has left padding.
PROMPTS = [[1, 17, 42, 256, 99, 7], [200, 3, 250]]

# ---------------------------------------------------------------------------------------------
# Tokenizers: a byte-level BPE trained here (Hugging Face's tokenizers library is not installable
# on the machine this runs on), written in tokenizer.json's layout, and checked against the Rust
# library through tools/hfref/tokenizer-reference.

LLAMA3_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

# Llama 3 style: BOS added by the post-processor, merges ignored for whole-word vocabulary entries.
# Qwen2 style: NFC normalizer, every digit alone, no BOS.
TOKENIZER_STYLES = {
    "llama3": dict(pattern=LLAMA3_PATTERN, nfc=False, ignore_merges=True, bos="<|begin_of_text|>",
                   specials=["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"],
                   eos="<|end_of_text|>", pad=None),
    "qwen2": dict(pattern=QWEN2_PATTERN, nfc=True, ignore_merges=False, bos=None,
                  specials=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                  eos="<|im_end|>", pad="<|endoftext|>"),
}

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Which response is better? Answer A or B, then explain why.",
    "To add 347 and 285: 7+5=12, write 2 carry 1; 4+8+1=13, write 3 carry 1; 3+2+1=6. So 347+285=632.",
    "Sure! Here is the answer: the list sorted is [1, 3, 5, 8].",
    "I cannot help with that request, but here is something related that I can do.",
]

TOKENIZER_SAMPLES = [
    "Hello world! 12+34=46",
    "Which response is better? A",
    "  spaces\tand\nnewlines,\r\n\r\n ünïcödé 日本語 🙂",
    "Decomposed: e\u0301 and composed: \u00e9; don't WE'LL",
    "<|im_start|>user\nhi<|im_end|><|end_of_text|>",
    "1234567 the the the",
]


BYTE_SYMBOLS = byte_symbols()


def train_bpe(pattern, merge_count):
    """Merges by counting: split the corpus with the pre-tokenizer regex, then repeatedly merge the
    most frequent adjacent pair (ties broken by the pair itself, so the result is deterministic)."""
    words = Counter()
    for line in CORPUS:
        for piece in regex.findall(pattern, line):
            words[tuple(BYTE_SYMBOLS[b] for b in piece.encode("utf-8"))] += 1
    merges = []
    for _ in range(merge_count):
        pairs = Counter()
        for word, count in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += count
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        words = apply_merge(words, best)
    return merges


def tokenizer_files(style_name):
    """tokenizer.json and tokenizer_config.json contents for a style."""
    style = TOKENIZER_STYLES[style_name]
    merges = train_bpe(style["pattern"], VOCAB_SIZE - 256 - len(style["specials"]))
    vocab = {BYTE_SYMBOLS[b]: b for b in range(256)}
    for left, right in merges:
        vocab[left + right] = len(vocab)
    assert len(vocab) == 256 + len(merges), "a merge repeats a token"
    specials = {token: len(vocab) + i for i, token in enumerate(style["specials"])}
    bos = style["bos"]
    if bos is not None:
        post_processor = {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {bos: {"id": bos, "ids": [specials[bos]], "tokens": [bos]}},
        }
    else:
        post_processor = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t, i in specials.items()],
        "normalizer": {"type": "NFC"} if style["nfc"] else None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": style["pattern"]}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": post_processor,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                  "ignore_merges": style["ignore_merges"], "vocab": vocab,
                  "merges": [f"{left} {right}" for left, right in merges]},
    }
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": COMMON["max_position_embeddings"],
              "bos_token": bos, "eos_token": style["eos"], "pad_token": style["pad"],
              "clean_up_tokenization_spaces": False}
    return tokenizer, {k: v for k, v in config.items() if v is not None}, specials


def rust_tokenizer_ids(tokenizer, texts):
    """Each text's ids from Hugging Face's Rust tokenizers (Tokenizers.DotNet); its Encode adds the
    post-processor's special tokens, so the ids without them come from the same file with no
    post-processor."""
    without = dict(tokenizer, post_processor=None)
    answers = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, content in [("with", tokenizer), ("without", without)]:
            path = Path(scratch, f"{name}.json")
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
            request = Path(scratch, f"{name}-request.json")
            request.write_text(json.dumps({"tokenizer": str(path), "texts": texts}), encoding="utf-8")
            command = ["dotnet", "run", "--no-build", "--project", str(TOKENIZER_REFERENCE), "-c", "Release", "--", str(request)]
            run = subprocess.run(command, check=True, capture_output=True, text=True)
            answers.append(json.loads(run.stdout.strip().splitlines()[-1]))
    return answers[0]["library"], answers[0]["ids"], answers[1]["ids"]


def tokenizer_reference(style_name, tokenizer, specials):
    library, with_special, without_special = rust_tokenizer_ids(tokenizer, TOKENIZER_SAMPLES)
    bos = TOKENIZER_STYLES[style_name]["bos"]
    for text, a, b in zip(TOKENIZER_SAMPLES, with_special, without_special):
        # The two differ by the BOS the post-processor adds, and by nothing else.
        assert a == ([specials[bos]] if bos else []) + b, f"special tokens differ unexpectedly for {text!r}"
    return {
        "library": library,
        "samples": [{"text": t, "ids_without_special_tokens": b, "ids_with_special_tokens": a}
                    for t, a, b in zip(TOKENIZER_SAMPLES, with_special, without_special)],
    }


# ---------------------------------------------------------------------------------------------
# Variants: one per family and per switch that changes the forward pass. `check` names an extra
# self-check; `save` how the folder is written.

def variant(name, family, seed, what, style="llama3", prompts=PROMPTS, save=None, check=None, **config):
    return dict(name=name, family=family, seed=seed, what=what, style=style, prompts=prompts,
                save=save or {}, check=check, config=config)


# family: its transformers config and model classes, and the release its fixtures are made with. Qwen3 needs
# 4.51, which runs here only with torch 2 stand-ins (tools/hfref/torch2-shims); the other families stay on
# 4.44.2, which needs none, so their fixtures do not change.
FAMILIES = {"llama": ("LlamaConfig", "LlamaForCausalLM", "4.44.2"),
            "mistral": ("MistralConfig", "MistralForCausalLM", "4.44.2"),
            "qwen2": ("Qwen2Config", "Qwen2ForCausalLM", "4.44.2"),
            "qwen3": ("Qwen3Config", "Qwen3ForCausalLM", "4.51.3")}

LONG_PROMPTS = [[5, 60, 61, 62, 9, 140, 141, 77, 78], [30, 31, 32, 33, 34]]

VARIANTS = [
    variant("llama", "llama", 11, "no rope scaling (theta 10000), untied lm_head, GQA 4 heads / 2 kv heads",
            rope_theta=10000.0, tie_word_embeddings=False),
    variant("llama-rope-llama3", "llama", 12, "rope_scaling llama3 (factor 8, low 1, high 4, original 8192), theta 5e5: of head_dim 8's "
            "four wavelengths (6, 167, 4443, 118000 positions) two are kept, one smoothed, one divided by 8", rope_theta=500000.0,
            rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                          "original_max_position_embeddings": 8192}),
    variant("llama-rope-linear", "llama", 13, "rope_scaling linear, factor 4 (positions divided by 4)",
            rope_scaling={"rope_type": "linear", "factor": 4.0}),
    variant("llama-rope-dynamic", "llama", 14,
            "rope_scaling dynamic (NTK), factor 2, max_position_embeddings 8: the 9-token prompt is past 8 "
            "already, the 5-token one goes past it while generating; transformers recomputes the frequencies "
            "from the largest position of each forward call (cached keys keep those they were made with). "
            "Tied embeddings keep the folder small",
            prompts=LONG_PROMPTS, max_position_embeddings=8, rope_scaling={"rope_type": "dynamic", "factor": 2.0},
            tie_word_embeddings=True),
    variant("llama-attention-bias", "llama", 15, "attention_bias true: biases on q_proj, k_proj, v_proj and o_proj",
            attention_bias=True),
    variant("llama-mlp-bias", "llama", 16, "mlp_bias true: biases on gate_proj, up_proj and down_proj", mlp_bias=True),
    variant("llama-mqa", "llama", 17, "multi-query attention: 1 key/value head for 4 query heads", num_key_value_heads=1),
    variant("llama-mha", "llama", 18, "multi-head attention: 4 key/value heads", num_key_value_heads=4),
    variant("llama-tied", "llama", 19, "tie_word_embeddings true on a Llama (no lm_head.weight in the file)",
            tie_word_embeddings=True),
    variant("llama-sharded", "llama", 20, "weights in 3 shards with model.safetensors.index.json",
            save={"max_shard_size": "60KB"}),
    variant("llama-bf16", "llama", 21, "weights saved in bfloat16 (torch_dtype bfloat16); reference logits computed "
            "in float32 from the bfloat16 weights upcast", save={"dtype": "bfloat16"}),
    variant("qwen2", "qwen2", 22, "q/k/v biases (no o_proj bias), tied embeddings, theta 1e6, Qwen2-style tokenizer",
            style="qwen2", rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=False),
    variant("mistral", "mistral", 23, "sliding_window 4096, longer than every sequence (no effect)",
            sliding_window=4096),
    variant("mistral-sliding-window", "mistral", 24,
            "sliding_window 3, shorter than both prompts (each position sees itself and the 2 before), "
            "also during cached generation. Tied embeddings keep the folder small", check="window",
            prompts=[[1, 17, 42, 256, 99, 7, 120, 33], [200, 3, 250, 31, 64]], sliding_window=3,
            tie_word_embeddings=True),
    variant("mistral-head-dim", "mistral", 25, "explicit head_dim 16 with hidden 32 and 4 heads (q_proj 32 -> 64)",
            head_dim=16, sliding_window=None),
    # As Qwen3-0.6B's config has it: tied, theta 1e6, no q/k/v bias, no sliding window (sliding_window null:
    # transformers 4.51's mask applies a non-null sliding_window even with use_sliding_window false).
    variant("qwen3", "qwen3", 26, "per-head RMSNorm q_norm/k_norm (weights 1 + 0.5 N(0,1)) on q and k before rope, "
            "explicit head_dim 16 with hidden 32 and 4 heads (q_proj 32 -> 64, o_proj 64 -> 32), no q/k/v bias, "
            "tied, theta 1e6, Qwen2-style tokenizer", style="qwen2", check="qk_norm", head_dim=16,
            rope_theta=1000000.0, tie_word_embeddings=True, attention_bias=False, use_sliding_window=False,
            sliding_window=None, max_window_layers=2),
]
# Llama and Qwen2 in transformers 4.44 have no head_dim field (the attention uses hidden / heads),
# and Qwen2's eager attention ignores use_sliding_window (it warns): neither can be a reference here.


def randomize(model, seed):
    """Replaces transformers' small initialisation (std 0.02, nearly uniform logits, fragile greedy
    ties) by larger fixed-seed values, so logits differ clearly and greedy choices are stable."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in sorted(model.named_parameters()):
            noise = torch.randn(parameter.shape, generator=generator, dtype=torch.float32)
            if name.endswith(("q_norm.weight", "k_norm.weight")):
                # Qwen3's per-head norms far from 1, so a norm applied without its weight shows
                parameter.copy_(1.0 + 0.5 * noise)
            elif name.endswith("norm.weight"):
                parameter.copy_(1.0 + 0.1 * noise)
            elif name.endswith(".bias"):
                parameter.copy_(0.3 * noise)
            else:  # standard deviation 1/sqrt(fan_in): activations and logits of order 1
                parameter.copy_(noise / parameter.shape[-1] ** 0.5)


def rounded(values):
    return [round(float(v), 6) for v in values]


# Every reference computation starts from a copy of the loaded model: dynamic rope keeps state
# (the longest position seen) between forward calls.

def logits_of(model, ids):
    with torch.no_grad():
        return copy.deepcopy(model)(torch.tensor([ids])).logits[0].float()


def generate(model, ids, mask, pad_id):
    """generate(do_sample=False) with the KV cache; returns the new tokens and each step's raw logits."""
    with torch.no_grad():
        out = copy.deepcopy(model).generate(
            torch.tensor(ids), attention_mask=torch.tensor(mask), max_new_tokens=NEW_TOKENS, do_sample=False,
            num_beams=1, eos_token_id=None, pad_token_id=pad_id, use_cache=True,
            return_dict_in_generate=True, output_logits=True)
    return out.sequences[:, len(ids[0]):].tolist(), [step.float() for step in out.logits]


def check_margins(name, step_logits):
    """Greedy choices must not hinge on a near tie: the C# model may differ from transformers by
    rounding (1e-5), so the best logit must lead the second by far more."""
    for step, logits in enumerate(step_logits):
        top = logits.topk(2, dim=-1).values
        margin = (top[:, 0] - top[:, 1]).min().item()
        assert margin > 1e-3, f"{name}: greedy step {step} is a near tie (margin {margin})"


def greedy_by_recompute(model, ids):
    """Argmax decoding by full recompute, no cache."""
    ids = list(ids)
    for _ in range(NEW_TOKENS):
        ids.append(int(torch.argmax(logits_of(model, ids)[-1])))
    return ids[-NEW_TOKENS:]


def left_padded(prompts, pad_id):
    width = max(len(p) for p in prompts)
    return ([[pad_id] * (width - len(p)) + p for p in prompts],
            [[0] * (width - len(p)) + [1] * len(p) for p in prompts])


def model_reference(spec, model, pad_id):
    prompts = []
    for ids in spec["prompts"]:
        new_tokens, step_logits = generate(model, [ids], [[1] * len(ids)], pad_id)
        check_margins(spec["name"], step_logits)
        if "dynamic" not in json.dumps(spec["config"]):
            # With dynamic rope, transformers' cached keys keep the frequencies of the call that made
            # them, so cached and recomputed decoding differ by design; elsewhere they must agree.
            assert new_tokens[0] == greedy_by_recompute(model, ids), f"{spec['name']}: generate() and recompute disagree"
        prompts.append({"input_ids": ids, "all_logits": [rounded(row) for row in logits_of(model, ids)],
                        "greedy_new_tokens": new_tokens[0]})
    padded_ids, mask = left_padded(spec["prompts"], pad_id)
    batch_tokens, step_logits = generate(model, padded_ids, mask, pad_id)
    check_margins(spec["name"], step_logits)
    batched = {
        "input_ids": padded_ids,
        "attention_mask": mask,
        "pad_token_id": pad_id,
        "greedy_new_tokens": batch_tokens,
        "first_step_logits": [rounded(row) for row in step_logits[0]],
        "last_step_logits": [rounded(row) for row in step_logits[-1]],
    }
    return prompts, batched


def check_window(spec, model, prompts):
    """The window must change the logits (else the fixture proves nothing), and cached generation
    must apply it too: it agrees with recomputing the whole windowed sequence each step."""
    unwindowed = copy.deepcopy(model)
    unwindowed.config.sliding_window = None
    for prompt in prompts:
        ids = prompt["input_ids"]
        difference = (logits_of(model, ids) - logits_of(unwindowed, ids)).abs().max().item()
        assert difference > 1e-2, f"{spec['name']}: the window changes the logits by only {difference}"
        assert prompt["greedy_new_tokens"] == greedy_by_recompute(model, ids), "cached generation ignores the window"


def check_qk_norm(spec, model, prompts):
    """Qwen3's q_norm/k_norm must matter: dropping them, or normalising without their weights, must change
    the logits (by > 1e-2), so a model that skips either cannot pass."""
    dropped, unweighted = copy.deepcopy(model), copy.deepcopy(model)
    with torch.no_grad():
        for dropped_layer, unweighted_layer in zip(dropped.model.layers, unweighted.model.layers):
            dropped_layer.self_attn.q_norm = dropped_layer.self_attn.k_norm = torch.nn.Identity()
            unweighted_layer.self_attn.q_norm.weight.fill_(1.0)
            unweighted_layer.self_attn.k_norm.weight.fill_(1.0)
    for prompt in prompts:
        ids = prompt["input_ids"]
        for what, changed in (("without q_norm/k_norm", dropped), ("with unit q_norm/k_norm weights", unweighted)):
            difference = (logits_of(model, ids) - logits_of(changed, ids)).abs().max().item()
            assert difference > 1e-2, f"{spec['name']}: logits {what} differ by only {difference}"
            print(f"{spec['name']}: logits {what} differ by {difference:.3f} on {ids}", file=sys.stderr)


CHECKS = {"window": check_window, "qk_norm": check_qk_norm}


def build(spec, out, tokenizer_cache):
    config_name, model_name, _ = FAMILIES[spec["family"]]
    config_class, model_class = getattr(transformers, config_name), getattr(transformers, model_name)
    tokenizer, tokenizer_config, specials, tokenizer_samples = tokenizer_cache[spec["style"]]
    style = TOKENIZER_STYLES[spec["style"]]
    settings = dict(COMMON, **spec["config"])
    settings["bos_token_id"] = specials.get(style["bos"]) if style["bos"] else None
    settings["eos_token_id"] = specials[style["eos"]]
    config = config_class(**settings)
    torch.manual_seed(spec["seed"])
    model = model_class(config).eval()
    randomize(model, spec["seed"])
    model.generation_config.eos_token_id = None  # greedy always runs the full NEW_TOKENS

    folder = out / spec["name"]
    if folder.exists():
        shutil.rmtree(folder)
    dtype = spec["save"].get("dtype")
    saved = copy.deepcopy(model).to(getattr(torch, dtype)) if dtype else model
    if dtype:
        saved.config.torch_dtype = dtype
    saved.save_pretrained(folder, safe_serialization=True, max_shard_size=spec["save"].get("max_shard_size", "5GB"))
    (folder / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=1) + "\n", encoding="utf-8")

    # The reference is the folder as transformers loads it, in float32 (bf16 weights upcast).
    loaded = model_class.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager").eval()
    if not dtype:
        for ids in spec["prompts"]:
            assert torch.equal(logits_of(model, ids), logits_of(loaded, ids)), "the saved folder does not reproduce the model"
    sharded = (folder / "model.safetensors.index.json").exists()
    assert sharded == ("max_shard_size" in spec["save"]), f"{spec['name']}: sharding is not as asked"

    pad_id = specials[style["pad"]] if style["pad"] else specials[style["eos"]]
    prompts, batched = model_reference(spec, loaded, pad_id)
    if spec["check"]:
        CHECKS[spec["check"]](spec, loaded, prompts)
    reference = {
        "generator": "tools/make_hf_reference.py",
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__, "huggingface_hub": huggingface_hub.__version__},
        **({"torch2_stand_ins": TORCH2_STAND_INS} if TORCH2_STAND_INS else {}),
        "model_class": model_class.__name__,
        "what": spec["what"],
        "weights_dtype": dtype or "float32",
        "logits_dtype": "float32",
        "logits_rounding": "6 decimals",
        "greedy": f"{NEW_TOKENS} new tokens, generate(do_sample=False, use_cache=True), no stop at EOS",
        "prompts": prompts,
        "batched": batched,
        "tokenizer": tokenizer_samples,
    }
    (folder / "reference.json").write_text(json.dumps(reference, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in folder.iterdir())
    assert size < MAX_FOLDER_BYTES, f"{spec['name']} is {size} bytes, over {MAX_FOLDER_BYTES}"
    return size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "hf-reference")
    parser.add_argument("--only", nargs="*", help="variant names to (re)write; default all")
    args = parser.parse_args()
    unknown = set(args.only or []) - {spec["name"] for spec in VARIANTS}
    if unknown:
        raise SystemExit(f"no such variant: {', '.join(sorted(unknown))}")
    chosen = [spec for spec in VARIANTS if not args.only or spec["name"] in args.only]
    # Each variant is written by the transformers release its family is pinned to (FAMILIES).
    other = [spec for spec in chosen if FAMILIES[spec["family"]][2] != transformers.__version__]
    if args.only and other:
        raise SystemExit(" ".join(f"{spec['name']} is made with transformers {FAMILIES[spec['family']][2]}, "
                                  f"this is {transformers.__version__} (see tools/README.md)." for spec in other))
    if other:
        print(f"left for their own transformers: {', '.join(spec['name'] for spec in other)}", file=sys.stderr)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    subprocess.run(["dotnet", "build", str(TOKENIZER_REFERENCE), "-c", "Release", "-v", "q"], check=True, capture_output=True)

    tokenizers = {}
    for name in TOKENIZER_STYLES:
        tokenizer, tokenizer_config, specials = tokenizer_files(name)
        tokenizers[name] = tokenizer, tokenizer_config, specials, tokenizer_reference(name, tokenizer, specials)
    for spec in chosen:
        if spec in other:
            continue
        size = build(spec, args.out, tokenizers)
        print(f"wrote {args.out / spec['name']} ({size} bytes)", file=sys.stderr)

    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"fixtures: {total} bytes", file=sys.stderr)
    if total > MAX_TOTAL_BYTES:
        raise SystemExit(f"fixtures are {total} bytes, over the {MAX_TOTAL_BYTES}-byte budget: shrink the models or prompts")


if __name__ == "__main__":
    main()
