namespace GenRM;

/// <summary>
/// A user's input is wrong: a malformed file, a missing field, a checkpoint that does not match
/// its config. The message names the file and the item; the command line prints it as one line
/// and exits with code 1, without a stack trace.
/// </summary>
public sealed class BadInputException : Exception
{
    public BadInputException(string message) : base(message) { }

    public BadInputException(string message, Exception inner) : base(message, inner) { }

    /// <summary>An error about one file, optionally one item (line, tensor, field) in it.</summary>
    public static BadInputException About(string path, string problem, string? item = null) =>
        new(item is null ? $"{path}: {problem}" : $"{path}: {item}: {problem}");
}
