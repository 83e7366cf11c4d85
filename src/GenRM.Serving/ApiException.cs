namespace GenRM.Serving;

/// <summary>A request the server refuses, answered as OpenAI's error object with <paramref name="status"/>.</summary>
public sealed class ApiException(int status, string type, string message, string? param = null) : Exception(message)
{
    public int Status => status;

    /// <summary>OpenAI's error type: invalid_request_error, not_found_error, server_error, ...</summary>
    public string Type => type;

    /// <summary>The request field at fault, when one is.</summary>
    public string? Param => param;

    public static ApiException Invalid(string message, string? param = null) => new(400, "invalid_request_error", message, param);
}
