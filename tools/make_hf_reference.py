#!/usr/bin/env python3
"""Writes the Hugging Face reference fixtures the C# parity tests compare against.

Builds two tiny random causal language models with Hugging Face transformers - a Llama
(Llama 3 rotary scaling, untied embeddings) and a Qwen2 (q/k/v biases, tied embeddings) - and
a tiny byte-level BPE tokenizer for each, saves each with save_pretrained(safe_serialization=True)
into <out>/<name>/, and writes <out>/<name>/reference.json holding, for fixed prompts, the
float32 logits of every position and of the last one, and the greedy continuation of 8 tokens.

Needs torch, transformers (4.43 or later: rope_type "llama3") and tokenizers. Run from the
repository root:  python tools/make_hf_reference.py   (see tools/README.md).
"""

import argparse
import json
import shutil
from pathlib import Path

import tokenizers
import torch
import transformers
from tokenizers import decoders, models, pre_tokenizers, processors, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

VOCAB_SIZE = 300  # the model's vocabulary; the tokenizer's may be a little smaller, as in real models
NEW_TOKENS = 8
MAX_FIXTURE_BYTES = 1_000_000

# Small shared sizes: hidden 64, 2 layers, 4 heads of 16, 2 key/value heads (grouped-query attention).
COMMON = dict(
    vocab_size=VOCAB_SIZE,
    hidden_size=64,
    intermediate_size=128,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    hidden_act="silu",
    rms_norm_eps=1e-5,
    torch_dtype="float32",
    attn_implementation="eager",
)

# Text to train the tokenizer's merges on: some prose and some worked arithmetic, like MiniWorld's.
CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Which response is better? Answer A or B, then explain why.",
    "To add 347 and 285: 7+5=12, write 2 carry 1; 4+8+1=13, write 3 carry 1; 3+2+1=6. So 347+285=632.",
    "Sure! Here is the answer: the list sorted is [1, 3, 5, 8].",
    "I cannot help with that request, but here is something related that I can do.",
]

# Fixed prompts as token ids (independent of the tokenizer, so the model parity does not depend on it).
PROMPTS = [
    [1, 17, 42, 256, 99],
    [3, 250, 7, 7, 120, 299],
    [200],
]

TOKENIZER_SAMPLES = ["Hello world! 12+34=46", "Which response is better? A", "  spaces\tand\nnewlines, ünïcödé"]


def build_tokenizer(special_tokens, bos_token):
    """A byte-level BPE tokenizer (GPT-2 style pre-tokenization) trained on CORPUS."""
    tok = tokenizers.Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        min_frequency=2,
        special_tokens=special_tokens,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 20, trainer=trainer)
    if bos_token is not None:
        tok.post_processor = processors.TemplateProcessing(
            single=f"{bos_token} $A", pair=f"{bos_token} $A {bos_token} $B",
            special_tokens=[(bos_token, tok.token_to_id(bos_token))])
    else:
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    assert tok.get_vocab_size() <= VOCAB_SIZE, tok.get_vocab_size()
    return tok


def randomize(model, seed):
    """Replaces transformers' small initialisation (std 0.02, nearly uniform logits, fragile greedy
    ties) by larger fixed-seed values, so logits differ clearly and greedy choices are stable."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in sorted(model.named_parameters()):
            noise = torch.randn(parameter.shape, generator=generator, dtype=torch.float32)
            if name.endswith("norm.weight"):
                parameter.copy_(1.0 + 0.1 * noise)
            elif name.endswith(".bias"):
                parameter.copy_(0.1 * noise)
            else:  # standard deviation 1/sqrt(fan_in): activations and logits of order 1
                parameter.copy_(noise / parameter.shape[-1] ** 0.5)


def rounded(values):
    return [round(float(v), 6) for v in values]


def greedy_by_hand(model, ids):
    """Argmax decoding by full recompute: what generate(do_sample=False) must agree with."""
    ids = list(ids)
    for _ in range(NEW_TOKENS):
        logits = model(torch.tensor([ids])).logits[0, -1]
        ids.append(int(torch.argmax(logits)))
    return ids[-NEW_TOKENS:]


def reference(model, hf_tokenizer):
    prompts = []
    for ids in PROMPTS:
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0].float()
            generated = model.generate(
                torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                max_new_tokens=NEW_TOKENS, do_sample=False, num_beams=1,
                eos_token_id=None, pad_token_id=0)
            new_tokens = generated[0, len(ids):].tolist()
            assert new_tokens == greedy_by_hand(model, ids), "generate() and argmax decoding disagree"
        prompts.append({
            "input_ids": ids,
            "last_logits": rounded(logits[-1]),
            "all_logits": [rounded(row) for row in logits],
            "greedy_new_tokens": new_tokens,
        })
    samples = [{"text": text, "input_ids": hf_tokenizer(text)["input_ids"]} for text in TOKENIZER_SAMPLES]
    return {
        "generator": "tools/make_hf_reference.py",
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        "tokenizers_version": tokenizers.__version__,
        "dtype": "float32",
        "logits_rounding": "6 decimals",
        "greedy": f"{NEW_TOKENS} new tokens, do_sample=False, no early stop at EOS",
        "prompts": prompts,
        "tokenizer_samples": samples,
    }


def save(folder, model, tokenizer, hf_tokenizer):
    if folder.exists():
        shutil.rmtree(folder)
    model.save_pretrained(folder, safe_serialization=True)
    hf_tokenizer.save_pretrained(folder)
    # Reload from disk and check the saved folder reproduces the same logits.
    reloaded = type(model).from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager").eval()
    with torch.no_grad():
        for ids in PROMPTS:
            a = model(torch.tensor([ids])).logits
            b = reloaded(torch.tensor([ids])).logits
            assert torch.equal(a, b), "the saved folder does not reproduce the model"
    data = reference(model, hf_tokenizer)
    # Compact separators keep the file small: it holds thousands of logits.
    (folder / "reference.json").write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    assert (folder / "model.safetensors").exists(), "expected one unsharded model.safetensors"
    saved_config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if isinstance(model, LlamaForCausalLM):
        assert "llama3" in json.dumps(saved_config), "rope scaling llama3 did not reach config.json (transformers renamed it?)"


def llama():
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]
    tokenizer = build_tokenizer(specials, bos_token="<|begin_of_text|>")
    config = LlamaConfig(
        **COMMON,
        max_position_embeddings=131072,
        rope_theta=500000.0,
        # Llama 3.1's scaling; with head_dim 16 and theta 5e5 some frequencies are scaled, some
        # smoothed and some kept, so all three branches of the formula are exercised.
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                      "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
        attention_bias=False,
        mlp_bias=False,
        tie_word_embeddings=False,
        bos_token_id=tokenizer.token_to_id("<|begin_of_text|>"),
        eos_token_id=tokenizer.token_to_id("<|end_of_text|>"),
    )
    hf_tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token="<|begin_of_text|>", eos_token="<|end_of_text|>")
    return config, LlamaForCausalLM, tokenizer, hf_tokenizer, 1234


def qwen2():
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tokenizer = build_tokenizer(specials, bos_token=None)
    config = Qwen2Config(
        **COMMON,
        max_position_embeddings=32768,
        rope_theta=1000000.0,
        use_sliding_window=False,
        tie_word_embeddings=True,  # checkpoint has no lm_head.weight
        bos_token_id=None,
        eos_token_id=tokenizer.token_to_id("<|im_end|>"),
    )
    hf_tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    return config, Qwen2ForCausalLM, tokenizer, hf_tokenizer, 5678


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("tests/GenRM.Tests/Fixtures/hf-reference"))
    args = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    for name, build in [("tiny-llama", llama), ("tiny-qwen2", qwen2)]:
        config, model_class, tokenizer, hf_tokenizer, seed = build()
        torch.manual_seed(seed)
        model = model_class(config).eval()
        randomize(model, seed)
        model.generation_config.eos_token_id = None  # greedy runs the full NEW_TOKENS
        save(args.out / name, model, tokenizer, hf_tokenizer)
        print(f"wrote {args.out / name}")

    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"fixtures: {total} bytes")
    if total > MAX_FIXTURE_BYTES:
        raise SystemExit(f"fixtures are {total} bytes, over the {MAX_FIXTURE_BYTES}-byte budget: shrink the models or prompts")


if __name__ == "__main__":
    main()
