using System.Text.Json;
using System.Text.Json.Serialization;
using GenRM.Evaluation;
using GenRM.IO;
using GenRM.Reporting;

namespace GenRM.Experiments;

/// <summary>
/// Everything one method produced: its results rows, item-level outcomes, training curves, STaR
/// iterations, position bias and majority-vote statistics, and how long each phase took (null in outcomes written before
/// phases were recorded). Written to <c>methods/&lt;method&gt;/outcome.json</c> when the
/// method finishes; its presence is what lets a resumed run skip the method.
/// </summary>
public sealed record MethodOutcome(
    string Method,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<IReadOnlyDictionary<string, double>> Metrics,
    IReadOnlyList<StarIterationStats> StarIterations,
    PositionBiasReport? PositionBias,
    IReadOnlyList<MajorityVoteStats> MajorityVotes,
    MethodPhases? Phases)
{
    public const string FileName = "outcome.json";

    /// <summary>Every evaluated pair's outcome (empty in outcomes written before they were kept): what paired tests and diagnostics read.</summary>
    public IReadOnlyList<ItemRecord> Items { get; init; } = [];

    /// <summary>Chain-of-thought judges: the rows of a single greedy rationale per item (empty for other judges).</summary>
    public IReadOnlyList<ResultRow> GreedyRows { get; init; } = [];

    /// <summary>Which engine and weights sampled each STaR iteration and judged (empty when everything ran in this process).</summary>
    public IReadOnlyList<Remote.SamplerUse> Sampler { get; init; } = [];

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Save(string folder) => AtomicWrite.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The finished outcome in <paramref name="folder"/>, or null when the method has not finished there.</summary>
    public static MethodOutcome? TryLoad(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<MethodOutcome>(File.ReadAllText(path), Json)
                ?? throw BadInputException.About(path, "empty outcome.");
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not a valid method outcome ({e.Message}); delete it to run the method again.");
        }
    }
}
