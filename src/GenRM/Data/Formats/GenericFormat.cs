using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>Any layout, through a <see cref="FieldMapping"/> from the command line or a spec.</summary>
internal sealed class GenericFormat(FieldMapping mapping) : IPreferenceFormat
{
    public string Name => PreferenceFormats.Generic;

    public bool Recognizes(JsonElement record) =>
        record.TryGetProperty(mapping.Prompt, out _) && record.TryGetProperty(mapping.Chosen, out _) && record.TryGetProperty(mapping.Rejected, out _);

    public PreferencePair ToPair(JsonElement record, RecordContext context)
    {
        var (prompt, first, second) = ConversationFields.Read(record, mapping.Prompt, mapping.Chosen, mapping.Rejected, context);
        bool? firstIsBetter = mapping.Label is null ? null : RecordFields.FirstIsBetter(record, mapping.Label);
        var (chosen, rejected) = firstIsBetter == false ? (second, first) : (first, second);
        string id = (mapping.Id is null ? null : RecordFields.OptionalId(record, mapping.Id)) ?? PairIds.FromContent(prompt, chosen, rejected);
        string subset = (mapping.Subset is null ? null : RecordFields.OptionalString(record, mapping.Subset)) ?? context.DefaultSubset ?? "";
        return new PreferencePair(id, prompt, chosen, rejected, subset, context.Source) { ChosenWasFirst = firstIsBetter };
    }
}
