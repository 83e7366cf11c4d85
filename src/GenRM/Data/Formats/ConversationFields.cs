using System.Collections.Immutable;
using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>
/// Prompt and responses given either as text or as chat-message lists (TRL's "standard" and
/// "conversational" layouts). A response list ends with the assistant's turn; the turns before
/// it, shared by both responses, are the prompt (TRL's implicit prompt, UltraFeedback binarized).
/// </summary>
internal static class ConversationFields
{
    public static (ImmutableArray<ChatMessage> Prompt, string First, string Second) Read(
        JsonElement record, string? promptField, string firstField, string secondField, RecordContext context)
    {
        ImmutableArray<ChatMessage> explicitPrompt = promptField is null ? [] : PromptTurns(record, promptField);
        var (firstContext, first) = Response(record, firstField);
        var (secondContext, second) = Response(record, secondField);
        if (firstContext.IsEmpty && secondContext.IsEmpty)
        {
            if (promptField is not null && !RecordFields.Has(record, promptField))
                throw new RecordException(DataProblemKind.MissingField, $"missing field '{promptField}'");
            return (explicitPrompt, first, second);
        }
        if (!firstContext.SequenceEqual(secondContext))
            context.Warn(DataProblemKind.TranscriptMismatch,
                $"'{firstField}' and '{secondField}' differ before their last assistant turn; the turns of '{firstField}' are used as the prompt");
        ImmutableArray<ChatMessage> shared = firstContext.IsEmpty ? secondContext : firstContext;
        // A prompt list plus completion-only responses (TRL's explicit conversational layout) keeps
        // the prompt field; responses that carry the whole conversation make it redundant.
        return (explicitPrompt.IsEmpty || shared[0].Role != ChatMessage.AssistantRole ? shared : explicitPrompt.AddRange(shared), first, second);
    }

    static ImmutableArray<ChatMessage> PromptTurns(JsonElement record, string field)
    {
        if (!RecordFields.Has(record, field))
            return [];
        JsonElement value = record.GetProperty(field);
        return value.ValueKind switch
        {
            JsonValueKind.String => [ChatMessage.User(value.GetString()!)],
            JsonValueKind.Array => RecordFields.Messages(value, field),
            _ => throw new RecordException(DataProblemKind.WrongType, $"field '{field}' is {RecordFields.Describe(value.ValueKind)}, not text or chat messages"),
        };
    }

    static (ImmutableArray<ChatMessage> Context, string Response) Response(JsonElement record, string field)
    {
        JsonElement value = RecordFields.Required(record, field);
        if (value.ValueKind == JsonValueKind.String)
            return ([], value.GetString()!);
        if (value.ValueKind != JsonValueKind.Array)
            throw new RecordException(DataProblemKind.WrongType, $"field '{field}' is {RecordFields.Describe(value.ValueKind)}, not text or chat messages");
        ImmutableArray<ChatMessage> messages = RecordFields.Messages(value, field);
        if (messages.IsEmpty)
            throw new RecordException(DataProblemKind.MissingField, $"field '{field}' is an empty message list");
        if (messages[^1].Role != ChatMessage.AssistantRole)
            throw new RecordException(DataProblemKind.WrongType, $"the last message of '{field}' is a {messages[^1].Role} turn, not the assistant's response");
        return (messages[..^1], messages[^1].Content);
    }
}
