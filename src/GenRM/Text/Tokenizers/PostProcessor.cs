namespace GenRM.Text.Tokenizers;

/// <summary>
/// What a <c>post_processor</c> does to one sequence's ids when special tokens are asked for: ids
/// before and after it (Llama's BOS, RoBERTa's &lt;s&gt; … &lt;/s&gt;). Pairs of sequences are not
/// encoded by the workbench, so only the <c>single</c> template is read.
/// </summary>
internal sealed record PostProcessor(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    public static readonly PostProcessor None = new([], []);

    static readonly Dictionary<string, Func<JsonPart, PostProcessor>> Readers = new()
    {
        ["Sequence"] = part => part.Items("processors").Select(Read).Aggregate(None, (inner, outer) => outer.Around(inner)),
        // ByteLevel's post-processing only trims offsets.
        ["ByteLevel"] = _ => None,
        ["TemplateProcessing"] = ReadTemplate,
        ["RobertaProcessing"] = ReadClsSep,
        ["BertProcessing"] = ReadClsSep,
    };

    public static PostProcessor Read(JsonPart part) => part.ReadKind(Readers, "post-processor");

    /// <summary>This processor applied to the output of <paramref name="inner"/>.</summary>
    PostProcessor Around(PostProcessor inner) => new([.. Prefix, .. inner.Prefix], [.. inner.Suffix, .. Suffix]);

    public int[] Apply(List<int> ids) => [.. Prefix, .. ids, .. Suffix];

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
