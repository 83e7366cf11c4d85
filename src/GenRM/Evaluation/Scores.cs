namespace GenRM.Evaluation;

/// <summary>Accuracy on one subset, with its Wilson 95 % interval.</summary>
/// <param name="Subset">The subset's name.</param>
/// <param name="Section">Its RewardBench section, or null when it has none (it then counts in no section).</param>
/// <param name="Accuracy">Mean item score.</param>
/// <param name="N">Items scored.</param>
/// <param name="Ci95">Wilson 95 % interval.</param>
public sealed record SubsetScore(string Subset, string? Section, double Accuracy, int N, ConfidenceInterval Ci95);

/// <summary>Accuracy on one section of the results (in-distribution, a RewardBench section, or RewardBench overall).</summary>
/// <param name="Section">One of <see cref="RewardBenchSections"/>' names.</param>
/// <param name="Accuracy">The section score (weighted over subsets for RewardBench sections).</param>
/// <param name="N">Items scored in the section.</param>
/// <param name="Ci95">95 % interval (Wilson for plain accuracy, bootstrap over items for weighted scores).</param>
public sealed record SectionScore(string Section, double Accuracy, int N, ConfidenceInterval Ci95)
{
    /// <summary>The section as a results.json row for <paramref name="method"/>.</summary>
    public ResultRow ToRow(string method) => new(method, Section, Accuracy, N, Ci95);
}
