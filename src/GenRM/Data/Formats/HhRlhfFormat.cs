using System.Collections.Immutable;
using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>
/// Anthropic HH-RLHF: <c>chosen</c> and <c>rejected</c> are whole transcripts of
/// <c>\n\nHuman:</c> and <c>\n\nAssistant:</c> turns. The prompt is their shared prefix up to the
/// last <c>\n\nAssistant:</c> in it; each response is the rest of its transcript.
/// </summary>
internal sealed class HhRlhfFormat : IPreferenceFormat
{
    const string HumanMarker = "\n\nHuman:";
    const string AssistantMarker = "\n\nAssistant:";

    public string Name => "hh-rlhf";

    public bool Recognizes(JsonElement record) =>
        record.TryGetProperty("chosen", out JsonElement chosen) && chosen.ValueKind == JsonValueKind.String
        && record.TryGetProperty("rejected", out _) && !record.TryGetProperty("prompt", out _)
        && chosen.GetString()!.Contains(AssistantMarker, StringComparison.Ordinal);

    public PreferencePair ToPair(JsonElement record, RecordContext context)
    {
        string chosenTranscript = RecordFields.RequiredString(record, "chosen");
        string rejectedTranscript = RecordFields.RequiredString(record, "rejected");
        int shared = chosenTranscript.AsSpan().CommonPrefixLength(rejectedTranscript);
        // Searching backwards from the end of the shared prefix keeps the whole marker inside it.
        int cut = shared < AssistantMarker.Length ? -1 : chosenTranscript.LastIndexOf(AssistantMarker, shared - 1, StringComparison.Ordinal);
        if (cut < 0)
            throw new RecordException(DataProblemKind.WrongType,
                "'chosen' and 'rejected' share no transcript up to an \"\\n\\nAssistant:\" turn");
        string chosen = chosenTranscript[(cut + AssistantMarker.Length)..].Trim();
        string rejected = rejectedTranscript[(cut + AssistantMarker.Length)..].Trim();
        if (chosen.Contains(HumanMarker, StringComparison.Ordinal) || rejected.Contains(HumanMarker, StringComparison.Ordinal))
            context.Warn(DataProblemKind.TranscriptMismatch,
                "'chosen' and 'rejected' differ before their last assistant turn; the responses hold more than one turn");
        ImmutableArray<ChatMessage> prompt = Turns(chosenTranscript[..cut]);
        return new PreferencePair(PairIds.FromContent(prompt, chosen, rejected), prompt, chosen, rejected, context.DefaultSubset ?? "", context.Source);
    }

    /// <summary>Splits a transcript at its markers; text before the first marker counts as the human's.</summary>
    static ImmutableArray<ChatMessage> Turns(string transcript)
    {
        var turns = ImmutableArray.CreateBuilder<ChatMessage>();
        string role = ChatMessage.UserRole;
        int start = 0;
        while (start <= transcript.Length)
        {
            int human = transcript.IndexOf(HumanMarker, start, StringComparison.Ordinal);
            int assistant = transcript.IndexOf(AssistantMarker, start, StringComparison.Ordinal);
            int next = human < 0 ? assistant : assistant < 0 ? human : Math.Min(human, assistant);
            string content = transcript[start..(next < 0 ? transcript.Length : next)].Trim();
            if (content.Length > 0)
                turns.Add(new ChatMessage(role, content));
            if (next < 0)
                break;
            role = next == human ? ChatMessage.UserRole : ChatMessage.AssistantRole;
            start = next + (next == human ? HumanMarker.Length : AssistantMarker.Length);
        }
        return turns.ToImmutable();
    }
}
