"""What the reference scripts' small BPE trainers share: GPT-2's byte-to-character table, and one
merge step (every occurrence of an adjacent pair of symbols, in every word of a word-count table,
becomes one symbol)."""

from collections import Counter


def apply_merge(words, pair):
    merged = Counter()
    for word, count in words.items():
        out, i = [], 0
        while i < len(word):
            if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
                out.append(word[i] + word[i + 1])
                i += 2
            else:
                out.append(word[i])
                i += 1
        merged[tuple(out)] += count
    return merged


def byte_symbols():
    """GPT-2's byte-to-character table: printable bytes stand for themselves, the rest move to 256+."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table
