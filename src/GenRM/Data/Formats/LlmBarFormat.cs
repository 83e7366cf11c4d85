using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>princeton-nlp/LLMBar: <c>input</c>, <c>output_1</c>, <c>output_2</c>, <c>label</c> (1 or 2, the better output).</summary>
internal sealed class LlmBarFormat : IPreferenceFormat
{
    public string Name => "llmbar";

    public bool Recognizes(JsonElement record) =>
        record.TryGetProperty("input", out _) && record.TryGetProperty("output_1", out _) && record.TryGetProperty("output_2", out _);

    public PreferencePair ToPair(JsonElement record, RecordContext context)
    {
        string input = RecordFields.RequiredString(record, "input");
        string first = RecordFields.RequiredString(record, "output_1");
        string second = RecordFields.RequiredString(record, "output_2");
        bool firstIsBetter = RecordFields.FirstIsBetter(record, "label");
        var (chosen, rejected) = firstIsBetter ? (first, second) : (second, first);
        var prompt = new[] { ChatMessage.User(input) };
        return new PreferencePair(PairIds.FromContent(prompt, chosen, rejected), [.. prompt], chosen, rejected, context.DefaultSubset ?? "", context.Source)
        {
            ChosenWasFirst = firstIsBetter,
        };
    }
}
