using System.Text;
using System.Text.Json.Nodes;
using GenRM.Data;
using GenRM.IO;

namespace GenRM.Bootstrapping;

/// <summary>
/// Writes an iteration's training data as JSON lines in TRL's conversational format, so a large run
/// can be handed to TRL or OpenRLHF: SFT rows <c>{prompt: [messages], completion: [assistant]}</c>,
/// DPO rows <c>{prompt: [messages], chosen: [assistant], rejected: [assistant]}</c>.
/// </summary>
public static class TrainingDataExport
{
    public static void WriteSft(string path, IEnumerable<(IReadOnlyList<ChatMessage> Prompt, string Completion)> rows) =>
        Write(path, rows.Select(r => new JsonObject { ["prompt"] = Messages(r.Prompt), ["completion"] = Assistant(r.Completion) }));

    public static void WriteDpo(string path, IEnumerable<(IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected)> rows) =>
        Write(path, rows.Select(r => new JsonObject { ["prompt"] = Messages(r.Prompt), ["chosen"] = Assistant(r.Chosen), ["rejected"] = Assistant(r.Rejected) }));

    static void Write(string path, IEnumerable<JsonObject> rows)
    {
        var text = new StringBuilder();
        foreach (JsonObject row in rows) text.Append(row.ToJsonString()).Append('\n');
        AtomicWrite.WriteAllText(path, text.ToString());
    }

    static JsonArray Messages(IEnumerable<ChatMessage> messages) =>
        [.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })];

    static JsonArray Assistant(string content) => Messages([ChatMessage.Assistant(content)]);
}
