namespace GenRM.Data.Formats;

/// <summary>What a format needs besides the record: the defaults for subset and source, and a place for warnings.</summary>
internal sealed class RecordContext(string source, string? defaultSubset)
{
    readonly List<(DataProblemKind Kind, string Message)> warnings = [];

    public string Source { get; } = source;

    public string? DefaultSubset { get; } = defaultSubset;

    public IReadOnlyList<(DataProblemKind Kind, string Message)> Warnings => warnings;

    public void Warn(DataProblemKind kind, string message) => warnings.Add((kind, message));

    public void ClearWarnings() => warnings.Clear();
}
