using System.Text.Json;

namespace GenRM.Data;

/// <summary>
/// Which fields of a record hold the prompt and the two responses, for files in no named format.
/// Without <see cref="Label"/>, <see cref="Chosen"/> and <see cref="Rejected"/> are what they say;
/// with it, they name the first and second outputs and the label (1 or 2, A or B) names the better one.
/// Prompt and responses may be text or chat-message lists.
/// </summary>
public sealed record FieldMapping(string Prompt, string Chosen, string Rejected, string? Label = null, string? Id = null, string? Subset = null)
{
    static readonly string[] Keys = ["prompt", "chosen", "rejected", "label", "id", "subset"];
    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Parses <c>prompt=question,chosen=answer_a,rejected=answer_b[,label=winner][,id=uid][,subset=category]</c>.</summary>
    public static FieldMapping Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] keyValue = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (keyValue.Length != 2 || keyValue[1].Length == 0 || !Keys.Contains(keyValue[0], StringComparer.OrdinalIgnoreCase))
                throw new FormatException($"'{part}' in field mapping '{spec}' is not one of {string.Join(", ", Keys.Select(k => k + "=FIELD"))}");
            fields[keyValue[0]] = keyValue[1];
        }
        string Need(string key) => fields.TryGetValue(key, out string? value) ? value : throw new FormatException($"field mapping '{spec}' does not name the {key} field ({key}=FIELD)");
        return new FieldMapping(Need("prompt"), Need("chosen"), Need("rejected"),
            fields.GetValueOrDefault("label"), fields.GetValueOrDefault("id"), fields.GetValueOrDefault("subset"));
    }

    /// <summary>Reads a mapping from JSON, as an experiment spec holds it (<c>{"prompt": "...", "chosen": "...", ...}</c>).</summary>
    public static FieldMapping FromJson(string json) =>
        JsonSerializer.Deserialize<FieldMapping>(json, JsonOptions)
        ?? throw new FormatException("the field mapping is null");
}
