#!/usr/bin/env python3
"""Renders every chat template of tests/GenRM.Tests/Fixtures/chat-templates/ on a fixed set of
chats with jinja2, configured as Hugging Face transformers configures it for apply_chat_template,
and writes <name>.json beside each <name>.jinja: the special tokens and, per case, the messages,
the variables, and the expected text (or the error message raise_exception gives). Under
"training", per chat that ends with a user turn and per reply in REPLIES: the inference prompt
(add_generation_prompt=True), the whole chat with the reply as the assistant's turn
(add_generation_prompt=False), and the assistant's part as TRL splits the text (what follows the
longest common prefix of the two, trl.data_utils.apply_chat_template); a template that raises on
a system turn (Gemma 2) gets the system text folded into the first user turn with a blank line,
as transformers users do for Gemma ("folded_system": true).

The renderer is set up as transformers >= 4.45 sets it up (_compile_jinja_template in
tokenization_utils_base.py / utils/chat_template_utils.py): ImmutableSandboxedEnvironment with
trim_blocks, lstrip_blocks and the loopcontrols extension; a `tojson` filter that is json.dumps
with ensure_ascii=False (not jinja2's HTML-escaping one); `raise_exception(message)` raising
TemplateError; `{% generation %}` blocks as its AssistantTracker extension parses them; `strftime_now(format)` formatting the current time (fixed here to STRFTIME_NOW so
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
from jinja2 import nodes
from jinja2.exceptions import TemplateError
from jinja2.ext import Extension
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
    "smollm2": {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>"},
    "deepseek-r1-distill": DEEPSEEK,
    "deepseek-v3": DEEPSEEK,
    "granite-3.3": {"bos_token": "<|end_of_text|>", "eos_token": "<|end_of_text|>", "pad_token": "<|end_of_text|>"},
    "gpt-oss": {"bos_token": "<|startoftext|>", "eos_token": "<|return|>", "pad_token": "<|endoftext|>"},
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


# Replies trained after each chat that ends with a user turn: plain, padded (templates that trim),
# starting with a newline (one "\n\n" token with the header's "\n" in byte-level BPE), with
# reasoning in think tags (templates that split it off), and non-ASCII.
REPLIES = ["4", "  The answer is 4.  \n", "\nStarts with a newline.", "<think>\nweigh A and B\n</think>\n\n[[A]]", "Ünïcode 😀 reply [[B]]"]


# Single constructs beyond what the published templates exercise, rendered with `users` (a list of
# role dicts) defined and `x` undefined; written to constructs/snippets.json.
SNIPPETS = [
    "{% if true %}\n  a\n{% endif %}\n",
    "  {%- if true %} x {% endif -%}  y",
    "  {%+ if true %}z{% endif %}",
    "a {# c #}\n b\n  {# d #}\ne",
    "{% for i in [1,2] -%}\n {{ i }}\n{%- endfor %}",
    "line\n    {% set v = 1 %}\n{{ v }}",
    "{{- ' a ' -}}  \n  b",
    "x\r\ny{% if true %}\r\nz{% endif %}\n\n",
    "{{ 1 }} {{ 1.0 }} {{ -0.0 }} {{ 1e-5 }} {{ 123456789.123 }} {{ 1e16 }} {{ 2**10 }} {{ 2**-1 }} {{ 10/4 }} {{ 10//4 }} {{ 10 % 4 }} {{ -10 % 4 }} {{ 7.5 // 2 }} {{ -7 // 2.0 }}",
    "{{ 'a\\tb\\n\\u00e9\\x41\\\\' }}|{{ \"d'q\" }}|{{ 'con' 'cat' }}",
    "{{ 'abc'[1] }}{{ 'abc'[-1] }}{{ 'abcdef'[1:4] }}{{ 'abcdef'[::2] }}{{ 'abcdef'[-2:] }}{{ 'abcdef'[:-2] }}{{ 'abcdef'[4:1:-1] }}{{ '\U0001F600x'[0] }}{{ '\U0001F600x'|length }}{{ [1,2,3][::-1] }}{{ [1,2,3][5] }}",
    "{{ ['a', \"b'c\", 'd\"e', 'f\\'g\"', '\\n\\x01\u00e9'] }} {{ {'a': none, 'b': true} }} {{ (1,) }} {{ () }} {{ none }} {{ true }}",
    "{{ 'a,b,,c'.split(',') }}{{ ' a  b '.split() }}{{ 'a b c'.split(' ', 1) }}{{ 'xxhixx'.strip('x') }}{{ 'Hello'.startswith(('He','x')) }}{{ 'Hello'.endswith('lo') }}{{ 'abc'.replace('b','B') }}{{ 'aaa'.replace('a','b',2) }}",
    "{{ 'hello wORLD it''s'.title() }}|{{ 'hELLO'.capitalize() }}|{{ 'abcabc'.find('c') }}|{{ 'abcabc'.find('z') }}|{{ 'abcabc'.count('b') }}|{{ '-'.join(['a','b']) }}|{{ ' x '.lstrip() }}|{{ ' x '.rstrip() }}|{{ 'AbC'.upper() }}{{ 'AbC'.lower() }}",
    "{% set d = {'b': 1, 'a': 2} %}{{ d.keys()|list }}{{ d.values()|list }}{{ d.get('a') }}{{ d.get('z', 'no') }}{{ d.get('z') }}{{ d['b'] }}{{ d.b }}{{ d|length }}{% for k in d %}{{ k }}{% endfor %}{{ d.items()|list }}{{ d|items|list }}{{ 'a' in d }}",
    "{{ none is none }}{{ 1 is number }}{{ 'a' is string }}{{ [1] is sequence }}{{ {} is mapping }}{{ x is undefined }}{{ 2 is even }}{{ 9 is divisibleby 3 }}{{ 'a' is in ['a'] }}{{ 1 is integer }}{{ 1.0 is float }}{{ true is boolean }}{{ 'ab' is lower }}{{ 1 is eq 1 }}{{ 1 is ne 2 }}{{ 1 is lt 2 }}{{ x is defined }}{{ users is iterable }}{{ 3 is not odd }}",
    "{{ [3,1,2]|first }}{{ [3,1,2]|last }}{{ [1,2]|reverse|list }}{{ 'abc'|reverse }}{{ none|default('d') }}{{ x|default('d') }}{{ ''|default('d', true) }}{{ '42'|int + 1 }}{{ '3.5'|float }}{{ -3|abs }}{{ 'ab'|upper }}{{ 'AB'|lower }}{{ 'x'|capitalize }}{{ 'a b'|title }}",
    "{{ [1,2]|join('-') }}{{ 'abc'|list }}{{ [1,2,3]|select('odd')|list }}{{ [1,2,3]|reject('odd')|list }}{{ users|rejectattr('role','equalto','user')|list }}{{ users|map(attribute='role')|list }}{{ ['a','b']|map('upper')|list }}{{ users|selectattr('n')|list|length }}{{ [1,2]|string }}{{ 5|string|length }}",
    "{{ {'a': [1, 2.5, none, true, 'x\"\\n\\u0001\u00e9\U0001F600\\\\/']}|tojson }}{{ [1,{'k':'v'}, [], {}]|tojson(indent=2) }}{{ {'b':1,'a':2}|tojson(sort_keys=true) }}{{ {'a':1,'b':[2]}|tojson(separators=(',', ':')) }}{{ 'plain'|tojson }}",
    "{% for v in [1,2,3] if v > 1 %}{{ loop.index }}/{{ loop.length }}:{{ v }}{{ loop.first }}{{ loop.last }}{{ loop.revindex }}{{ loop.index0 }}{% else %}none{% endfor %}",
    "{% for v in [] %}a{% else %}empty{% endfor %}{% for a, b in [[1,2],[3,4]] %}{{ a + b }}{% endfor %}{% for k, v in {'p': 1}.items() %}{{ k }}{{ v }}{% endfor %}",
    "{% for o in [1,2] %}{% for i in 'ab' %}{{ loop.index }}{{ o }}{{ i }},{% endfor %}{{ loop.index }};{% endfor %}",
    "{% for v in [1,2,3] %}{{ loop.previtem }}{{ loop.nextitem }}|{% endfor %}{% for v in range(3) %}{{ loop.cycle('a','b') }}{% endfor %}{{ range(5)|list }}{{ range(1,10,3)|list }}{{ range(3,0,-1)|list }}",
    "{{ 'y' if true else 'n' }}[{{ 'y' if false }}]{{ 1 if 0 else 2 if 1 else 3 }}",
    "{{ 0 or 'x' }}{{ 1 and 'y' }}{{ not 0 }}{{ 1 < 2 < 3 }}{{ 1 < 2 > 5 }}{{ 'b' > 'a' }}{{ [1,2] < [1,3] }}{{ 'a' not in 'b' }}{{ 1 == 1.0 }}{{ true == 1 }}{{ [1] == [1] }}{{ {'a':1} == {'a':1} }}{{ none == none }}{{ x == x }}{{ -2 < -1 }}",
    "{{ 1 ~ 'a' ~ none ~ x ~ 2.5 }}{{ [1] + [2] }}{{ 'ab' * 2 }}{{ 2 * 'c' }}{{ -(3) }}{{ +4 }}{{ 2 + 3 * 4 }}{{ (2 + 3) * 4 }}{{ 2 ** 3 ** 2 }}",
    "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set ns = namespace(items=[], n=0) %}{% set ns.items = ns.items + [1] %}{% set ns.n = ns.n + 1 %}{{ ns.items }}{{ ns.n }}{% set t %}  block {{ 1 }} {% endset %}[{{ t }}]",
    "{% macro m(a, b=2) %}{{ a }}-{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, 3) }} {{ m(b=5, a=4) }} {{ m() }}{% set g = 'G' %}{% macro n() %}{{ g }}{% for i in [1] %}{{ i }}{% endfor %}{% endmacro %}{{ n() }}",
    "{% for i in range(10) %}{% if i is odd %}{% continue %}{% endif %}{% if i > 6 %}{% break %}{% endif %}{{ i }}{% endfor %}",
    "{% set messages = users[1:] %}{{ messages|length }}{% if true %}{% set inner = 'kept' %}{% endif %}{{ inner }}{% for i in [1] %}{% set users = [] %}{% endfor %}{{ users|length }}",
    "{{ raise_exception('The template refuses this.') }}",
    "{{ x.y }}",
    "{{ 'a' + 1 }}",
    "{% for m in users %}{% if m.role == 'assistant' %}\n{% generation %}\n  <{{ m.n }}>{% endgeneration %}\n{% else %}{{ m.role }}{% endif %}{% endfor %}",
    "{%- for m in users %}{%- generation -%} {{ m.role }} {%- endgeneration %}|{% endfor %}",
    "{{ users[0].role.upper() }}{{ users[0]['role'] }}{{ users[5] is defined }}{{ users[0].missing is defined }}{{ 'str'.missing is defined }}",
]


class GenerationBlock(Extension):
    """{% generation %}...{% endgeneration %} as transformers' AssistantTracker parses it: a call block
    whose text renders as written (the tracker only records where it falls, for the assistant mask)."""

    tags = {"generation"}

    def parse(self, parser):
        line = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(line)

    def _render(self, caller):
        return caller()


def make_environment():
    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return STRFTIME_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols", GenerationBlock])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def refuses_system_turn(template, tokens):
    """Whether the template raises on a system turn before a user turn but renders the user turn alone."""
    try:
        template.render(messages=chat((S, "Be brief."), (U, "Hi")), add_generation_prompt=True, **tokens)
        return False
    except TemplateError:
        pass
    try:
        template.render(messages=chat((U, "Hi")), add_generation_prompt=True, **tokens)
        return True
    except TemplateError:
        return False


def training_cases(template, tokens, variants):
    fold = refuses_system_turn(template, tokens)
    cases = []
    for variables in variants:
        for messages in CHATS:
            if messages[-1]["role"] != U:
                continue
            shown = messages
            if fold and len(messages) >= 2 and messages[0]["role"] == S and messages[1]["role"] == U:
                shown = chat((U, messages[0]["content"] + "\n\n" + messages[1]["content"])) + messages[2:]
            for reply in REPLIES:
                case = {"messages": messages, "response": reply, "variables": variables}
                if shown is not messages:
                    case["folded_system"] = True
                try:
                    prompt = template.render(messages=shown, add_generation_prompt=True, **tokens, **variables)
                    whole = template.render(messages=shown + chat((A, reply)), add_generation_prompt=False, **tokens, **variables)
                except TemplateError as error:
                    case["error"] = str(error)
                    cases.append(case)
                    continue
                shared = len(os.path.commonprefix([prompt, whole]))
                case.update({"prompt": prompt, "whole": whole, "assistant_part": whole[shared:]})
                cases.append(case)
    return cases


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
                   "special_tokens": tokens, "cases": cases, "training": training_cases(template, tokens, VARIANTS.get(name, [{}]))}
        path = os.path.join(FOLDER, name + ".json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(path + ".tmp", path)
        errors = sum("error" in c for c in cases)
        print(f"{name}: {len(cases)} cases ({errors} raise)")
        total += len(cases)
    print(f"total: {total} cases")
    users = [{"role": "user", "n": 1}, {"role": "assistant", "n": 0}, {"role": "user", "n": 3}]
    snippets = []
    for source in SNIPPETS:
        case = {"source": source}
        try:
            case["expected"] = env.from_string(source).render(users=users)
        except Exception as error:  # jinja2 raises TemplateError, TypeError, ... : the C# side must raise too
            case["error"] = str(error)
            case["raised"] = isinstance(error, TemplateError) and "refuses" in str(error)
        snippets.append(case)
    path = os.path.join(FOLDER, "constructs", "snippets.json")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"jinja2": jinja2.__version__, "variables": {"users": users}, "cases": snippets}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(f"constructs: {len(snippets)} snippets ({sum('error' in c for c in snippets)} raise)")


if __name__ == "__main__":
    sys.exit(main())
