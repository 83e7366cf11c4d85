using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GenRM.Evaluation;
using GenRM.IO;

namespace GenRM.Reporting;

/// <summary>
/// A study's results.json: the run fields and rows of DESIGN.md's schema, then everything else a
/// reader needs to check them: seeds, every setting, software versions, how intervals were
/// computed, greedy readouts, per-seed rows, the findings with their paired tests, budget cards,
/// diagnostics, STaR iterations, ceilings and the base-model card.
/// </summary>
public static class ResultsJson
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the document atomically.</summary>
    public static void Write(string path, StudyReport report) => AtomicWrite.WriteAllText(path, Of(report));

    /// <summary>The whole document, indented.</summary>
    public static string Of(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            ResultTable.WriteRun(json, report.Run, report.Results);
            if (report.IsSmoke)
                json.WriteString("warning", ReportWriter.SmokeWarning);
            json.WritePropertyName("seeds");
            JsonSerializer.Serialize(json, report.Seeds.Count > 0 ? report.Seeds : [report.Run.Seed], Json);
            if (!string.IsNullOrWhiteSpace(report.Settings))
            {
                json.WritePropertyName("settings");
                JsonNode.Parse(report.Settings)!.WriteTo(json);
            }
            json.WriteStartObject("versions");
            foreach (var version in report.Versions) json.WriteString(version.Name, version.Version);
            json.WriteEndObject();
            if (report.Machine.Length > 0) json.WriteString("machine", report.Machine);
            json.WriteString("interval_method", Findings.IntervalMethods);
            json.WriteString("decision_rules", Findings.Rules);
            json.WriteNumber("equivalence_margin", Findings.EquivalenceMargin);
            ResultTable.WriteRows(json, "greedy_rows", report.GreedyResults);
            json.WriteStartArray("rows_by_seed");
            foreach (var (seed, rows) in report.ResultsBySeed.OrderBy(s => s.Key))
            {
                json.WriteStartObject();
                json.WriteNumber("seed", seed);
                ResultTable.WriteRows(json, "rows", rows);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteFindings(json, Reporting.Findings.Evaluate(report));
            Value(json, "budgets", report.Budgets);
            Value(json, "diagnostics", report.Diagnostics);
            Value(json, "star_iterations", report.StarIterations.Select(i => new
            {
                i.Method, i.Seed, i.Iteration, i.HeldOutAccuracy, i.Ci95, i.Sampled, i.Kept, i.SampledWithCheck, i.KeptWithCheck, i.ExamplesBuilt,
            }));
            if (report.Sampler.Count > 0)
                Value(json, "sampler", report.Sampler);
            Value(json, "ceilings", report.Ceilings);
            if (report.BaseModelCard is { } card)
                Value(json, "base_model_card", card);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void WriteFindings(Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        Value(json, "findings", findings.Select(f => new
        {
            f.Claim,
            Status = ReportWriter.StatusLabel(f.Status),
            f.Evidence,
            Comparisons = f.Verdicts.Select(v => new
            {
                v.A, v.B, v.Test.Section, v.Test.AccuracyA, v.Test.AccuracyB, Difference = v.Test.Difference.Value, v.Test.Difference.Ci95,
                Items = v.Test.Difference.N, v.Test.Seeds, v.Test.McNemarP, Status = ReportWriter.StatusLabel(v.Status),
            }),
        }));
    }

    static void Value<T>(Utf8JsonWriter json, string name, T value)
    {
        json.WritePropertyName(name);
        JsonSerializer.Serialize(json, value, Json);
    }
}
