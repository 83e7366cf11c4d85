using System.Security.Cryptography;
using System.Text;

namespace GenRM.Data;

/// <summary>Ids for pairs whose file has none: a hash of the content, so the id is the same in every run and every copy of the file.</summary>
public static class PairIds
{
    /// <summary>The first 16 hex digits of SHA-256 over the prompt turns and both responses.</summary>
    public static string FromContent(IEnumerable<ChatMessage> prompt, string chosen, string rejected)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = new StringBuilder();
        // Unit and record separators keep ("ab", "c") and ("a", "bc") apart.
        foreach (ChatMessage message in prompt)
            text.Append(message.Role).Append('\u001F').Append(message.Content).Append('\u001E');
        text.Append('\u001D').Append(chosen).Append('\u001D').Append(rejected);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash, 0, 8);
    }
}
