using System.Collections.Immutable;

namespace GenRM.Data;

/// <summary>
/// Every problem found while reading a preference file, and what became of the items: read, or
/// skipped (each skipped item has a problem here, so nothing is dropped silently).
/// </summary>
/// <param name="ItemsSeen">Items (non-blank lines, array items, rows) found in the file.</param>
/// <param name="ItemsSkipped">Items that did not become pairs.</param>
/// <param name="Problems">All problems, in file order.</param>
public sealed record ValidationReport(long ItemsSeen, long ItemsSkipped, ImmutableArray<DataProblem> Problems)
{
    /// <summary>Problems that made an item unreadable.</summary>
    public IEnumerable<DataProblem> Errors => Problems.Where(p => p.IsError);

    /// <summary>Problems about pairs that were readable but suspect.</summary>
    public IEnumerable<DataProblem> Warnings => Problems.Where(p => !p.IsError);

    /// <summary>True when no item was unreadable.</summary>
    public bool HasNoErrors => !Problems.Any(p => p.IsError);

    /// <summary>How many problems of each kind.</summary>
    public IReadOnlyDictionary<DataProblemKind, int> CountByKind() =>
        Problems.GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => g.Count());
}
