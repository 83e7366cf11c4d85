#!/usr/bin/env python3
"""Renders the chat templates with {% generation %} blocks of
tests/GenRM.Tests/Fixtures/assistant-masks/ on the chats of make_chat_template_reference.py, with
jinja2 set up as transformers sets it up for apply_chat_template(..., return_assistant_tokens_mask=True):
the same environment, and the {% generation %} extension recording where each block's text falls
as transformers' AssistantTracker records it (the length of everything the template had yielded
before the block, counted once something had been yielded or recorded, and the length of the
block's text; Python string lengths, so code points).

Writes to standard output a JSON object: per family, its template, special tokens and cases (each
chat that ends with a user turn with every reply of REPLIES as the assistant's turn, and every
chat as it is), each with the rendered text and its generation spans, or the error the template
raised. tools/hfref/tokenizers-node/assistant-masks.js reads that, tokenizes each text with
Hugging Face's Rust library and writes the fixtures with transformers' mask:

    python3 tools/make_assistant_mask_reference.py > /tmp/rendered.json
    node tools/hfref/tokenizers-node/assistant-masks.js /tmp/rendered.json REPOSITORY_ROOT TOKENIZERS_FOLDER

(Debian: apt-get install python3-jinja2.)
"""
import json
import os
import sys

from jinja2 import nodes
from jinja2.exceptions import TemplateError
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_chat_template_reference as templates  # noqa: E402  (the jinja2 set-up, chats and replies)

FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "GenRM.Tests", "Fixtures", "assistant-masks")
U, A = "user", "assistant"

# Family: template file, special tokens, tokenizer (a real one's name, or a committed synthetic file).
FAMILIES = {
    "trl-llama3": ("llama3_training.jinja", templates.LLAMA3, "llama3_1"),
    "trl-qwen2.5": ("qwen2_5_training.jinja", templates.QWEN, "qwen3"),
    "trl-qwen3": ("qwen3_training.jinja", templates.QWEN, "qwen3"),
    "chatml-bytelevel": ("chatml-generation.jinja", {}, "synthetic-deepseek-style"),
    "chatml-sentencepiece": ("chatml-generation.jinja", {}, "synthetic-llama2-style"),
    "chatml-nfkc-trimmed": ("chatml-generation.jinja", {}, "synthetic-split-behaviours"),
}


class AssistantTracker(Extension):
    """{% generation %}: a call block whose text is recorded as transformers' AssistantTracker records it."""

    tags = {"generation"}

    def __init__(self, environment):
        super().__init__(environment)
        self.blocks = None
        self.spans = None

    def parse(self, parser):
        line = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_record", []), [], [], body).set_lineno(line)

    def _record(self, caller):
        text = caller()
        # transformers tests its two lists for truth: nothing is recorded before anything was yielded.
        if self.blocks or self.spans:
            start = len("".join(self.blocks))
            self.spans.append([start, start + len(text)])
        return text


def make_environment():
    base = templates.make_environment()
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols", AssistantTracker])
    env.filters["tojson"] = base.filters["tojson"]
    env.globals["raise_exception"] = base.globals["raise_exception"]
    env.globals["strftime_now"] = base.globals["strftime_now"]
    return env


def render(env, template, messages, tokens):
    tracker = env.extensions[AssistantTracker.identifier]
    blocks, spans = [], []
    tracker.blocks, tracker.spans = blocks, spans
    try:
        for block in template.generate(messages=messages, add_generation_prompt=False, **tokens):
            blocks.append(block)
    finally:
        tracker.blocks = tracker.spans = None
    return "".join(blocks), spans


def main():
    env = make_environment()
    out = {}
    for family, (file, tokens, tokenizer) in FAMILIES.items():
        with open(os.path.join(FOLDER, file), encoding="utf-8") as f:
            template = env.from_string(f.read())
        conversations = [m + templates.chat((A, reply)) for m in templates.CHATS if m[-1]["role"] == U for reply in templates.REPLIES]
        conversations += templates.CHATS
        cases = []
        for messages in conversations:
            case = {"messages": messages}
            try:
                case["text"], case["generation_spans"] = render(env, template, messages, tokens)
            except TemplateError as error:
                case["error"] = str(error)
            cases.append(case)
        out[family] = {"template": file, "special_tokens": tokens, "tokenizer": tokenizer, "cases": cases}
        print(f"{family}: {len(cases)} cases ({sum('error' in c for c in cases)} raise)", file=sys.stderr)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())
