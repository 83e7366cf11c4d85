using System.Text.Json;
using GenRM.IO;

namespace GenRM.MiniWorld;

/// <summary>One measured ability of a base model, with the gate it must pass (none when both bounds are null).</summary>
/// <param name="Name">What was measured, as the card prints it ("sums, 3 digits").</param>
/// <param name="Value">The measured rate.</param>
/// <param name="Count">How many items or samples the rate is over.</param>
/// <param name="Min">The gate's lower bound, if any.</param>
/// <param name="Max">The gate's upper bound, if any.</param>
public sealed record CardMeasure(string Name, double Value, int Count, double? Min = null, double? Max = null)
{
    /// <summary>Whether the value is inside its gate; null when the measure has no gate.</summary>
    public bool? Passes => Min is null && Max is null ? null : (Min is null || Value >= Min) && (Max is null || Value <= Max);
}

/// <summary>
/// What a MiniWorld base model can do before any method trains it, measured by <c>genrm pretrain</c>
/// and written beside the weights as <see cref="FileName"/>: every report shows it, so a reader can
/// see whether the zero-shot judge could check sums at all and whether it had a style or position prior.
/// </summary>
public sealed record BaseModelCard(string Model, long Parameters, IReadOnlyList<CardMeasure> Measures)
{
    public const string FileName = "card.json";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Every gated measure passes.</summary>
    public bool PassesGates => Measures.All(m => m.Passes != false);

    /// <summary>Writes the card into <paramref name="folder"/>.</summary>
    public void Save(string folder) => AtomicWrite.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The card in <paramref name="folder"/>, or null when there is none.</summary>
    /// <exception cref="BadInputException">The file is there but not a card.</exception>
    public static BaseModelCard? TryLoad(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var card = JsonSerializer.Deserialize<BaseModelCard>(File.ReadAllText(path), Json);
            return card is { Model: not null, Measures: not null } ? card : throw BadInputException.About(path, "not a base-model card (model or measures missing).");
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not a valid base-model card ({e.Message}); run 'genrm pretrain' to measure it again.");
        }
    }
}
