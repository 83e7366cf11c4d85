using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace GenRM.Data;

/// <summary>
/// Whether every string and property name of a parsed JSON value can become .NET text. The parser
/// accepts bytes that are not UTF-8 and escapes such as <c>"\ud800"</c> (half a surrogate pair) and
/// leaves them undecoded; reading such a string later throws, so items are checked once, on arrival.
/// </summary>
internal static class JsonText
{
    public static bool IsDecodable(JsonElement value)
    {
        try
        {
            Decode(value);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // Recursion is bounded by the parser's maximum depth (64).
    static void Decode(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (NeedsDecoding(JsonMarshal.GetRawUtf8PropertyName(property)))
                        _ = property.Name;
                    Decode(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in value.EnumerateArray())
                    Decode(item);
                break;
            case JsonValueKind.String:
                if (NeedsDecoding(JsonMarshal.GetRawUtf8Value(value)))
                    _ = value.GetString();
                break;
        }
    }

    // Plain UTF-8 without escapes always decodes; only the rest is decoded to find out (a million
    // field names would otherwise each become a string).
    static bool NeedsDecoding(ReadOnlySpan<byte> raw) => raw.Contains((byte)'\\') || !Utf8.IsValid(raw);
}
