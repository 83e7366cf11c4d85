using System.Text.Json;
using GenRM.IO;

namespace GenRM.Text;

/// <summary>
/// The token names and chat template of a Hugging Face <c>tokenizer_config.json</c>. Token names
/// come as a string or as an added-token object (<c>{"content": ...}</c>); the chat template as a
/// string or as a list of named templates, of which "default" is taken.
/// </summary>
internal sealed record TokenizerConfigJson(string? BosToken, string? EosToken, string? PadToken, string? UnkToken, string? ChatTemplate)
{
    public static TokenizerConfigJson Read(string path)
    {
        using var document = ParseObject(path);
        var root = document.RootElement;
        return JsonFile.Interpret(path, () => new TokenizerConfigJson(
            TokenName(path, root, "bos_token"),
            TokenName(path, root, "eos_token"),
            TokenName(path, root, "pad_token"),
            TokenName(path, root, "unk_token"),
            ChatTemplateText(path, root)));
    }

    /// <summary>
    /// <c>eos_token_id</c> of a <c>generation_config.json</c> (an integer or a list of them), or an
    /// empty list when the file does not name one.
    /// </summary>
    public static IReadOnlyList<int> ReadGenerationEosIds(string path)
    {
        using var document = ParseObject(path);
        if (!document.RootElement.TryGetProperty("eos_token_id", out var eos) || eos.ValueKind == JsonValueKind.Null)
            return [];
        IEnumerable<JsonElement> values = eos.ValueKind == JsonValueKind.Array ? eos.EnumerateArray() : [eos];
        var ids = new List<int>();
        foreach (var value in values)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int id) || id < 0)
                throw BadInputException.About(path, "expected a non-negative integer or a list of them", "eos_token_id");
            ids.Add(id);
        }
        return ids;
    }

    static JsonDocument ParseObject(string path)
    {
        var document = JsonFile.Parse(path);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
            return document;
        document.Dispose();
        throw BadInputException.About(path, "expected a JSON object");
    }

    static string? TokenName(string path, JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                => content.GetString(),
            _ => throw BadInputException.About(path, "expected a token string or an object with \"content\"", field),
        };
    }

    static string? ChatTemplateText(string path, JsonElement root)
    {
        if (!root.TryGetProperty("chat_template", out var template))
            return null;
        switch (template.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return template.GetString();
            case JsonValueKind.Array:
                foreach (var named in template.EnumerateArray())
                    if (named.ValueKind == JsonValueKind.Object
                        && named.TryGetProperty("name", out var name) && name.GetString() == "default"
                        && named.TryGetProperty("template", out var text) && text.ValueKind == JsonValueKind.String)
                        return text.GetString();
                return null;
            default:
                throw BadInputException.About(path, "expected a string or a list of named templates", "chat_template");
        }
    }
}
