using GenRM.Evaluation;

namespace GenRM.Reporting;

/// <summary>An accuracy as the findings compare it: what it is, its value, its 95 % interval.</summary>
internal sealed record Estimate(string Label, double Accuracy, ConfidenceInterval Ci95)
{
    public override string ToString() => $"{Label} {ReportFormat.WithInterval(Accuracy, Ci95)}";
}

/// <summary>One comparison behind a finding: its verdict and a short sentence of evidence.</summary>
internal sealed record Comparison(FindingStatus Status, string Evidence);

/// <summary>
/// The interval rules of <see cref="Findings.Rules"/>. Without item-level outcomes no paired test
/// is possible, so two accuracies are compared through their 95 % intervals alone.
/// </summary>
internal static class IntervalRules
{
    /// <summary>"A beats B": A's interval wholly above B's; below is a failure; overlap is inconclusive.</summary>
    public static Comparison Beats(Estimate a, Estimate b)
    {
        string pair = $"{a} vs {b} ({Difference(a, b)})";
        if (a.Ci95.Low > b.Ci95.High)
            return new(FindingStatus.Reproduced, $"{pair}: intervals apart, {a.Label} higher");
        if (a.Ci95.High < b.Ci95.Low)
            return new(FindingStatus.NotReproduced, $"{pair}: intervals apart, {a.Label} lower");
        return new(FindingStatus.Inconclusive, $"{pair}: intervals overlap");
    }

    /// <summary>"A matches B": each value inside the other's interval; intervals apart is a failure; otherwise inconclusive.</summary>
    public static Comparison Matches(Estimate a, Estimate b)
    {
        string pair = $"{a} vs {b} ({Difference(a, b)})";
        if (a.Ci95.Contains(b.Accuracy) && b.Ci95.Contains(a.Accuracy))
            return new(FindingStatus.Reproduced, $"{pair}: each within the other's interval");
        if (a.Ci95.Low > b.Ci95.High || b.Ci95.Low > a.Ci95.High)
            return new(FindingStatus.NotReproduced, $"{pair}: intervals apart");
        return new(FindingStatus.Inconclusive, $"{pair}: intervals overlap, but a value lies outside the other's interval");
    }

    /// <summary>
    /// A claim over several comparisons fails when any fails; it is inconclusive when a method is
    /// missing or any comparison is inconclusive; otherwise it is reproduced.
    /// </summary>
    public static FindingStatus Combine(IReadOnlyCollection<Comparison> comparisons, IReadOnlyCollection<string> missing)
    {
        if (comparisons.Any(c => c.Status == FindingStatus.NotReproduced))
            return FindingStatus.NotReproduced;
        if (missing.Count > 0 || comparisons.Count == 0 || comparisons.Any(c => c.Status == FindingStatus.Inconclusive))
            return FindingStatus.Inconclusive;
        return FindingStatus.Reproduced;
    }

    static string Difference(Estimate a, Estimate b)
    {
        double difference = a.Accuracy - b.Accuracy;
        return $"{(difference >= 0 ? "+" : "")}{ReportFormat.Percent(difference)} points";
    }
}
