namespace GenRM.Data;

/// <summary>One turn of a conversation, with Hugging Face's role names (system, user, assistant).</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    public static ChatMessage System(string content) => new(SystemRole, content);
    public static ChatMessage User(string content) => new(UserRole, content);
    public static ChatMessage Assistant(string content) => new(AssistantRole, content);
}
