using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>
/// bigcode HumanEvalPack: <c>prompt</c> completed by <c>canonical_solution</c> (chosen) or
/// <c>buggy_solution</c> (rejected). The subset is RewardBench's <c>hep-LANGUAGE</c>, read from <c>task_id</c>.
/// </summary>
internal sealed class HumanEvalPackFormat : IPreferenceFormat
{
    static readonly Dictionary<string, string> SubsetByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CPP"] = "hep-cpp", ["Go"] = "hep-go", ["Java"] = "hep-java", ["JavaScript"] = "hep-js", ["Python"] = "hep-python", ["Rust"] = "hep-rust",
    };

    public string Name => "humanevalpack";

    public bool Recognizes(JsonElement record) =>
        record.TryGetProperty("prompt", out _) && record.TryGetProperty("canonical_solution", out _) && record.TryGetProperty("buggy_solution", out _);

    public PreferencePair ToPair(JsonElement record, RecordContext context)
    {
        string prompt = RecordFields.RequiredString(record, "prompt");
        string chosen = RecordFields.RequiredString(record, "canonical_solution");
        string rejected = RecordFields.RequiredString(record, "buggy_solution");
        string? taskId = RecordFields.OptionalId(record, "task_id");
        string subset = context.DefaultSubset
            ?? (taskId is not null && SubsetByLanguage.TryGetValue(taskId.Split('/')[0], out string? hep) ? hep : "");
        var pair = PreferencePair.FromUserPrompt(taskId ?? "", prompt, chosen, rejected, subset, context.Source);
        return taskId is null ? pair with { Id = PairIds.FromContent(pair.Prompt, chosen, rejected) } : pair;
    }
}
