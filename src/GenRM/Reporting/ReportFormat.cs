using System.Globalization;
using GenRM.Evaluation;

namespace GenRM.Reporting;

/// <summary>How accuracies are written in the report and the findings: percent, one decimal, invariant culture.</summary>
internal static class ReportFormat
{
    public static string Percent(double fraction) =>
        double.IsFinite(fraction) ? (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    public static string Interval(ConfidenceInterval ci) => $"[{Percent(ci.Low)}, {Percent(ci.High)}]";

    /// <summary>A count's share of a total in percent; empty when the count is unknown, n/a when the total is 0.</summary>
    public static string Share(int? count, int total) => count is int n ? Percent(total == 0 ? double.NaN : (double)n / total) : "";

    /// <summary>"74.1 [71.2, 76.8]".</summary>
    public static string WithInterval(double fraction, ConfidenceInterval ci) => $"{Percent(fraction)} {Interval(ci)}";

    /// <summary>A paper entry: "73.9", "73.0-74.0", or "not reported".</summary>
    public static string Paper(PaperNumber? number) => number switch
    {
        { Low: double low, High: double high } when low != high => $"{Percent(low)}-{Percent(high)}",
        { Low: double low } => Percent(low),
        _ => "not reported",
    };
}
