using System.Text;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>
/// MiniWorld's character-level tokenizer. The vocabulary is fixed (102 ids):
/// <list type="table">
/// <item><term>0-5</term><description><c>&lt;|pad|&gt;</c>, <c>&lt;|bos|&gt;</c>, <c>&lt;|end|&gt;</c> (end of turn and of generation), <c>&lt;|system|&gt;</c>, <c>&lt;|user|&gt;</c>, <c>&lt;|assistant|&gt;</c></description></item>
/// <item><term>6</term><description>newline</description></item>
/// <item><term>7-101</term><description>printable ASCII, space (32) to tilde (126), in code order</description></item>
/// </list>
/// It covers everything the world generates; any other character is refused with a clear error.
/// </summary>
public sealed class MiniWorldTokenizer : ITokenizer
{
    public const string Pad = "<|pad|>";
    public const string Bos = "<|bos|>";
    public const string End = "<|end|>";
    public const string System = "<|system|>";
    public const string User = "<|user|>";
    public const string Assistant = "<|assistant|>";

    /// <summary>The special tokens in id order.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = [Pad, Bos, End, System, User, Assistant];

    const int NewlineId = 6;
    const int FirstPrintableId = 7;
    const char FirstPrintable = ' ', LastPrintable = '~';

    public int VocabSize => FirstPrintableId + (LastPrintable - FirstPrintable + 1);

    public int? BosId => 1;

    public IReadOnlyList<int> EosIds { get; } = [2];

    public int PadId => 0;

    /// <summary>Whether <paramref name="c"/> is in the vocabulary.</summary>
    public static bool IsKnown(char c) => c == '\n' || c is >= FirstPrintable and <= LastPrintable;

    /// <summary>
    /// Encodes <paramref name="text"/>; throws <see cref="BadInputException"/> at the first character
    /// outside the vocabulary. <paramref name="addSpecialTokens"/> adds nothing: MiniWorld has no
    /// post-processor (its chat template writes <c>&lt;|bos|&gt;</c>, its pretraining documents have none).
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>(text.Length);
        for (int i = 0; i < text.Length;)
        {
            int special = text[i] == '<' ? SpecialAt(text, i) : -1;
            if (special >= 0)
            {
                ids.Add(special);
                i += SpecialTokens[special].Length;
                continue;
            }
            char c = text[i];
            if (!IsKnown(c))
                throw new BadInputException(
                    $"MiniWorld tokenizer: character U+{(int)c:X4} at position {i} is not in the vocabulary (newline and printable ASCII only)");
            ids.Add(c == '\n' ? NewlineId : FirstPrintableId + (c - FirstPrintable));
            i++;
        }
        return [.. ids];
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if (id < 0 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} is outside the MiniWorld vocabulary (0-{VocabSize - 1})");
            if (id < NewlineId)
            {
                if (!skipSpecialTokens)
                    text.Append(SpecialTokens[id]);
            }
            else
                text.Append(id == NewlineId ? '\n' : (char)(FirstPrintable + id - FirstPrintableId));
        }
        return text.ToString();
    }

    public int? TokenToId(string token)
    {
        for (int id = 0; id < SpecialTokens.Count; id++)
            if (SpecialTokens[id] == token)
                return id;
        return token.Length == 1 && IsKnown(token[0]) ? Encode(token)[0] : null;
    }

    static int SpecialAt(string text, int index)
    {
        for (int id = 0; id < SpecialTokens.Count; id++)
            if (string.CompareOrdinal(text, index, SpecialTokens[id], 0, SpecialTokens[id].Length) == 0)
                return id;
        return -1;
    }
}
