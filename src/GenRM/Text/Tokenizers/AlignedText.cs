using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>
/// Text on its way through a normalizer, with, for each UTF-16 unit, the stretch of the encoded
/// text it came from (Hugging Face's <c>NormalizedString</c> alignments). Both units of a surrogate
/// pair carry the whole character's stretch; units a step inserted carry the stretch of the
/// character they were put beside.
/// </summary>
internal sealed class AlignedText
{
    readonly CharSpan[] origins;

    AlignedText(string text, CharSpan[] origins)
    {
        Text = text;
        this.origins = origins;
    }

    public string Text { get; }

    /// <summary><paramref name="text"/> as it stands, found at <paramref name="offset"/> of the encoded text.</summary>
    public static AlignedText Of(string text, int offset)
    {
        var origins = new CharSpan[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bool pair = char.IsSurrogatePair(text, i);
            origins[i] = new CharSpan(offset + i, offset + i + (pair ? 2 : 1));
            if (pair)
            {
                origins[i + 1] = origins[i];
                i++;
            }
        }
        return new AlignedText(text, origins);
    }

    /// <summary>The encoded text's stretch that units <paramref name="start"/> to <paramref name="end"/> came from: the first one's start to the last one's end, as Hugging Face converts offsets.</summary>
    public CharSpan Origin(int start, int end) => new(origins[start].Start, origins[end - 1].End);

    /// <summary>Units <paramref name="start"/> to <paramref name="end"/>, each with its own origin.</summary>
    public AlignedText Slice(int start, int end) => new(Text[start..end], origins[start..end]);

    /// <summary>The text with <paramref name="prefix"/> before it, standing for the first character, as Hugging Face's <c>prepend</c> aligns it; empty text stays empty.</summary>
    public AlignedText Prepend(string prefix) => Text.Length == 0
        ? this
        : new AlignedText(prefix + Text, [.. Enumerable.Repeat(origins[0], prefix.Length), .. origins]);

    /// <summary>Each code point replaced by <paramref name="map"/>'s text (possibly none), which stands for that code point.</summary>
    public AlignedText MapRunes(Func<Rune, string> map)
    {
        var result = new Builder(Text.Length);
        for (int i = 0; i < Text.Length;)
        {
            Rune.DecodeFromUtf16(Text.AsSpan(i), out Rune rune, out int length);
            result.Append(map(rune), origins[i]);
            i += length;
        }
        return result.Build();
    }

    /// <summary>Every match of <paramref name="pattern"/> replaced by <paramref name="content"/>, which stands for the whole match.</summary>
    public AlignedText Replace(TextPattern pattern, string content)
    {
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(Text, matches);
        if (matches.Count == 0)
            return this;
        var result = new Builder(Text.Length);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            result.Append(this, at, start);
            result.Append(content, Origin(start, start + length));
            at = start + length;
        }
        result.Append(this, at, Text.Length);
        return result.Build();
    }

    /// <summary>
    /// Unicode normalization to <paramref name="form"/>, each resulting character standing for the
    /// character it came from, as Hugging Face traces it: a part of a decomposition for the
    /// character decomposed, a composed character for the first of those it joins (the others then
    /// stand in no unit). Should the trace fail, the whole text stands for every unit: coarser,
    /// never a wrong part.
    /// </summary>
    public AlignedText Normalize(NormalizationForm form)
    {
        string normalized = Text.Normalize(form);
        if (string.Equals(normalized, Text, StringComparison.Ordinal))
            return this;
        var decomposition = form is NormalizationForm.FormC or NormalizationForm.FormD ? NormalizationForm.FormD : NormalizationForm.FormKD;
        var result = new Builder(normalized.Length);
        var trace = new DecompositionTrace(Text, decomposition);
        foreach (Rune character in normalized.EnumerateRunes())
        {
            if (trace.SourceOf(character) is not int source)
                return Coarse();
            result.Append(character.ToString(), origins[source]);
        }
        return trace.AllUsed ? result.Build() : Coarse();

        AlignedText Coarse() => new(normalized, [.. Enumerable.Repeat(Origin(0, Text.Length), normalized.Length)]);
    }

    /// <summary>
    /// The parts a text's characters decompose into, each with the position of its character, used
    /// up in turn by the characters of the text's normalization: each takes its own decomposition's
    /// parts (the first unused equal ones, so reordered marks are found too) and comes from where
    /// its first part came from.
    /// </summary>
    sealed class DecompositionTrace
    {
        readonly List<(Rune Part, int Source)> parts = [];
        readonly NormalizationForm decomposition;
        readonly List<bool> used = [];
        int head;

        public DecompositionTrace(string text, NormalizationForm decomposition)
        {
            this.decomposition = decomposition;
            for (int i = 0; i < text.Length;)
            {
                int length = char.IsSurrogatePair(text, i) ? 2 : 1;
                foreach (Rune part in text.Substring(i, length).Normalize(decomposition).EnumerateRunes())
                {
                    parts.Add((part, i));
                    used.Add(false);
                }
                i += length;
            }
        }

        public bool AllUsed => used.TrueForAll(u => u);

        /// <summary>Where <paramref name="character"/> comes from, its parts used up; null when they are not all found.</summary>
        public int? SourceOf(Rune character)
        {
            while (head < parts.Count && used[head])
                head++;
            int? source = null;
            foreach (Rune part in character.ToString().Normalize(decomposition).EnumerateRunes())
            {
                int at = head;
                while (at < parts.Count && (used[at] || parts[at].Part != part))
                    at++;
                if (at == parts.Count)
                    return null;
                used[at] = true;
                source ??= parts[at].Source;
            }
            return source;
        }
    }

    sealed class Builder(int capacity)
    {
        readonly StringBuilder text = new(capacity);
        readonly List<CharSpan> origins = new(capacity);

        public void Append(string added, CharSpan origin)
        {
            text.Append(added);
            for (int i = 0; i < added.Length; i++)
                origins.Add(origin);
        }

        public void Append(AlignedText source, int start, int end)
        {
            text.Append(source.Text, start, end - start);
            for (int i = start; i < end; i++)
                origins.Add(source.origins[i]);
        }

        public AlignedText Build() => new(text.ToString(), [.. origins]);
    }
}
