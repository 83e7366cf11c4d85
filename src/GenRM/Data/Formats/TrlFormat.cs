using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>
/// TRL's preference layout, which UltraFeedback binarized also uses: <c>prompt</c>, <c>chosen</c>,
/// <c>rejected</c> as text or chat-message lists; optional <c>id</c>, <c>subset</c>, <c>margin</c>
/// or <c>score_chosen</c>/<c>score_rejected</c> (their difference becomes the margin).
/// </summary>
internal sealed class TrlFormat : IPreferenceFormat
{
    public string Name => "trl";

    public bool Recognizes(JsonElement record) => record.TryGetProperty("chosen", out _) && record.TryGetProperty("rejected", out _)
        && (record.TryGetProperty("prompt", out _) || record.GetProperty("chosen").ValueKind == JsonValueKind.Array);

    public PreferencePair ToPair(JsonElement record, RecordContext context)
    {
        var (prompt, chosen, rejected) = ConversationFields.Read(record, "prompt", "chosen", "rejected", context);
        double? margin = RecordFields.OptionalNumber(record, "margin");
        if (margin is null && RecordFields.OptionalNumber(record, "score_chosen") is double chosenScore
            && RecordFields.OptionalNumber(record, "score_rejected") is double rejectedScore)
            margin = chosenScore - rejectedScore;
        string id = RecordFields.OptionalId(record, "id") ?? PairIds.FromContent(prompt, chosen, rejected);
        string subset = RecordFields.OptionalString(record, "subset") ?? context.DefaultSubset ?? "";
        return new PreferencePair(id, prompt, chosen, rejected, subset, context.Source, margin);
    }
}
