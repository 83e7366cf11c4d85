using System.Text.Json;

namespace GenRM.Data;

/// <summary>One item from a container (a JSON line, an array item, a Parquet row): its JSON value, or why it has none.</summary>
internal readonly record struct SourceItem(long Number, JsonElement Value, DataProblem? Problem)
{
    public static SourceItem Of(long number, JsonElement value) => new(number, value, null);

    public static SourceItem Broken(DataProblem problem) => new(problem.Number, default, problem);
}
