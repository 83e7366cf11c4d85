using System.Text.Json;

namespace GenRM.Text.Tokenizers;

/// <summary>
/// One value inside a <c>tokenizer.json</c>, with its path (e.g. <c>pre_tokenizer.pretokenizers[1].pattern</c>)
/// so that every refusal names the file and the field.
/// </summary>
internal readonly record struct JsonPart(string File, string Path, JsonElement Element)
{
    public static JsonPart Root(string file, JsonElement root) => new(file, "", root);

    public BadInputException Error(string problem) =>
        BadInputException.About(File, problem, Path.Length == 0 ? null : Path);

    /// <summary>The <c>type</c> field, which selects a component's kind.</summary>
    public string Type => String("type");

    /// <summary>The named field, or null when it is absent or JSON null.</summary>
    public JsonPart? Optional(string name)
    {
        if (Element.ValueKind != JsonValueKind.Object)
            throw Error("expected a JSON object");
        return Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonPart(File, Child(name), value)
            : null;
    }

    public JsonPart Required(string name) => Optional(name) ?? throw BadInputException.About(File, "missing", Child(name));

    string Child(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public string String(string name) => Required(name).AsString();

    public string? OptionalString(string name) => Optional(name)?.AsString();

    public bool Bool(string name, bool fallback)
    {
        if (Optional(name) is not JsonPart part)
            return fallback;
        return part.Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw part.Error("expected true or false"),
        };
    }

    public int Int(string name) => Required(name).AsInt();

    public string AsString() =>
        Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error("expected a string");

    public int AsInt() =>
        Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out int value) && value >= 0
            ? value
            : throw Error("expected a non-negative integer");

    /// <summary>The elements of the named array (absent or null: none).</summary>
    public IEnumerable<JsonPart> Items(string name)
    {
        if (Optional(name) is not JsonPart array)
            return [];
        if (array.Element.ValueKind != JsonValueKind.Array)
            throw array.Error("expected an array");
        string file = File;
        return array.Element.EnumerateArray().Select((item, i) => new JsonPart(file, $"{array.Path}[{i}]", item)).ToList();
    }

    /// <summary>The fields of this object, each as a part.</summary>
    public IEnumerable<(string Name, JsonPart Value)> Fields()
    {
        if (Element.ValueKind != JsonValueKind.Object)
            throw Error("expected a JSON object");
        var path = Path;
        var file = File;
        return Element.EnumerateObject().Select(p => (p.Name, new JsonPart(file, $"{path}[\"{p.Name}\"]", p.Value))).ToList();
    }

    /// <summary>Picks the reader for this component's <c>type</c>; an unknown kind is refused by name.</summary>
    public T ReadKind<T>(IReadOnlyDictionary<string, Func<JsonPart, T>> readers, string what)
    {
        string type = Type;
        return readers.TryGetValue(type, out var read)
            ? read(this)
            : throw Error($"{what} \"{type}\" is not supported (supported: {string.Join(", ", readers.Keys.Order(StringComparer.Ordinal))})");
    }
}
