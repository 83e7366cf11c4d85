using System.Collections.Immutable;

namespace GenRM.Data;

/// <summary>The pairs read from one file, the format they were read as, and the validation report.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Format">The format's name (see <see cref="PreferenceFormats.Names"/>).</param>
/// <param name="FormatDetected">True when the format was detected rather than given.</param>
/// <param name="Pairs">The pairs, in file order.</param>
/// <param name="Report">Every problem found and how many items were skipped.</param>
public sealed record PreferenceDataSet(string Path, string Format, bool FormatDetected, ImmutableArray<PreferencePair> Pairs, ValidationReport Report)
{
    /// <summary>Pair counts per subset, in order of first appearance ("" for pairs without one).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> SubsetCounts() =>
        [.. Pairs.GroupBy(p => p.Subset).Select(g => KeyValuePair.Create(g.Key, g.Count()))];
}
