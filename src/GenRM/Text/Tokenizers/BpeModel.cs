using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace GenRM.Text.Tokenizers;

/// <summary>
/// Hugging Face's BPE model: a word starts as one symbol per character (a character missing from the
/// vocabulary becomes its UTF-8 bytes as <c>&lt;0xXX&gt;</c> tokens under <c>byte_fallback</c>, else
/// the unknown token, else nothing), then the adjacent pair of lowest merge rank is merged, leftmost
/// first, until no pair has a merge. Byte-level files reach here already in their byte alphabet.
/// </summary>
internal sealed class BpeModel
{
    /// <summary>Words this long or shorter are remembered (Hugging Face caches words too).</summary>
    const int CachedWordLength = 64;
    const int CacheCapacity = 100_000;

    readonly Dictionary<string, int> vocabulary;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;
    readonly Dictionary<long, (int Rank, int Merged)> merges;
    readonly int[]? byteFallbackIds;
    readonly int? unknownId;
    readonly bool fuseUnknown;
    readonly bool ignoreMerges;
    readonly string continuingPrefix;
    readonly string endOfWordSuffix;
    readonly ConcurrentDictionary<string, WordToken[]> cache = new(StringComparer.Ordinal);
    int cached;

    public BpeModel(JsonPart model)
    {
        vocabulary = ReadVocabulary(model);
        lookup = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        merges = ReadMerges(model);
        if (model.OptionalString("unk_token") is string unknown)
            unknownId = vocabulary.TryGetValue(unknown, out int id) ? id : throw model.Required("unk_token").Error($"\"{unknown}\" is not in the vocabulary");
        fuseUnknown = model.Bool("fuse_unk", false);
        ignoreMerges = model.Bool("ignore_merges", false);
        continuingPrefix = model.OptionalString("continuing_subword_prefix") ?? "";
        endOfWordSuffix = model.OptionalString("end_of_word_suffix") ?? "";
        if (model.Bool("byte_fallback", false))
            byteFallbackIds = [.. Enumerable.Range(0, 256).Select(b => vocabulary.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1)];
        if (model.Optional("dropout") is JsonPart dropout && dropout.Element.GetDouble() != 0)
            throw dropout.Error("BPE dropout is random at encoding time and is not supported");
    }

    public IReadOnlyDictionary<string, int> Vocabulary => vocabulary;

    /// <summary>One token of a word: its id and the UTF-16 units of the word it stands for.</summary>
    readonly record struct WordToken(int Id, int Start, int End);

    /// <summary>Appends the ids of one word and, when <paramref name="spans"/> is given, the units of the word each stands for.</summary>
    public void Encode(string word, List<int> ids, List<CharSpan>? spans = null)
    {
        foreach (var token in Tokens(word))
        {
            ids.Add(token.Id);
            spans?.Add(new CharSpan(token.Start, token.End));
        }
    }

    // The cache is looked up first: a whole-word hit under ignore_merges would otherwise cost a
    // vocabulary lookup and a new array every time (Llama 3.2, Tekken and gpt-oss encode about 20 %
    // more tokens per second with the cache first).
    WordToken[] Tokens(string word)
    {
        if (word.Length > CachedWordLength)
            return Split(word);
        if (!cache.TryGetValue(word, out WordToken[]? result))
        {
            result = Split(word);
            // A bounded cache: past capacity, words are merged each time.
            if (Volatile.Read(ref cached) < CacheCapacity && cache.TryAdd(word, result))
                Interlocked.Increment(ref cached);
        }
        return result;
    }

    // ignore_merges: a word in the vocabulary is one token, whatever its merges would make of it.
    WordToken[] Split(string word) =>
        ignoreMerges && vocabulary.TryGetValue(word, out int whole) ? [new WordToken(whole, 0, word.Length)] : Merge(word);

    WordToken[] Merge(string word)
    {
        var symbols = InitialSymbols(word);
        int count = symbols.Count;
        if (count < 2)
            return [.. symbols];
        var id = new int[count];
        var end = new int[count];
        var next = new int[count];
        var previous = new int[count];
        for (int i = 0; i < count; i++)
        {
            (id[i], end[i]) = (symbols[i].Id, symbols[i].End);
            next[i] = i + 1 < count ? i + 1 : -1;
            previous[i] = i - 1;
        }
        // Queue entries are (position of the left symbol, merged id), ordered by rank then position;
        // an entry made stale by an earlier merge is recognised and skipped when popped.
        var queue = new PriorityQueue<(int Position, int Merged), long>();
        for (int i = 0; i + 1 < count; i++)
            Enqueue(queue, i, id[i], id[i + 1]);
        while (queue.TryDequeue(out var top, out _))
        {
            int position = top.Position;
            if (id[position] < 0 || next[position] < 0)
                continue;
            int right = next[position];
            if (!merges.TryGetValue(Key(id[position], id[right]), out var merge) || merge.Merged != top.Merged)
                continue;
            id[position] = merge.Merged;
            end[position] = end[right];
            id[right] = -1;
            next[position] = next[right];
            if (next[right] >= 0)
                previous[next[right]] = position;
            if (previous[position] >= 0)
                Enqueue(queue, previous[position], id[previous[position]], id[position]);
            if (next[position] >= 0)
                Enqueue(queue, position, id[position], id[next[position]]);
        }
        var tokens = new List<WordToken>(count);
        for (int i = 0; i < count; i++)
            if (id[i] >= 0)
                tokens.Add(new WordToken(id[i], symbols[i].Start, end[i]));
        return [.. tokens];
    }

    void Enqueue(PriorityQueue<(int, int), long> queue, int position, int left, int right)
    {
        if (merges.TryGetValue(Key(left, right), out var merge))
            queue.Enqueue((position, merge.Merged), ((long)merge.Rank << 32) | (uint)position);
    }

    static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    List<WordToken> InitialSymbols(string word)
    {
        var symbols = new List<WordToken>(word.Length);
        int unknownStart = -1, unknownEnd = 0; // the characters of a pending (fused) unknown, or -1
        for (int i = 0; i < word.Length;)
        {
            int length = char.IsSurrogatePair(word, i) ? 2 : 1;
            bool first = i == 0, last = i + length == word.Length;
            int? symbol = Lookup(word.AsSpan(i, length), first, last);
            if (symbol is int found)
            {
                FlushUnknown();
                symbols.Add(new WordToken(found, i, i + length));
            }
            else if (byteFallbackIds is not null && ByteFallback(word.AsSpan(i, length), i, symbols))
            {
                // The bytes are in the vocabulary as <0xXX> tokens.
            }
            else if (unknownId is not null)
            {
                if (!fuseUnknown)
                    FlushUnknown();
                if (unknownStart < 0)
                    unknownStart = i;
                unknownEnd = i + length;
            }
            i += length;
        }
        FlushUnknown();
        return symbols;

        void FlushUnknown()
        {
            if (unknownStart >= 0)
                symbols.Add(new WordToken(unknownId!.Value, unknownStart, unknownEnd));
            unknownStart = -1;
        }
    }

    int? Lookup(ReadOnlySpan<char> character, bool first, bool last)
    {
        if ((first || continuingPrefix.Length == 0) && (!last || endOfWordSuffix.Length == 0))
            return lookup.TryGetValue(character, out int id) ? id : null;
        string symbol = (first ? "" : continuingPrefix) + character.ToString() + (last ? endOfWordSuffix : "");
        return vocabulary.TryGetValue(symbol, out int found) ? found : null;
    }

    /// <summary>
    /// Adds the character's bytes as <c>&lt;0xXX&gt;</c> ids, each standing for the whole character
    /// (at <paramref name="at"/> of the word); false (adding nothing) when one is missing.
    /// </summary>
    bool ByteFallback(ReadOnlySpan<char> character, int at, List<WordToken> symbols)
    {
        Span<byte> bytes = stackalloc byte[4];
        int count = Encoding.UTF8.GetBytes(character, bytes);
        for (int b = 0; b < count; b++)
            if (byteFallbackIds![bytes[b]] < 0)
                return false;
        for (int b = 0; b < count; b++)
            symbols.Add(new WordToken(byteFallbackIds![bytes[b]], at, at + character.Length));
        return true;
    }

    static Dictionary<string, int> ReadVocabulary(JsonPart model)
    {
        var vocab = model.Required("vocab");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocab.Fields())
            result[token] = id.AsInt();
        if (result.Count == 0)
            throw vocab.Error("the vocabulary is empty");
        return result;
    }

    // Merges come as "a b" strings (older files) or as ["a", "b"] arrays (tokenizers >= 0.20).
    // Each side and their concatenation must be tokens, as Hugging Face requires; a repeated pair is refused.
    Dictionary<long, (int Rank, int Merged)> ReadMerges(JsonPart model)
    {
        var result = new Dictionary<long, (int, int)>(PairComparer.Instance);
        int rank = 0;
        model.Required("merges");
        foreach (var merge in model.Items("merges"))
        {
            var (left, right) = ReadPair(merge);
            int Id(string token) => vocabulary.TryGetValue(token, out int id) ? id : throw merge.Error($"\"{token}\" is not in the vocabulary");
            int l = Id(left), r = Id(right), merged = Id(left + right);
            if (!result.TryAdd(Key(l, r), (rank, merged)))
                throw merge.Error($"the merge \"{left} {right}\" appears twice");
            rank++;
        }
        return result;
    }

    /// <summary>
    /// long's own hash is left XOR right, which collides for most pairs of a large vocabulary
    /// (Gemma's 514k merges over 262k ids); a multiplicative mix spreads them.
    /// </summary>
    sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long pair) => (int)((ulong)pair * 0x9E3779B97F4A7C15UL >> 32);
    }

    static (string Left, string Right) ReadPair(JsonPart merge)
    {
        if (merge.Element.ValueKind == JsonValueKind.String)
        {
            string[] sides = merge.AsString().Split(' ');
            if (sides.Length == 2)
                return (sides[0], sides[1]);
        }
        else if (merge.Element.ValueKind == JsonValueKind.Array && merge.Element.GetArrayLength() == 2
            && merge.Element[0].ValueKind == JsonValueKind.String && merge.Element[1].ValueKind == JsonValueKind.String)
        {
            return (merge.Element[0].GetString()!, merge.Element[1].GetString()!);
        }
        throw merge.Error("expected \"left right\" or [\"left\", \"right\"]");
    }
}
