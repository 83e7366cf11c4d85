using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GenRM.IO;

namespace GenRM.Experiments;

/// <summary>One trained method at one learning rate and β, scored on the held-out slice.</summary>
public sealed record SweepPoint(string Method, double LearningRate, double DpoBeta, double HeldOutAccuracy, int Items, double Seconds);

/// <summary>
/// A finished sweep: every point and the values it chose. Written as <c>sweep.json</c> (read back
/// by tests that hold the presets to it) and <c>sweep.md</c> (the table a reader checks).
/// </summary>
public sealed record SweepResult(string Preset, int Seed, int HeldOutItems, IReadOnlyList<SweepPoint> Points, double LearningRate, double DpoBeta)
{
    public const string JsonFile = "sweep.json", MarkdownFile = "sweep.md";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The learning rate whose mean held-out accuracy over the methods run at it is highest; the smaller on a tie.</summary>
    public static double BestRate(IReadOnlyList<SweepPoint> points, IReadOnlyList<double> rates) =>
        rates.Order().MaxBy(rate => MeanAt(points, rate) ?? double.NegativeInfinity);

    /// <summary>STaR-DPO's best β at <paramref name="rate"/>; the first listed on a tie.</summary>
    public static double BestBeta(IReadOnlyList<SweepPoint> points, double rate, IReadOnlyList<double> betas) =>
        betas.MaxBy(beta => DpoAt(points, rate, beta)?.HeldOutAccuracy ?? double.NegativeInfinity);

    /// <summary>The mean held-out accuracy of the methods run at <paramref name="rate"/> with the first β they ran at.</summary>
    static double? MeanAt(IReadOnlyList<SweepPoint> points, double rate)
    {
        var atRate = points.Where(p => p.LearningRate == rate).GroupBy(p => p.Method).Select(g => g.First().HeldOutAccuracy).ToArray();
        return atRate.Length == 0 ? null : atRate.Average();
    }

    static SweepPoint? DpoAt(IReadOnlyList<SweepPoint> points, double rate, double beta) =>
        points.FirstOrDefault(p => p.Method == Reporting.StudyOrder.StarDpo && p.LearningRate == rate && p.DpoBeta == beta);

    public void Save(string folder)
    {
        AtomicWrite.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(this, Json));
        AtomicWrite.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown());
    }

    public static SweepResult Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepResult>(File.ReadAllText(path), Json) ?? throw BadInputException.About(path, "empty sweep.");
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not a sweep result ({e.Message}).");
        }
    }

    /// <summary>Held-out accuracy per method (rows) and learning rate (columns), their mean, then STaR-DPO's β at the chosen rate.</summary>
    public string Markdown()
    {
        var rates = Points.Select(p => p.LearningRate).Distinct().Order().ToArray();
        var methods = Points.Select(p => p.Method).Distinct().ToArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Sweep: preset {Preset}, seed {Seed}, {HeldOutItems} held-out pairs");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Chosen: learning rate **{Number(LearningRate)}**, DPO β **{Number(DpoBeta)}**. Held-out accuracy (majority vote for chain-of-thought judges):");
        md.AppendLine();
        md.AppendLine("| method | " + string.Join(" | ", rates.Select(r => $"lr {Number(r)}")) + " |");
        md.AppendLine("|---|" + string.Concat(rates.Select(_ => "---|")));
        foreach (string method in methods)
            md.AppendLine($"| {method} | " + string.Join(" | ", rates.Select(r => Points.FirstOrDefault(p => p.Method == method && p.LearningRate == r) is { } p ? Percent(p.HeldOutAccuracy) : "")) + " |");
        md.AppendLine("| **mean** | " + string.Join(" | ", rates.Select(r => MeanAt(Points, r) is { } m ? $"**{Percent(m)}**" : "")) + " |");
        var betas = Points.Where(p => p.Method == Reporting.StudyOrder.StarDpo && p.LearningRate == LearningRate).OrderBy(p => p.DpoBeta).ToArray();
        if (betas.Length > 1)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"STaR-DPO at learning rate {Number(LearningRate)}:");
            md.AppendLine();
            md.AppendLine("| β | held-out accuracy |");
            md.AppendLine("|---|---|");
            foreach (var p in betas)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Number(p.DpoBeta)} | {Percent(p.HeldOutAccuracy)} |");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Points.Count} method runs, {Points.Sum(p => p.Seconds) / 60:F0} minutes.");
        return md.ToString();
    }

    /// <summary>A learning rate or β as the sweep writes it in tables, logs and folder names: "0.0002".</summary>
    internal static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    static string Percent(double value) => Reporting.ReportFormat.Percent(value) + " %";
}
