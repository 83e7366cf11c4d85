namespace GenRM.Data;

/// <summary>What is wrong with one item of a preference file.</summary>
public enum DataProblemKind
{
    /// <summary>The line or item is not valid JSON.</summary>
    MalformedJson,
    /// <summary>The bytes are not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>A line is longer than the reader's limit; it was not parsed.</summary>
    LineTooLong,
    /// <summary>A field the format needs is absent (or null).</summary>
    MissingField,
    /// <summary>A field has the wrong JSON type (a number where text was expected, say).</summary>
    WrongType,
    /// <summary>A label is not one of the values the format allows.</summary>
    BadLabel,
    /// <summary>The chosen or the rejected response is empty or only white space.</summary>
    EmptyResponse,
    /// <summary>The chosen and rejected responses are the same text.</summary>
    IdenticalResponses,
    /// <summary>The pair has no prompt turns.</summary>
    EmptyPrompt,
    /// <summary>Another item earlier in the file has the same id.</summary>
    Duplicate,
    /// <summary>The two transcripts of a pair disagree before their last assistant turn.</summary>
    TranscriptMismatch,
}

/// <summary>
/// One problem in a preference file, located by a 1-based number in a unit that fits the
/// container: <c>line</c> for JSON lines, <c>item</c> for JSON arrays, <c>row</c> for Parquet.
/// </summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Unit">line, item or row.</param>
/// <param name="Number">1-based position of the item in the file.</param>
/// <param name="Message">The problem in words, without the location.</param>
public sealed record DataProblem(DataProblemKind Kind, string Unit, long Number, string Message)
{
    /// <summary>
    /// Errors make an item unreadable (no pair can be built); the others are warnings about a pair
    /// that could be built but is suspect.
    /// </summary>
    public bool IsError => Kind is DataProblemKind.MalformedJson or DataProblemKind.InvalidUtf8 or DataProblemKind.LineTooLong
        or DataProblemKind.MissingField or DataProblemKind.WrongType or DataProblemKind.BadLabel;

    /// <summary>"line 4", "item 12", "row 3".</summary>
    public string Location => $"{Unit} {Number}";

    public override string ToString() => $"{Location}: {Message}";
}
