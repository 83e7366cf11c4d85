namespace GenRM.Data;

/// <summary>What the reader does with an item it cannot read (malformed, missing field, wrong type).</summary>
public enum InvalidItemPolicy
{
    /// <summary>Stop with a <see cref="BadInputException"/> naming the file and the item.</summary>
    Fail,
    /// <summary>Leave the item out, record the problem and count it as skipped.</summary>
    Skip,
}

/// <summary>What the reader does with a pair it could build but that looks wrong (empty or identical responses, duplicate id).</summary>
public enum SuspectPairPolicy
{
    /// <summary>Keep the pair and record a warning (RewardBench-faithful evaluation keeps every row).</summary>
    Keep,
    /// <summary>Leave the pair out, record the problem and count it as skipped.</summary>
    Skip,
    /// <summary>Stop with a <see cref="BadInputException"/>.</summary>
    Fail,
}

/// <summary>How to read a preference file.</summary>
public sealed record PreferenceReadOptions
{
    /// <summary>A format name from <see cref="PreferenceFormats.Names"/>; null detects it from the first record's fields.</summary>
    public string? Format { get; init; }

    /// <summary>Field mapping for the <c>generic</c> format (setting it implies that format).</summary>
    public FieldMapping? Mapping { get; init; }

    /// <summary>Subset given to pairs whose record names none (LLMBar files, for example, do not).</summary>
    public string? Subset { get; init; }

    public InvalidItemPolicy OnInvalidItem { get; init; } = InvalidItemPolicy.Fail;

    public SuspectPairPolicy OnSuspectPair { get; init; } = SuspectPairPolicy.Keep;

    /// <summary>
    /// Longest JSON line parsed, in bytes; a longer line is reported (and never held in memory
    /// whole), so one runaway line cannot exhaust memory.
    /// </summary>
    public int MaxLineBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Defaults: detect the format, fail on unreadable items, keep suspect pairs with warnings.</summary>
    public static PreferenceReadOptions Default { get; } = new();

    /// <summary>Reads everything it can and reports the rest, as <c>genrm data inspect</c> does.</summary>
    public static PreferenceReadOptions Lenient { get; } = new() { OnInvalidItem = InvalidItemPolicy.Skip };
}
