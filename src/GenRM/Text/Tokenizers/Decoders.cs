using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>A <c>decoder</c> of <c>tokenizer.json</c>: turns the tokens of some ids back into text pieces, step by step.</summary>
internal interface ITokenDecoder
{
    List<string> Decode(List<string> tokens);
}

/// <summary>Reads the decoders of byte-level files (ByteLevel) and SentencePiece-style ones (Replace, ByteFallback, Fuse, Strip, Metaspace).</summary>
internal static class Decoders
{
    static readonly Dictionary<string, Func<JsonPart, ITokenDecoder>> Readers = new()
    {
        ["Sequence"] = part => new SequenceDecoder([.. part.Items("decoders").Select(Read)]),
        ["ByteLevel"] = _ => new ByteLevelDecoder(),
        ["Replace"] = part => new ReplaceDecoder(TextPattern.Read(part.Required("pattern")), part.String("content")),
        ["ByteFallback"] = _ => new ByteFallbackDecoder(),
        ["Fuse"] = _ => new FuseDecoder(),
        ["Strip"] = part => new StripDecoder(StripDecoder.ReadContent(part), part.Int("start"), part.Int("stop")),
        ["Metaspace"] = part => new MetaspaceDecoder(MetaspacePreTokenizer.ReadReplacement(part), MetaspacePreTokenizer.ReadScheme(part)),
    };

    public static ITokenDecoder Read(JsonPart part) => part.ReadKind(Readers, "decoder");
}

internal sealed class SequenceDecoder(IReadOnlyList<ITokenDecoder> steps) : ITokenDecoder
{
    public List<string> Decode(List<string> tokens)
    {
        foreach (var step in steps)
            tokens = step.Decode(tokens);
        return tokens;
    }
}

/// <summary>
/// Byte-alphabet symbols back to bytes, all tokens together, then UTF-8 with invalid sequences as
/// U+FFFD. A token holding a character outside the alphabet (an added token such as
/// <c>&lt;｜User｜&gt;</c>) contributes its own UTF-8.
/// </summary>
internal sealed class ByteLevelDecoder : ITokenDecoder
{
    public List<string> Decode(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (string token in tokens)
            ByteLevelAlphabet.AppendBytes(token, bytes);
        return [Encoding.UTF8.GetString([.. bytes])];
    }
}

internal sealed class ReplaceDecoder(TextPattern pattern, string content) : ITokenDecoder
{
    public List<string> Decode(List<string> tokens) => [.. tokens.Select(t => pattern.Replace(t, content))];
}

/// <summary>
/// Runs of <c>&lt;0xXX&gt;</c> tokens become the text their bytes spell; a run that is not valid
/// UTF-8 becomes one U+FFFD per byte, as Hugging Face's ByteFallback decoder does.
/// </summary>
internal sealed class ByteFallbackDecoder : ITokenDecoder
{
    public List<string> Decode(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var run = new List<byte>();
        foreach (string token in tokens)
        {
            if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out byte value))
            {
                run.Add(value);
                continue;
            }
            Flush();
            result.Add(token);
        }
        Flush();
        return result;

        void Flush()
        {
            if (run.Count == 0)
                return;
            byte[] bytes = [.. run];
            result.Add(System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : string.Concat(Enumerable.Repeat("\uFFFD", bytes.Length)));
            run.Clear();
        }
    }
}

internal sealed class FuseDecoder : ITokenDecoder
{
    public List<string> Decode(List<string> tokens) => [string.Concat(tokens)];
}

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing copies of one character from each token (Llama 2: the space its "▁" prefix left).</summary>
internal sealed class StripDecoder(char content, int start, int stop) : ITokenDecoder
{
    public static char ReadContent(JsonPart part)
    {
        string text = part.String("content");
        return text.Length == 1 ? text[0] : throw part.Required("content").Error("expected a single character");
    }

    public List<string> Decode(List<string> tokens) => [.. tokens.Select(Strip)];

    string Strip(string token)
    {
        int from = 0, to = token.Length;
        while (from < start && from < to && token[from] == content)
            from++;
        while (token.Length - to < stop && to > from && token[to - 1] == content)
            to--;
        return token[from..to];
    }
}

/// <summary>The replacement back to spaces; in the first token it is dropped instead unless the prepend scheme is never (Hugging Face's rule).</summary>
internal sealed class MetaspaceDecoder(char replacement, PrependScheme scheme) : ITokenDecoder
{
    public List<string> Decode(List<string> tokens) =>
        [.. tokens.Select((token, i) => i == 0 && scheme != PrependScheme.Never
            ? token.Replace(replacement.ToString(), "", StringComparison.Ordinal)
            : token.Replace(replacement, ' '))];
}
