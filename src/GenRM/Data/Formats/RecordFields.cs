using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>Typed access to a record's fields, with problems worded for the validation report.</summary>
internal static class RecordFields
{
    public static void RequireObject(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
            throw new RecordException(DataProblemKind.WrongType, $"the item is {Describe(record.ValueKind)}, not a JSON object");
    }

    public static bool Has(JsonElement record, string name) =>
        record.TryGetProperty(name, out JsonElement value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public static JsonElement Required(JsonElement record, string name) =>
        Has(record, name) ? record.GetProperty(name) : throw new RecordException(DataProblemKind.MissingField, $"missing field '{name}'");

    public static string RequiredString(JsonElement record, string name) => AsString(Required(record, name), name);

    public static string? OptionalString(JsonElement record, string name) =>
        Has(record, name) ? AsString(record.GetProperty(name), name) : null;

    /// <summary>An identifier may be text or a number (RewardBench's ids are integers).</summary>
    public static string? OptionalId(JsonElement record, string name)
    {
        if (!Has(record, name))
            return null;
        JsonElement value = record.GetProperty(name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new RecordException(DataProblemKind.WrongType, $"field '{name}' is {Describe(value.ValueKind)}, not text or a number"),
        };
    }

    public static double? OptionalNumber(JsonElement record, string name)
    {
        if (!Has(record, name))
            return null;
        JsonElement value = record.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new RecordException(DataProblemKind.WrongType, $"field '{name}' is {Describe(value.ValueKind)}, not a number");
    }

    /// <summary>
    /// A label naming the better of two outputs: 1 or 2 (as a number or text), or A or B. Returns
    /// true when the first output is the better one.
    /// </summary>
    public static bool FirstIsBetter(JsonElement record, string name)
    {
        JsonElement value = Required(record, name);
        string text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!.Trim(),
            _ => throw new RecordException(DataProblemKind.WrongType, $"field '{name}' is {Describe(value.ValueKind)}, not 1 or 2"),
        };
        return text.ToUpperInvariant() switch
        {
            "1" or "A" => true,
            "2" or "B" => false,
            _ => throw new RecordException(DataProblemKind.BadLabel, $"field '{name}' is {text}; expected 1 or 2 (or A or B)"),
        };
    }

    /// <summary>A list of chat messages: objects with string <c>role</c> and <c>content</c>.</summary>
    public static ImmutableArray<ChatMessage> Messages(JsonElement list, string name)
    {
        var messages = ImmutableArray.CreateBuilder<ChatMessage>(list.GetArrayLength());
        int index = 0;
        foreach (JsonElement message in list.EnumerateArray())
        {
            string where = $"{name}[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
                throw new RecordException(DataProblemKind.WrongType, $"'{where}' is {Describe(message.ValueKind)}, not a chat message");
            messages.Add(new ChatMessage(AsString(Required(message, "role"), where + ".role"), AsString(Required(message, "content"), where + ".content")));
        }
        return messages.MoveToImmutable();
    }

    static string AsString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordException(DataProblemKind.WrongType, $"field '{name}' is {Describe(value.ValueKind)}, not text");

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
