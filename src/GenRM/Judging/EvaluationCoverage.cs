using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using GenRM.Evaluation;
using GenRM.IO;

namespace GenRM.Judging;

/// <summary>
/// One subset of an evaluation (or all of it): the pairs judged and their plain accuracy with a Wilson
/// interval, and the pairs skipped under <see cref="JudgeInputScreen"/>'s policy, counted by reason
/// with the first few named (file, item and why).
/// </summary>
/// <param name="Subset">The subset's name ("" when the pairs name none).</param>
/// <param name="Score">Accuracy over the judged pairs (NaN with no judged pair).</param>
/// <param name="Skipped">The skipped pairs, in data order.</param>
public sealed record SubsetCoverage(string Subset, SectionScore Score, ImmutableArray<SkippedPair> Skipped)
{
    /// <summary>How many skipped pairs are listed by name per reason.</summary>
    public const int ListedPerReason = 5;

    /// <summary>Pairs read: judged plus skipped.</summary>
    public int Read => Score.N + Skipped.Length;

    /// <summary>Skipped pairs for <paramref name="reason"/>.</summary>
    public int SkippedFor(SkipReason reason) => Skipped.Count(s => s.Refusal.Reason == reason);
}

/// <summary>Coverage of an evaluation per subset and overall, and results.json with it.</summary>
public static class EvaluationCoverage
{
    /// <summary>The name results.json and the summary give each reason.</summary>
    public static string Name(SkipReason reason) => reason switch
    {
        SkipReason.Unencodable => "unencodable",
        SkipReason.TooLong => "too_long",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The policy in one sentence, as results.json states it.</summary>
    public const string Policy = "items a model cannot read are skipped and counted, never truncated: unencodable (a character outside the tokenizer's vocabulary) or too_long (the judge's input, with a chain-of-thought judge's new tokens, exceeds the model's positions)";

    /// <summary>One entry per subset (ordinal order) from the judged and the skipped pairs.</summary>
    public static IReadOnlyList<SubsetCoverage> BySubset(IReadOnlyList<JudgedPair> judged, IReadOnlyList<SkippedPair> skipped)
    {
        ArgumentNullException.ThrowIfNull(judged);
        ArgumentNullException.ThrowIfNull(skipped);
        return [.. judged.Select(j => j.Pair.Subset).Concat(skipped.Select(s => s.Pair.Subset)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(subset => Of(subset, [.. judged.Where(j => j.Pair.Subset == subset)], [.. skipped.Where(s => s.Pair.Subset == subset)]))];
    }

    /// <summary>All the pairs as one entry, named <paramref name="name"/>.</summary>
    public static SubsetCoverage Of(string name, IReadOnlyList<JudgedPair> judged, IReadOnlyList<SkippedPair> skipped) =>
        new(name, SectionScoring.Plain(name, judged.Select(j => j.Outcome)), [.. skipped]);

    /// <summary>
    /// results.json (DESIGN.md's schema) with two more fields: <c>skip_policy</c>, and <c>subsets</c>, one
    /// object per subset and a last one named <c>all</c>, each with its judged count, accuracy, interval,
    /// skipped counts per reason and the first skipped items per reason.
    /// </summary>
    public static string ToResultsJson(RunInfo run, IEnumerable<ResultRow> rows, IReadOnlyList<SubsetCoverage> subsets)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(subsets);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            ResultTable.WriteRun(json, run, rows);
            json.WriteString("skip_policy", Policy);
            json.WriteStartArray("subsets");
            foreach (SubsetCoverage subset in subsets)
                Write(json, subset);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <see cref="ToResultsJson"/> atomically.</summary>
    public static void WriteResultsJson(string path, RunInfo run, IEnumerable<ResultRow> rows, IReadOnlyList<SubsetCoverage> subsets) =>
        AtomicWrite.WriteAllText(path, ToResultsJson(run, rows, subsets));

    static void Write(Utf8JsonWriter json, SubsetCoverage subset)
    {
        json.WriteStartObject();
        json.WriteString("subset", subset.Subset);
        json.WriteNumber("read", subset.Read);
        json.WriteNumber("judged", subset.Score.N);
        if (double.IsFinite(subset.Score.Accuracy))
        {
            json.WriteNumber("accuracy", subset.Score.Accuracy);
            json.WriteStartArray("ci95");
            json.WriteNumberValue(subset.Score.Ci95.Low);
            json.WriteNumberValue(subset.Score.Ci95.High);
            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("accuracy");
            json.WriteNull("ci95");
        }
        json.WriteStartObject("skipped");
        foreach (SkipReason reason in Enum.GetValues<SkipReason>())
            json.WriteNumber(Name(reason), subset.SkippedFor(reason));
        json.WriteEndObject();
        json.WriteStartObject("first_skipped");
        foreach (SkipReason reason in Enum.GetValues<SkipReason>())
        {
            json.WriteStartArray(Name(reason));
            foreach (SkippedPair skipped in subset.Skipped.Where(s => s.Refusal.Reason == reason).Take(SubsetCoverage.ListedPerReason))
            {
                json.WriteStartObject();
                json.WriteString("item", skipped.Pair.Where);
                json.WriteString("id", skipped.Pair.Id);
                json.WriteString("why", skipped.Refusal.Detail);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
