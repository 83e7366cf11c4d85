using Microsoft.Data.Analysis;

namespace GenRM.Data;

/// <summary><see cref="DataFrame"/> views of preference pairs, for notebooks.</summary>
public static class PreferenceFrames
{
    /// <summary>
    /// One row per pair: id, subset, source, prompt_turns, prompt_chars, chosen_chars,
    /// rejected_chars, chosen_longer, chosen_first (label balance; null when the file has no order), margin.
    /// </summary>
    public static DataFrame Pairs(IReadOnlyCollection<PreferencePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return new DataFrame(
            new StringDataFrameColumn("id", pairs.Select(p => p.Id)),
            new StringDataFrameColumn("subset", pairs.Select(p => p.Subset)),
            new StringDataFrameColumn("source", pairs.Select(p => p.Source)),
            new Int32DataFrameColumn("prompt_turns", pairs.Select(p => p.Prompt.Length)),
            new Int32DataFrameColumn("prompt_chars", pairs.Select(p => p.Prompt.Sum(m => m.Content.Length))),
            new Int32DataFrameColumn("chosen_chars", pairs.Select(p => p.Chosen.Length)),
            new Int32DataFrameColumn("rejected_chars", pairs.Select(p => p.Rejected.Length)),
            new BooleanDataFrameColumn("chosen_longer", pairs.Select(p => p.Chosen.Length > p.Rejected.Length)),
            new BooleanDataFrameColumn("chosen_first", pairs.Select(p => p.ChosenWasFirst)),
            new DoubleDataFrameColumn("margin", pairs.Select(p => p.Margin)));
    }

    /// <summary>
    /// One row per subset: pairs, mean_chosen_chars, mean_rejected_chars, chosen_longer_fraction
    /// (length bias), chosen_first_fraction (label balance, NaN when unknown).
    /// </summary>
    public static DataFrame Subsets(IReadOnlyCollection<PreferencePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var groups = pairs.GroupBy(p => p.Subset).ToList();
        return new DataFrame(
            new StringDataFrameColumn("subset", groups.Select(g => g.Key)),
            new Int32DataFrameColumn("pairs", groups.Select(g => g.Count())),
            new DoubleDataFrameColumn("mean_chosen_chars", groups.Select(g => g.Average(p => (double)p.Chosen.Length))),
            new DoubleDataFrameColumn("mean_rejected_chars", groups.Select(g => g.Average(p => (double)p.Rejected.Length))),
            new DoubleDataFrameColumn("chosen_longer_fraction", groups.Select(g => g.Average(p => p.Chosen.Length > p.Rejected.Length ? 1.0 : 0.0))),
            new DoubleDataFrameColumn("chosen_first_fraction", groups.Select(g =>
                g.Any(p => p.ChosenWasFirst is not null) ? g.Where(p => p.ChosenWasFirst is not null).Average(p => p.ChosenWasFirst!.Value ? 1.0 : 0.0) : double.NaN)));
    }
}
