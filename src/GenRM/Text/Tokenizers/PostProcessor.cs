namespace GenRM.Text.Tokenizers;

/// <summary>
/// What a <c>post_processor</c> does to one sequence's ids when special tokens are asked for: ids
/// before and after it (Llama's BOS, RoBERTa's &lt;s&gt; … &lt;/s&gt;). Pairs of sequences are not
/// encoded by the workbench, so only the <c>single</c> template is read. <paramref name="Trimming"/>:
/// ByteLevel's and RobertaProcessing's <c>trim_offsets</c>, which narrows token offsets whether or
/// not special tokens are asked for.
/// </summary>
internal sealed record PostProcessor(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix, OffsetTrimming? Trimming = null)
{
    public static readonly PostProcessor None = new([], []);

    static readonly Dictionary<string, Func<JsonPart, PostProcessor>> Readers = new()
    {
        ["Sequence"] = part => part.Items("processors").Select(Read).Aggregate(None, (inner, outer) => outer.Around(inner)),
        // ByteLevel's post-processing only trims offsets.
        ["ByteLevel"] = part => new([], [], OffsetTrimming.Read(part)),
        ["TemplateProcessing"] = ReadTemplate,
        ["RobertaProcessing"] = part => ReadClsSep(part) with { Trimming = OffsetTrimming.Read(part) },
        ["BertProcessing"] = ReadClsSep,
    };

    public static PostProcessor Read(JsonPart part) => part.ReadKind(Readers, "post-processor");

    /// <summary>This processor applied to the output of <paramref name="inner"/>.</summary>
    PostProcessor Around(PostProcessor inner) => new([.. Prefix, .. inner.Prefix], [.. inner.Suffix, .. Suffix], inner.Trimming ?? Trimming);

    public int[] Apply(List<int> ids) => [.. Prefix, .. ids, .. Suffix];

    /// <summary>The offsets of <see cref="Apply(List{int})"/>'s ids: the added special tokens stand for no text.</summary>
    public CharSpan[] Apply(List<CharSpan> offsets) => [.. Prefix.Select(_ => default(CharSpan)), .. offsets, .. Suffix.Select(_ => default(CharSpan))];

    static PostProcessor ReadTemplate(JsonPart part)
    {
        var specials = part.Optional("special_tokens")?.Fields().ToDictionary(f => f.Name, f => f.Value.Items("ids").Select(id => id.AsInt()).ToArray(), StringComparer.Ordinal)
            ?? [];
        var prefix = new List<int>();
        var suffix = new List<int>();
        bool sequenceSeen = false;
        foreach (var item in part.Items("single"))
        {
            if (item.Optional("Sequence") is JsonPart sequence)
            {
                if (sequenceSeen || sequence.String("id") != "A")
                    throw sequence.Error("the single template must hold sequence \"A\" once");
                sequenceSeen = true;
            }
            else if (item.Optional("SpecialToken") is JsonPart special)
            {
                string name = special.String("id");
                (sequenceSeen ? suffix : prefix).AddRange(specials.TryGetValue(name, out var ids) ? ids : throw special.Error($"\"{name}\" is not in special_tokens"));
            }
            else
            {
                throw item.Error("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
            }
        }
        return sequenceSeen ? new PostProcessor(prefix, suffix) : throw part.Required("single").Error("the template has no sequence \"A\"");
    }

    // {"cls": ["<s>", 0], "sep": ["</s>", 2]}: cls, the sequence, sep.
    static PostProcessor ReadClsSep(JsonPart part)
    {
        int IdOf(string name)
        {
            var pair = part.Items(name).ToList();
            return pair.Count == 2 ? pair[1].AsInt() : throw part.Required(name).Error("expected [token, id]");
        }
        return new PostProcessor([IdOf("cls")], [IdOf("sep")]);
    }
}

/// <summary>
/// Hugging Face's <c>trim_offsets</c> (ByteLevel, RobertaProcessing): spaces a token begins or ends
/// with ('Ġ' or whitespace) are left out of its offsets, except one leading space of a token at the
/// start when <paramref name="AddPrefixSpace"/> (the space the pre-tokenizer may have added).
/// </summary>
internal sealed record OffsetTrimming(bool AddPrefixSpace)
{
    static readonly char ByteLevelSpace = ByteLevelAlphabet.Symbol((byte)' ');

    /// <summary>The trimming a processor asks for (both fields default to true), or null.</summary>
    public static OffsetTrimming? Read(JsonPart part) => part.Bool("trim_offsets", true) ? new OffsetTrimming(part.Bool("add_prefix_space", true)) : null;

    /// <summary>
    /// Narrows <paramref name="offsets"/>, those of <paramref name="tokens"/> (the tokens' texts) in
    /// <paramref name="text"/>, in place. Hugging Face moves them by characters, so this steps by code points.
    /// </summary>
    public void Trim(IReadOnlyList<string> tokens, List<CharSpan> offsets, string text)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            int leading = 0, trailing = 0;
            while (leading < token.Length && IsSpace(token[leading]))
                leading++;
            while (trailing < token.Length && IsSpace(token[token.Length - 1 - trailing]))
                trailing++;
            var (start, end) = offsets[i];
            bool first = i == 0 || start == 0;
            if (leading > 0 && !(first && AddPrefixSpace && leading == 1))
                start = Forward(text, start, leading, end);
            if (trailing > 0 && Back(text, end, trailing) is int back)
                end = Math.Max(back, start);
            offsets[i] = new CharSpan(start, end);
        }
    }

    /// <summary><paramref name="count"/> code points after <paramref name="at"/>, at most <paramref name="limit"/>.</summary>
    static int Forward(string text, int at, int count, int limit)
    {
        for (int k = 0; k < count && at < limit; k++)
            at += char.IsSurrogatePair(text, at) ? 2 : 1;
        return Math.Min(at, limit);
    }

    /// <summary><paramref name="count"/> code points before <paramref name="at"/>, or null when fewer precede it.</summary>
    static int? Back(string text, int at, int count)
    {
        for (int k = 0; k < count; k++)
        {
            if (at == 0)
                return null;
            at -= at >= 2 && char.IsSurrogatePair(text, at - 2) ? 2 : 1;
        }
        return at;
    }

    static bool IsSpace(char c) => c == ByteLevelSpace || char.IsWhiteSpace(c);
}
