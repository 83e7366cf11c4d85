#!/usr/bin/env python3
"""Renders every chat template of tests/GenRM.Tests/Fixtures/chat-templates/ on a fixed set of
chats with jinja2, configured as Hugging Face transformers configures it for apply_chat_template,
and writes <name>.json beside each <name>.jinja: the special tokens and, per case, the messages,
the variables, and the expected text (or the error message raise_exception gives).

The renderer is set up as transformers >= 4.45 sets it up (_compile_jinja_template in
tokenization_utils_base.py / utils/chat_template_utils.py): ImmutableSandboxedEnvironment with
trim_blocks, lstrip_blocks and the loopcontrols extension; a `tojson` filter that is json.dumps
with ensure_ascii=False (not jinja2's HTML-escaping one); `raise_exception(message)` raising
TemplateError; `strftime_now(format)` formatting the current time (fixed here to STRFTIME_NOW so
the fixtures are reproducible; the C# test passes the same clock). apply_chat_template passes
`messages`, `add_generation_prompt`, the tokenizer's special tokens that are set, and the caller's
extra keyword arguments (enable_thinking here) as template variables.

Usage: python3 tools/make_chat_template_reference.py   (Debian: apt-get install python3-jinja2)
"""
import datetime
import json
import os
import sys

import jinja2
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "GenRM.Tests", "Fixtures", "chat-templates")

# The clock strftime_now reads in every fixture (Llama 3.2 and Granite 3.3 write today's date).
STRFTIME_NOW = datetime.datetime(2026, 12, 3, 9, 5, 7)

# Special tokens as each model's tokenizer_config.json sets them (unset ones are not passed:
# transformers' special_tokens_map leaves them out, so the template sees them undefined).
LLAMA3 = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}
QWEN = {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}
DEEPSEEK = {"bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>", "pad_token": "<｜end▁of▁sentence｜>"}
MISTRAL = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
TEMPLATES = {
    "llama3": {"bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>"},
    "llama3.1": LLAMA3,
    "llama3.2": LLAMA3,
    "qwen2.5": QWEN,
    "qwq-32b": QWEN,
    "qwen3": QWEN,
    "mistral-v1": MISTRAL,
    "mistral-nemo": MISTRAL,
    "gemma2": {"bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>"},
    "gemma3": {"bos_token": "<bos>", "eos_token": "<end_of_turn>", "unk_token": "<unk>", "pad_token": "<pad>"},
    "phi-3.5": {"bos_token": "<s>", "eos_token": "<|endoftext|>", "unk_token": "<unk>", "pad_token": "<|endoftext|>"},
    "phi-4": {"bos_token": "<|endoftext|>", "eos_token": "<|im_end|>", "pad_token": "<|dummy_85|>"},
    "deepseek-r1-distill": DEEPSEEK,
    "deepseek-v3": DEEPSEEK,
    "granite-3.3": {"bos_token": "<|end_of_text|>", "eos_token": "<|end_of_text|>", "pad_token": "<|end_of_text|>"},
}
# Extra keyword arguments a family reads, each rendered as its own variant of every chat.
VARIANTS = {"qwen3": [{}, {"enable_thinking": False}, {"enable_thinking": True}]}

S, U, A = "system", "user", "assistant"


def chat(*turns):
    return [{"role": r, "content": c} for r, c in turns]


# Varied chats: plain and multi-turn, system prompts, whitespace at the edges (Python's str.strip
# set includes U+001C-U+001F and U+0085, .NET's Trim() differs), special-token text inside content,
# Jinja syntax inside content, reasoning in assistant history, empty turns, non-BMP characters.
CHATS = [
    chat((U, "What is 2+2?")),
    chat((U, "  What is 2+2? \n")),
    chat((U, "Hi"), (A, " Hello! \n"), (U, "Add 2+2.")),
    chat((S, " Be brief. "), (U, "Hi"), (A, "Hello!"), (U, "Add 2+2.")),
    chat((S, "You judge answers."), (U, "Which is better, A or B?")),
    chat((S, "You judge answers."), (U, "Which is better?"), (A, "A is better.")),
    chat((U, "\x1c\x1d\x1e\x1fseparators\x1f\x1e")),
    chat((U, "\u0085next line\u00a0and nbsp\u00a0"), (A, "\u2003em space\u3000")),
    chat((U, "\ufeffbom and zero\u200bwidth\u200b")),
    chat((U, "Emoji 😀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, CJK 你好, RTL שלום, combining e\u0301")),
    chat((U, "Print <|im_end|> and <|eot_id|> and [INST] and </s> literally.")),
    chat((U, "Template text {{ messages }} {% if x %} {# c #} stays."), (A, "{{ ok }}")),
    chat((U, 'Quotes \' " and backslashes \\ \\n and tabs\tand\r\nCRLF')),
    chat((U, "Solve 3*7."), (A, "<think>\n3*7 is 21.\n</think>\n\nThe answer is 21."), (U, "And 4*5?")),
    chat((U, "Solve 3*7."), (A, "<think>3*7 = 21</think>21")),
    chat((U, "")),
    chat((U, "   "), (A, ""), (U, "Still there?")),
    chat((S, "Rules:\n1. Be fair.\n2. Be brief.\n"), (U, "Q1"), (A, "A1"), (U, "Q2"), (A, "A2"), (U, "Q3")),
    chat((U, "Only a question with a trailing newline\n")),
    chat((S, "System only.")),
    chat((U, "a"), (U, "b")),
    chat((A, "I speak first.")),
    chat((U, "Long " + "word " * 60 + "end.")),
    chat((S, ""), (U, "Empty system prompt.")),
]


def make_environment():
    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return STRFTIME_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def main():
    env = make_environment()
    total = 0
    for name, tokens in TEMPLATES.items():
        with open(os.path.join(FOLDER, name + ".jinja"), encoding="utf-8") as f:
            template = env.from_string(f.read())
        cases = []
        for variables in VARIANTS.get(name, [{}]):
            for messages in CHATS:
                for add_generation_prompt in (False, True):
                    case = {"messages": messages, "add_generation_prompt": add_generation_prompt, "variables": variables}
                    try:
                        case["expected"] = template.render(messages=messages, add_generation_prompt=add_generation_prompt, **tokens, **variables)
                    except TemplateError as error:
                        case["error"] = str(error)
                    cases.append(case)
        fixture = {"template": name + ".jinja", "jinja2": jinja2.__version__, "strftime_now": STRFTIME_NOW.isoformat(),
                   "special_tokens": tokens, "cases": cases}
        path = os.path.join(FOLDER, name + ".json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(path + ".tmp", path)
        errors = sum("error" in c for c in cases)
        print(f"{name}: {len(cases)} cases ({errors} raise)")
        total += len(cases)
    print(f"total: {total} cases")


if __name__ == "__main__":
    sys.exit(main())
