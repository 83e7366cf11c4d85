using System.Collections.Immutable;
using System.Text.Json;
using GenRM.Data.Formats;

namespace GenRM.Data;

/// <summary>The named preference formats, and detection from a record's fields.</summary>
public static class PreferenceFormats
{
    public const string Trl = "trl";
    public const string RewardBench = "rewardbench";
    public const string HhRlhf = "hh-rlhf";
    public const string LlmBar = "llmbar";
    public const string HumanEvalPack = "humanevalpack";
    public const string Generic = "generic";

    // Detection order matters: the more specific layouts first (RewardBench is TRL plus subset and id).
    static readonly ImmutableArray<IPreferenceFormat> Detectable =
        [new LlmBarFormat(), new HumanEvalPackFormat(), new RewardBenchFormat(), new HhRlhfFormat(), new TrlFormat()];

    /// <summary>Every name <see cref="PreferenceReadOptions.Format"/> accepts.</summary>
    public static ImmutableArray<string> Names { get; } = [.. Detectable.Select(f => f.Name), Generic];

    /// <summary>The format whose fields the record has, or null when none fits.</summary>
    public static string? Detect(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object ? Detectable.FirstOrDefault(f => f.Recognizes(record))?.Name : null;

    internal static IPreferenceFormat Get(string name, FieldMapping? mapping)
    {
        if (name.Equals(Generic, StringComparison.OrdinalIgnoreCase))
            return new GenericFormat(mapping ?? throw new ArgumentException("the generic format needs a field mapping", nameof(mapping)));
        return Detectable.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown format '{name}'; known: {string.Join(", ", Names)}", nameof(name));
    }
}
