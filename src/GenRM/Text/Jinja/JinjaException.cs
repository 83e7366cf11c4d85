namespace GenRM.Text.Jinja;

/// <summary>
/// A chat template that cannot be parsed or run: a syntax error, a construct, filter, test or
/// method this interpreter does not implement, or an operation Python would refuse. The message
/// names the construct and its line and column in the template.
/// </summary>
public sealed class JinjaException : Exception
{
    public JinjaException(string message, int line, int column)
        : base($"{message} (chat template line {line}, column {column})")
    {
        Line = line;
        Column = column;
    }

    public JinjaException() { }

    public JinjaException(string message) : base(message) { }

    public JinjaException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>1-based line in the template source (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>1-based column in the template source (0 when unknown).</summary>
    public int Column { get; }
}

/// <summary>
/// The template itself refused the conversation through <c>raise_exception(message)</c> (roles
/// that do not alternate, a system turn the model does not support): the message is the template's.
/// </summary>
public sealed class JinjaRaisedException : ArgumentException
{
    public JinjaRaisedException() { }

    public JinjaRaisedException(string message) : base(message) { }

    public JinjaRaisedException(string message, Exception innerException) : base(message, innerException) { }
}
