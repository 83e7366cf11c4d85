using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>
/// princeton-nlp/LLMBar: <c>input</c>, <c>output_1</c>, <c>output_2</c>, <c>label</c> (1 or 2, the better output).
/// The subset is RewardBench's name for the publisher's folder the file sits in (<c>Natural/dataset.json</c>
/// is <c>llmbar-natural</c>), unless the reader is given one.
/// </summary>
internal sealed class LlmBarFormat : IPreferenceFormat
{
    // The publisher's layout (princeton-nlp/LLMBar, Dataset/LLMBar/...) and RewardBench's subset for each folder.
    static readonly (string Folder, string Subset)[] SubsetByFolder =
    [
        ("Natural", "llmbar-natural"),
        ("Adversarial/Neighbor", "llmbar-adver-neighbor"),
        ("Adversarial/GPTInst", "llmbar-adver-GPTInst"),
        ("Adversarial/GPTOut", "llmbar-adver-GPTOut"),
        ("Adversarial/Manual", "llmbar-adver-manual"),
    ];

    public string Name => "llmbar";

    /// <summary>RewardBench's subset for a file in one of LLMBar's published folders, or null.</summary>
    public static string? SubsetOf(string path)
    {
        string folder = (Path.GetDirectoryName(Path.GetFullPath(path)) ?? "").Replace('\\', '/');
        return SubsetByFolder.FirstOrDefault(s => folder.EndsWith("/" + s.Folder, StringComparison.OrdinalIgnoreCase)).Subset;
    }

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
        return new PreferencePair(PairIds.FromContent(prompt, chosen, rejected), [.. prompt], chosen, rejected, context.DefaultSubset ?? SubsetOf(context.Source) ?? "", context.Source)
        {
            ChosenWasFirst = firstIsBetter,
        };
    }
}
