namespace GenRM.Text.Tokenizers;

/// <summary>What a split does with each match of its pattern (Hugging Face's <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    /// <summary>Matches are dropped.</summary>
    Removed,

    /// <summary>Matches and the text between them are pieces of their own.</summary>
    Isolated,

    /// <summary>A match joins the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>A match joins the piece after it.</summary>
    MergedWithNext,

    /// <summary>Consecutive matches form one piece, as does consecutive text between them.</summary>
    Contiguous,
}

/// <summary>
/// Hugging Face's <c>Split</c> (and <c>Digits</c>): the text is cut into alternating matches and
/// gaps, <c>invert</c> swaps which is which, and the behaviour decides how they form pieces.
/// </summary>
internal sealed class SplitPreTokenizer(TextPattern pattern, SplitBehavior behavior, bool invert) : IPreTokenizer
{
    static readonly Dictionary<string, SplitBehavior> Behaviors = Enum.GetValues<SplitBehavior>().ToDictionary(b => b.ToString(), StringComparer.Ordinal);

    public static SplitBehavior ReadBehavior(JsonPart part)
    {
        string name = part.AsString();
        return Behaviors.TryGetValue(name, out var behavior)
            ? behavior
            : throw part.Error($"split behavior \"{name}\" is not one of {string.Join(", ", Behaviors.Keys)}");
    }

    public void Split(Piece piece, List<Piece> output)
    {
        string text = piece.Text;
        var matches = new List<(int Start, int Length)>();
        pattern.Matches(text, matches);
        // The whole text as spans, each flagged as a match or not.
        var spans = new List<(int Start, int End, bool IsMatch)>(matches.Count * 2 + 1);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            if (start > at)
                spans.Add((at, start, invert));
            spans.Add((start, start + length, !invert));
            at = start + length;
        }
        if (at < text.Length)
            spans.Add((at, text.Length, invert));

        foreach (var (start, end) in Pieces(spans))
            if (end > start)
                output.Add(piece.Slice(start, end));
    }

    List<(int Start, int End)> Pieces(List<(int Start, int End, bool IsMatch)> spans)
    {
        var pieces = new List<(int Start, int End)>(spans.Count);
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                pieces.AddRange(spans.Select(s => (s.Start, s.End)));
                break;
            case SplitBehavior.Removed:
                pieces.AddRange(spans.Where(s => !s.IsMatch).Select(s => (s.Start, s.End)));
                break;
            case SplitBehavior.MergedWithPrevious:
            case SplitBehavior.Contiguous:
            {
                bool previousMatch = false;
                foreach (var (start, end, isMatch) in spans)
                {
                    bool join = behavior == SplitBehavior.Contiguous ? isMatch == previousMatch : isMatch && !previousMatch;
                    if (join && pieces.Count > 0)
                        pieces[^1] = (pieces[^1].Start, end);
                    else
                        pieces.Add((start, end));
                    previousMatch = isMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithNext:
            {
                // Hugging Face walks from the end: a match joins the piece after it.
                bool previousMatch = false;
                for (int i = spans.Count - 1; i >= 0; i--)
                {
                    var (start, end, isMatch) = spans[i];
                    if (isMatch && !previousMatch && pieces.Count > 0)
                        pieces[^1] = (start, pieces[^1].End);
                    else
                        pieces.Add((start, end));
                    previousMatch = isMatch;
                }
                pieces.Reverse();
                break;
            }
        }
        return pieces;
    }
}
