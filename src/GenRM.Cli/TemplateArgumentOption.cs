using System.CommandLine;
using System.Text.Json;

namespace GenRM.Cli;

/// <summary>
/// <c>--template-arg name=value</c>, repeatable: keyword arguments for the model's chat template, as
/// <c>apply_chat_template(..., name=value)</c> passes them (e.g. <c>enable_thinking=false</c> for
/// Qwen3). A value that reads as JSON (true, false, null, a number, a quoted string, a list) is
/// that JSON value; anything else is a string.
/// </summary>
internal static class TemplateArgumentOption
{
    public static Option<string[]> Create()
    {
        var option = new Option<string[]>("--template-arg")
        {
            Description = "Chat template keyword argument name=value, repeatable (e.g. enable_thinking=false); JSON values, else strings.",
            DefaultValueFactory = _ => [],
        };
        option.Validators.Add(result =>
        {
            foreach (string text in result.GetValueOrDefault<string[]>() ?? [])
                if (!TrySplit(text, out _, out _))
                    result.AddError($"--template-arg '{text}' is not name=value (a name of letters, digits and underscores).");
        });
        return option;
    }

    /// <summary>The arguments by name (a later repeat of a name wins), or null when none were given.</summary>
    public static IReadOnlyDictionary<string, JsonElement>? Parse(string[]? values)
    {
        if (values is not { Length: > 0 }) return null;
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (string text in values)
        {
            if (!TrySplit(text, out string name, out string value))
                throw new UsageException($"--template-arg '{text}' is not name=value.");
            arguments[name] = Value(value);
        }
        return arguments;
    }

    /// <summary>A spec's <paramref name="fromSpec"/> with <paramref name="given"/> on the command line added, the command line's winning a name both give.</summary>
    public static IReadOnlyDictionary<string, JsonElement>? Over(IReadOnlyDictionary<string, JsonElement>? fromSpec, IReadOnlyDictionary<string, JsonElement>? given)
    {
        if (given is null) return fromSpec;
        var merged = new Dictionary<string, JsonElement>(fromSpec ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal);
        foreach (var (name, value) in given)
            merged[name] = value;
        return merged;
    }

    static JsonElement Value(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    static bool TrySplit(string text, out string name, out string value)
    {
        int at = text.IndexOf('=', StringComparison.Ordinal);
        name = at > 0 ? text[..at] : "";
        value = at > 0 ? text[(at + 1)..] : "";
        return at > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0]);
    }
}
