using System.Text.Json;

namespace GenRM.Data.Formats;

/// <summary>One named layout of preference records: how to recognise it and how to turn a record into a pair.</summary>
internal interface IPreferenceFormat
{
    string Name { get; }

    /// <summary>True when the record's fields look like this format (used for detection).</summary>
    bool Recognizes(JsonElement record);

    /// <summary>The pair, or a <see cref="RecordException"/> saying why there is none.</summary>
    PreferencePair ToPair(JsonElement record, RecordContext context);
}
