using System.Globalization;
using System.Text;
using GenRM.Judging;

namespace GenRM.Cli;

/// <summary>The per-subset summary <c>genrm eval</c> prints under the results: pairs read, judged, accuracy, and skipped by reason.</summary>
internal static class CoverageSummary
{
    public static string Format(IReadOnlyList<SubsetCoverage> subsets)
    {
        var reasons = Enum.GetValues<SkipReason>();
        int width = Math.Max(12, subsets.Max(s => s.Subset.Length) + 2);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"subset".PadRight(width)}{"read",6}{"judged",8}{"accuracy",18}");
        foreach (SkipReason reason in reasons)
            text.Append(CultureInfo.InvariantCulture, $"{EvaluationCoverage.Name(reason),13}");
        text.AppendLine();
        foreach (SubsetCoverage subset in subsets)
        {
            string accuracy = subset.Score.N == 0 ? "-"
                : string.Create(CultureInfo.InvariantCulture, $"{100 * subset.Score.Accuracy:F1} [{100 * subset.Score.Ci95.Low:F0},{100 * subset.Score.Ci95.High:F0}]");
            text.Append(CultureInfo.InvariantCulture, $"{(subset.Subset.Length == 0 ? "(none)" : subset.Subset).PadRight(width)}{subset.Read,6}{subset.Score.N,8}{accuracy,18}");
            foreach (SkipReason reason in reasons)
                text.Append(CultureInfo.InvariantCulture, $"{subset.SkippedFor(reason),13}");
            text.AppendLine();
        }
        if (subsets.Any(s => s.Skipped.Length > 0))
            text.AppendLine(CultureInfo.InvariantCulture, $"Skipped pairs are left out of every accuracy, never truncated; results.json names the first {SubsetCoverage.ListedPerReason} per subset and reason.");
        return text.ToString();
    }

    /// <summary>"3 unencodable, 2 too_long".</summary>
    public static string SkippedCounts(IReadOnlyList<SkippedPair> skipped) =>
        string.Join(", ", Enum.GetValues<SkipReason>().Select(r => $"{skipped.Count(s => s.Refusal.Reason == r)} {EvaluationCoverage.Name(r)}"));
}
