using GenRM.Data;

namespace GenRM.Judging;

/// <summary>Why a judge leaves an item out of an evaluation.</summary>
public enum SkipReason
{
    /// <summary>The item holds a character the model's tokenizer cannot encode (MiniWorld's knows newline and printable ASCII only).</summary>
    Unencodable,
    /// <summary>What the judge reads does not fit the model's positions (see <see cref="JudgeInputScreen"/>).</summary>
    TooLong,
}

/// <summary>An item a judge cannot read as it stands, and why (<paramref name="Detail"/> in words).</summary>
public sealed record InputRefusal(SkipReason Reason, string Detail);

/// <summary>A pair left out of an evaluation, and why.</summary>
public sealed record SkippedPair(PreferencePair Pair, InputRefusal Refusal);

/// <summary>The pairs a judge can read, in order, and those it left out.</summary>
public sealed record ScreenedPairs(IReadOnlyList<PreferencePair> Judgeable, IReadOnlyList<SkippedPair> Skipped);

/// <summary>
/// The evaluation's one policy for items a model cannot read: they are skipped and counted, never
/// truncated. An item is unencodable when its text holds a character outside the tokenizer's
/// vocabulary, and too long when the judge's whole input does not fit the model's positions: a
/// reward model's prompt with the longer response, a pairwise classifier's or a direct judge's
/// prompt (with its verdict reply), a chain-of-thought judge's prompt with its budget of new tokens.
/// Truncation was rejected: cutting a judge prompt from the left drops the question (or response
/// A), and cutting characters changes the text, so the judge would be scored on a comparison other
/// than the labelled one; a skipped item is visible in the counts instead of silently misjudged.
/// </summary>
public static class JudgeInputScreen
{
    /// <summary>Splits <paramref name="pairs"/> into those <paramref name="judge"/> can read and those it refuses.</summary>
    public static ScreenedPairs Screen(IPreferenceJudge judge, IReadOnlyList<PreferencePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(pairs);
        var judgeable = new List<PreferencePair>(pairs.Count);
        var skipped = new List<SkippedPair>();
        foreach (PreferencePair pair in pairs)
        {
            // The A/B order changes neither the characters nor the length, so chosen-as-A stands for both orders.
            if (judge.Refusal(new JudgeItem(pair.Prompt, pair.Chosen, pair.Rejected)) is { } refusal)
                skipped.Add(new SkippedPair(pair, refusal));
            else
                judgeable.Add(pair);
        }
        return new ScreenedPairs(judgeable, skipped);
    }

    /// <summary>
    /// The refusal of an input that <paramref name="countTokens"/> encodes and counts: unencodable when
    /// the tokenizer refuses a character, too long beyond <paramref name="positions"/>; null when it fits.
    /// </summary>
    internal static InputRefusal? Measure(Func<int> countTokens, int positions, string what)
    {
        int tokens;
        try
        {
            tokens = countTokens();
        }
        catch (BadInputException e)
        {
            return new InputRefusal(SkipReason.Unencodable, e.Message);
        }
        return tokens > positions ? new InputRefusal(SkipReason.TooLong, $"{what} takes {tokens} tokens; the model has {positions} positions") : null;
    }
}
