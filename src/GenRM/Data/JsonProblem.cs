using System.Text.Json;

namespace GenRM.Data;

/// <summary>Turns System.Text.Json's exception text into one short, location-first sentence.</summary>
internal static class JsonProblem
{
    public static string Describe(JsonException e)
    {
        string message = e.Message;
        // System.Text.Json appends " LineNumber: 0 | BytePositionInLine: 12." (0-based); the caller
        // already names the line, so keep only the column, 1-based.
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
            message = message[..cut];
        string column = e.BytePositionInLine is long position ? $" at byte {position + 1}" : "";
        return $"malformed JSON{column}: {message.TrimEnd('.')}";
    }
}
