namespace GenRM.Data.Formats;

/// <summary>A record cannot become a pair; the reader turns this into a <see cref="DataProblem"/> at the record's location.</summary>
internal sealed class RecordException(DataProblemKind kind, string message) : Exception(message)
{
    public DataProblemKind Kind { get; } = kind;
}
