"""One step of BPE training shared by the reference scripts: every occurrence of an adjacent pair
of symbols, in every word of a word-count table, becomes one symbol."""

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
