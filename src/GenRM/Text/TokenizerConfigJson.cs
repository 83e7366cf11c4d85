using System.Text.Json;
using GenRM.IO;

namespace GenRM.Text;

/// <summary>
/// The token names and chat template of a Hugging Face <c>tokenizer_config.json</c>. Token names
/// come as a string or as an added-token object (<c>{"content": ...}</c>); the chat template as a
/// string or as a list of named templates, of which "default" is taken. <c>tokenizer_class</c>,
/// <c>add_bos_token</c> and <c>add_eos_token</c> say whether transformers rebuilds the post-processor
/// (see <see cref="SpecialTokenFlags"/>).
/// </summary>
internal sealed record TokenizerConfigJson(string? BosToken, string? EosToken, string? PadToken, string? UnkToken, string? ChatTemplate,
    string? TokenizerClass = null, bool? AddBosToken = null, bool? AddEosToken = null)
{
    /// <summary>
    /// transformers' fast tokenizer classes that replace tokenizer.json's post-processor with one built
    /// from <c>add_bos_token</c> / <c>add_eos_token</c> (their <c>update_post_processor</c>, called on
    /// loading), with each flag's default. Other classes keep the file's post-processor and ignore the flags.
    /// </summary>
    static readonly Dictionary<string, (bool AddBos, bool AddEos)> RebuildingClasses = new(StringComparer.Ordinal)
    {
        ["LlamaTokenizer"] = (true, false),
        ["CodeLlamaTokenizer"] = (true, false),
        ["GemmaTokenizer"] = (true, false),
        ["CohereTokenizer"] = (true, false),
        ["GPTNeoXTokenizer"] = (false, false),
    };

    /// <summary>
    /// Whether BOS and EOS open and close a sequence encoded with special tokens, where the config's
    /// <c>tokenizer_class</c> (with or without "Fast") is one that rebuilds the post-processor from
    /// the flags (their defaults where unset); null where tokenizer.json's post-processor stands.
    /// </summary>
    public (bool AddBos, bool AddEos)? SpecialTokenFlags =>
        TokenizerClass is string name && RebuildingClasses.TryGetValue(name.EndsWith("Fast", StringComparison.Ordinal) ? name[..^4] : name, out var defaults)
            ? (AddBosToken ?? defaults.AddBos, AddEosToken ?? defaults.AddEos)
            : null;

    public static TokenizerConfigJson Read(string path)
    {
        using var document = ParseObject(path);
        var root = document.RootElement;
        return JsonFile.Interpret(path, () => new TokenizerConfigJson(
            TokenName(path, root, "bos_token"),
            TokenName(path, root, "eos_token"),
            TokenName(path, root, "pad_token"),
            TokenName(path, root, "unk_token"),
            ChatTemplateText(path, root),
            OptionalString(path, root, "tokenizer_class"),
            OptionalBool(path, root, "add_bos_token"),
            OptionalBool(path, root, "add_eos_token")));
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

    static string? OptionalString(string path, JsonElement root, string field) =>
        !root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw BadInputException.About(path, "expected a string", field);

    static bool? OptionalBool(string path, JsonElement root, string field) =>
        !root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw BadInputException.About(path, "expected true or false", field);

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
