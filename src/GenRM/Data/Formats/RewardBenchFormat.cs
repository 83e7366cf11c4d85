using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>allenai/reward-bench's layout: <c>prompt</c>, <c>chosen</c>, <c>rejected</c> as text, with <c>subset</c> and <c>id</c> required.</summary>
internal sealed class RewardBenchFormat : IPreferenceFormat
{
    public string Name => "rewardbench";

    public bool Recognizes(JsonElement record) =>
        record.TryGetProperty("prompt", out _) && record.TryGetProperty("chosen", out _) && record.TryGetProperty("rejected", out _)
        && record.TryGetProperty("subset", out _) && record.TryGetProperty("id", out _);

    public PreferencePair ToPair(JsonElement record, RecordContext context)
    {
        string id = RecordFields.OptionalId(record, "id") ?? throw new RecordException(DataProblemKind.MissingField, "missing field 'id'");
        string subset = RecordFields.RequiredString(record, "subset");
        var (prompt, chosen, rejected) = ConversationFields.Read(record, "prompt", "chosen", "rejected", context);
        return new PreferencePair(id, prompt, chosen, rejected, subset, context.Source);
    }
}
