using System.Collections.Frozen;
using System.Text;

namespace GenRM.Text;

/// <summary>
/// GPT-2's byte-to-unicode table, used by every byte-level BPE vocabulary (GPT-2, Llama 3, Qwen2):
/// printable Latin-1 bytes stand for themselves and the other 68 bytes are shifted to U+0100 and
/// up, in byte order (so space is 'Ġ' and newline 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    static readonly char[] ByteToChar = BuildByteToChar();

    static readonly FrozenDictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToFrozenDictionary(b => ByteToChar[b], b => (byte)b);

    /// <summary>The symbol that stands for <paramref name="value"/>.</summary>
    public static char Symbol(byte value) => ByteToChar[value];

    /// <summary>The symbols of the UTF-8 bytes of <paramref name="text"/>, as they appear in a vocabulary.</summary>
    public static string Encode(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var symbols = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            symbols[i] = ByteToChar[bytes[i]];
        return new string(symbols);
    }

    /// <summary>
    /// Appends the bytes that <paramref name="token"/>'s symbols stand for; a token holding a
    /// character that is no byte symbol is appended as its own UTF-8, as Hugging Face's ByteLevel
    /// decoder does.
    /// </summary>
    public static void AppendBytes(string token, List<byte> bytes)
    {
        foreach (char symbol in token)
        {
            if (!CharToByte.ContainsKey(symbol))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
        }
        foreach (char symbol in token)
            bytes.Add(CharToByte[symbol]);
    }

    static char[] BuildByteToChar()
    {
        var table = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
            table[b] = printable ? (char)b : (char)(256 + shifted++);
        }
        return table;
    }
}
