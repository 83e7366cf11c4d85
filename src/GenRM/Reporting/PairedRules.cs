using System.Globalization;
using GenRM.Evaluation;

namespace GenRM.Reporting;

/// <summary>One paired comparison behind a finding: what was compared, the test, its verdict and a short sentence of evidence.</summary>
/// <param name="A">The first side (a method, or a method's readout or iteration).</param>
/// <param name="B">The second side.</param>
/// <param name="Test">The paired test on their shared items.</param>
/// <param name="Status">The verdict by <see cref="Findings.Rules"/>.</param>
/// <param name="Evidence">The numbers, as the report prints them.</param>
public sealed record PairedVerdict(string A, string B, PairedComparison Test, FindingStatus Status, string Evidence);

/// <summary>
/// The decision rules of <see cref="Findings.Rules"/>, applied to the paired bootstrap interval of a
/// difference in accuracy (A − B): "beats" needs the interval above 0, "matches" inside the
/// equivalence margin.
/// </summary>
internal static class PairedRules
{
    /// <summary>"A beats B": interval wholly above 0; wholly below is a failure; otherwise inconclusive.</summary>
    public static PairedVerdict Beats(string a, string b, PairedComparison test)
    {
        var ci = test.Difference.Ci95;
        var (status, why) = ci.Low > 0 ? (FindingStatus.Reproduced, $"interval above 0, {a} higher")
            : ci.High < 0 ? (FindingStatus.NotReproduced, $"interval below 0, {a} lower")
            : (FindingStatus.Inconclusive, "interval contains 0");
        return new PairedVerdict(a, b, test, status, $"{Describe(a, b, test)}: {why}");
    }

    /// <summary>"A matches B": interval wholly inside ±margin; wholly outside is a failure; otherwise inconclusive.</summary>
    public static PairedVerdict Matches(string a, string b, PairedComparison test)
    {
        var ci = test.Difference.Ci95;
        double margin = Findings.EquivalenceMargin;
        string points = ReportFormat.Percent(margin);
        var (status, why) = ci.Low >= -margin && ci.High <= margin ? (FindingStatus.Reproduced, $"interval inside ±{points} points")
            : ci.Low > margin || ci.High < -margin ? (FindingStatus.NotReproduced, $"interval outside ±{points} points")
            : (FindingStatus.Inconclusive, $"interval crosses ±{points} points");
        return new PairedVerdict(a, b, test, status, $"{Describe(a, b, test)}: {why}");
    }

    /// <summary>
    /// A claim over several comparisons fails when any fails; it is inconclusive when something is
    /// missing or any comparison is inconclusive; otherwise it is reproduced.
    /// </summary>
    public static FindingStatus Combine(IReadOnlyCollection<PairedVerdict> verdicts, IReadOnlyCollection<string> missing)
    {
        if (verdicts.Any(c => c.Status == FindingStatus.NotReproduced))
            return FindingStatus.NotReproduced;
        if (missing.Count > 0 || verdicts.Count == 0 || verdicts.Any(c => c.Status == FindingStatus.Inconclusive))
            return FindingStatus.Inconclusive;
        return FindingStatus.Reproduced;
    }

    /// <summary>"bradley-terry 80.0 vs zero-shot 55.0 on in-distribution: +25.0 points [21.0, 29.0] (paired bootstrap, 1000 items, 1 seed; McNemar p = 0.0001)".</summary>
    static string Describe(string a, string b, PairedComparison test)
    {
        double difference = test.Difference.Value;
        string mcNemar = test.McNemarP is double p ? $"; McNemar p = {P(p)}" : "";
        string seeds = test.Seeds == 1 ? "1 seed" : $"{test.Seeds} seeds";
        return $"{a} {ReportFormat.Percent(test.AccuracyA)} vs {b} {ReportFormat.Percent(test.AccuracyB)} on {test.Section}: " +
            $"{(difference >= 0 ? "+" : "")}{ReportFormat.Percent(difference)} points {ReportFormat.Interval(test.Difference.Ci95)} " +
            $"(paired bootstrap, {test.Difference.N} items, {seeds}{mcNemar})";
    }

    static string P(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);
}
